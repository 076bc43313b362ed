import ArgumentParser
import FlagDeckCore
import Foundation

struct Policy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Who may change which environments.",
        discussion: """
            With no --allow rules the inventory is open to anyone who can write the database file.
            Once rules exist, a change to ACCOUNT/ENV needs a rule whose principal (user:NAME, group:NAME
            or *) matches the OS account and whose glob matches the environment. Only admins change the policy.
            """,
        subcommands: [Show.self, Set.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the access policy.")
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "JSON output.") var json = false

        func run() throws {
            try CLI.run {
                let p = try CLI.operations(try db.open()).policy()
                if json { CLI.out(p.json); return }
                CLI.out("admins: \(p.admins.isEmpty ? "(none)" : p.admins.joined(separator: ", "))")
                if p.isOpen {
                    CLI.out("allow:  (no rules: anyone who can write the database file may change any environment)")
                }
                for r in p.allow { CLI.out("allow:  \(r.principal) -> \(r.envs)") }
            }
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Replace the access policy (admins only; audited).")
        @OptionGroup var db: DatabaseOptions
        @Option(name: .customLong("admin"), help: "A policy admin: user:NAME or group:NAME (repeatable, at least one).")
        var admins: [String] = []
        @Option(name: .customLong("allow"), help: "PRINCIPAL=GLOB, e.g. group:sre=* or user:alice=payments-prod/* (repeatable).")
        var allow: [String] = []
        @Option(help: "Why (required; recorded in the audit log).") var reason: String

        func run() throws {
            try CLI.run {
                let rules = try allow.map { text -> AccessPolicy.Rule in
                    guard let eq = text.lastIndex(of: "="), eq != text.startIndex, text.index(after: eq) != text.endIndex else {
                        throw FlagDeckError.invalidPolicy("--allow \"\(text)\": expected PRINCIPAL=GLOB")
                    }
                    return AccessPolicy.Rule(principal: String(text[..<eq]), envs: String(text[text.index(after: eq)...]))
                }
                let store = try db.open()
                let policy = AccessPolicy(admins: admins, allow: rules)
                let e = try CLI.operations(store).setPolicy(policy, reason: reason)
                // A group policy only works if the group can open the file.
                chmod(store.location, policy.hasGroupRules ? 0o660 : 0o600)
                CLI.out("policy updated (audit seq \(e.seq)); file mode \(policy.hasGroupRules ? "0660" : "0600")")
            }
        }
    }
}
