import ArgumentParser
import FlagDeckCore

/// enable, disable and rollout: everyday changes. In a protected environment the core
/// refuses them without a reason.
struct CellTarget: ParsableArguments {
    @Argument(help: "Flag key.") var key: String
    @Option(help: "ACCOUNT/ENV or an unambiguous ENV.") var env: String
    @Option(help: "Why (required in protected environments).") var reason: String?
    @Option(help: "Cell version you read (from `show`); a stale one is a conflict.") var expectVersion: Int64?
    @Flag(help: "Print the result as JSON.") var json = false
}

/// enable and disable differ only in the direction.
func setEnabled(_ on: Bool, _ target: CellTarget, _ db: DatabaseOptions) throws {
    try CLI.run {
        MutationReport.print(try CLI.operations(try db.open()).setEnabled(on, flag: target.key, env: target.env,
                                                                          reason: target.reason, expectedVersion: target.expectVersion),
                             verb: on ? "enabled" : "disabled", json: target.json)
    }
}

struct Enable: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Enable a flag in one environment.")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var target: CellTarget
    func run() throws { try setEnabled(true, target, db) }
}

struct Disable: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Disable a flag in one environment.")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var target: CellTarget
    func run() throws { try setEnabled(false, target, db) }
}

struct Rollout: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Set the rollout percentage (0-100, two decimals) in one environment.")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var target: CellTarget
    @Option(help: "Percentage of contexts served the flag, e.g. 25 or 12.5.") var percent: String

    func run() throws {
        try CLI.run {
            let bp = try Percent.parse(percent)
            MutationReport.print(try CLI.operations(try db.open()).setRollout(flag: target.key, env: target.env, basisPoints: bp,
                                                                              reason: target.reason, expectedVersion: target.expectVersion),
                                 verb: "rolled out", json: target.json)
        }
    }
}
