import ArgumentParser
import FlagDeckCore
import Foundation

/// kill and unkill. On a terminal they show what will happen and ask for confirmation
/// (typing the flag key in a protected environment); scripts pass `--yes`. Without a
/// terminal and without `--yes` they refuse, so a pipe can never kill by accident.
struct KillTarget: ParsableArguments {
    @Argument(help: "Flag key.") var key: String
    @Option(help: "ACCOUNT/ENV or an unambiguous ENV.") var env: String?
    @Flag(help: "Every environment the flag is in, in one transaction.") var allEnvs = false
    @Option(help: "Why (required; recorded in the audit log).") var reason: String
    @Flag(help: "Do not ask for confirmation (for scripts).") var yes = false
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        if (env == nil) == !allEnvs { throw ValidationError("give exactly one of --env E or --all-envs") }
        if reason.trimmingWhitespace().isEmpty {
            throw ValidationError("--reason must not be empty: the next on-call engineer needs to know why")
        }
    }

    var scope: KillScope { env.map(KillScope.environment) ?? .all }
}

enum KillFlow {
    /// Reads the cells, confirms, then asks the core's one kill entry point to act with
    /// the versions that were shown, so a change made while the operator was reading the
    /// prompt becomes a conflict.
    static func run(_ target: KillTarget, db: DatabaseOptions, _ direction: KillRequest.Direction) throws {
        try CLI.run {
            let store = try db.open()
            let verb = direction == .kill ? "kill" : "unkill"
            let (cells, envs) = try store.read { r -> ([FlagState], [Environment]) in
                guard try r.flag(key: target.key) != nil else { throw FlagDeckError.unknownFlag(target.key) }
                let envs = try r.environments()
                if let e = target.env {
                    let env = try EnvironmentResolver.resolve(e, in: envs)
                    return ([try r.state(flag: target.key, env: env.id)].compactMap { $0 }, [env])
                }
                return (try r.states(flag: target.key), envs)
            }
            let protectedIDs = Set(envs.filter(\.isProtected).map(\.id))
            if !target.yes {
                try confirm(verb: verb, key: target.key, cells: cells,
                            needsKey: cells.contains { protectedIDs.contains($0.env) })
            }
            let request = KillRequest(direction, flag: target.key, scope: target.scope, reason: target.reason,
                                      seenVersions: Dictionary(uniqueKeysWithValues: cells.map { ($0.env, $0.version) }))
            let result = try CLI.operations(store).apply(request)
            MutationReport.print(result, verb: direction == .kill ? "KILLED" : "unkilled", json: target.json,
                                 skippedBecause: direction == .kill ? "already killed" : "not killed")
        }
    }

    static func confirm(verb: String, key: String, cells: [FlagState], needsKey: Bool) throws {
        guard CLI.stdinIsTerminal else {
            throw FlagDeckError.confirmationRefused(
                "refusing to \(verb) \(key) without confirmation: standard input is not a terminal. Pass --yes to confirm from a script")
        }
        var prompt = "About to \(verb.uppercased()) \(key) in:\n"
        for c in cells { prompt += "  \(c.env)  currently \(StateJSON.summary(c))\n" }
        prompt += needsKey ? "Protected environment: type the flag key to confirm: " : "Proceed? [y/N] "
        FileHandle.standardError.write(Data(prompt.utf8))
        let answer = (readLine(strippingNewline: true) ?? "").trimmingCharacters(in: .whitespaces)
        let ok = needsKey ? answer == key : ["y", "yes"].contains(answer.lowercased())
        guard ok else {
            throw FlagDeckError.confirmationRefused(needsKey ? "typed key did not match \(key); nothing written" : "cancelled; nothing written")
        }
    }
}

struct Kill: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Force a flag off in one environment or all (keeps the state underneath for unkill).")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var target: KillTarget
    func run() throws { try KillFlow.run(target, db: db, .kill) }
}

struct Unkill: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Restore the exact pre-kill state in one environment or all.")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var target: KillTarget
    func run() throws { try KillFlow.run(target, db: db, .unkill) }
}
