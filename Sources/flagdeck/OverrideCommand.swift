import ArgumentParser
import FlagDeckCore
import Foundation

/// `flagdeck override set|list|rm`: per-(flag, environment) "when K equals V, serve X",
/// audited, optionally expiring. Overrides win over rules and rollout, never over a
/// kill or a disabled flag.
struct OverrideCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "override",
        abstract: "Force a value for one context (e.g. a user id or job id) in one environment.",
        subcommands: [OverrideSet.self, OverrideList.self, OverrideRemove.self]
    )
}

struct OverrideSet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "When context KEY equals VALUE, serve SERVE.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Flag key.") var flag: String
    @Option(help: "ACCOUNT/ENV or an unambiguous ENV.") var env: String
    @Option(help: "Context key, e.g. user_id or job_id.") var key: String
    @Option(help: "Value the context key must equal (JSON; bare words are strings).") var equals: String
    @Option(help: "Value to serve (JSON), e.g. true or \"\\\"variant-b\\\"\".") var serve: String = "true"
    @Option(help: "Expiry (YYYY-MM-DD or ISO 8601).") var expires: String?
    @Option(help: "Why (required in protected environments).") var reason: String = ""

    func run() throws {
        try CLI.run {
            let matchValue = (try? JSONParser.parse(equals)) ?? .string(equals)
            let served: JSONValue
            do { served = try JSONParser.parse(serve) } catch { throw FormatError.invalidArgument("--serve is not JSON: \(error)") }
            let exp = try expires.map { try UTC.parseUserDate($0) }
            let o = try CLI.operations(try db.open()).setOverride(flag: flag, env: env, key: key, equals: matchValue,
                                                                  serve: served, expires: exp, reason: reason)
            CLI.out("override \(o.id): \(flag) in \(o.env) serves \(o.serve) when \(o.contextKey) = \(JSONWriter.compact(o.matchValue))"
                    + (o.expiresAt.map { " until \(UTC.format($0))" } ?? ""))
        }
    }
}

struct OverrideList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List overrides.")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var now: NowOption
    @Argument(help: "Only this flag.") var flag: String?
    @Option(help: "Only this environment.") var env: String?
    @Flag(help: "JSON Lines output.") var json = false

    func run() throws {
        try CLI.run {
            let at = try now.resolve()
            let list = try db.open().read { r in
                let e = try env.map { try EnvironmentResolver.resolve($0, in: try r.environments()).id }
                return try r.overrides(flag: flag, env: e)
            }
            if json {
                for o in list { CLI.out(o.json) }
                return
            }
            if list.isEmpty { CLI.out("no overrides"); return }
            CLI.out(Render.table(["ID", "FLAG", "ENV", "WHEN", "SERVE", "EXPIRES", "BY"], list.map { o in
                [String(o.id), o.flagKey, o.env.path, "\(o.contextKey) = \(JSONWriter.compact(o.matchValue))", o.serve,
                 o.expiresAt.map { UTC.format($0) + (o.isExpired(at: at) ? " (expired)" : "") } ?? "-", o.createdBy]
            }))
        }
    }
}

struct OverrideRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove an override by id.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Override id (from `override list`).") var id: Int64
    @Option(help: "Why (required in protected environments).") var reason: String = ""

    func run() throws {
        try CLI.run {
            let o = try CLI.operations(try db.open()).removeOverride(id: id, reason: reason)
            CLI.out("removed override \(o.id) (\(o.flagKey) in \(o.env): \(o.contextKey) = \(JSONWriter.compact(o.matchValue)))")
        }
    }
}
