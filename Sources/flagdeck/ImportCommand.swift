import ArgumentParser
import FlagDeckCore
import Foundation

/// `flagdeck import`: Powertools trees/files or a features_config.json into the store,
/// validated completely before anything is written, in one transaction.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import Powertools feature-flag files (ACCOUNT/ENV/*.json tree or one file) or a features_config.json.",
        discussion: """
            A bad file (malformed JSON, unknown action, wrong type, duplicate key, bad time zone, dependency cycle)
            is reported with its path and JSON path, and nothing is imported. Re-importing the same files writes nothing.
            """
    )
    enum Format: String, ExpressibleByArgument, CaseIterable { case powertools, featuresConfig = "features-config" }

    @OptionGroup var db: DatabaseOptions
    @Argument(help: "A directory laid out as ACCOUNT/ENV/*.json, or a single file.") var path: String
    @Option(help: "powertools or features-config.") var format: Format = .powertools
    @Option(help: "ACCOUNT/ENV for a single Powertools file, or only this environment of a tree.") var env: String?
    @Option(help: "Account for features-config environments.") var account: String = "default"
    @Option(help: "Member holding the features (Powertools' envelope), e.g. features.") var envelope: String?
    @Option(help: "Why (required when importing into a protected environment).") var reason: String = ""
    @Flag(help: "Print the changes and write nothing.") var dryRun = false

    func run() throws {
        try CLI.run {
            let plan: ImportPlan
            switch format {
            case .powertools:
                plan = try ImportReader.powertools(path: path, env: env,
                                                   envelope: envelope.map { $0.split(separator: ".").map(String.init) } ?? [])
            case .featuresConfig:
                plan = try ImportReader.featuresConfig(path: path, account: account)
            }
            let store = try db.open()
            let changes = try CLI.operations(store).importPlan(plan, dryRun: dryRun, reason: reason)
            for c in changes { CLI.out(c.description) }
            if changes.isEmpty {
                CLI.out("no changes: the store already matches \(path)")
            } else {
                CLI.out(dryRun ? "dry run: \(changes.count) change(s) would be made; nothing written"
                               : "imported \(changes.count) change(s) from \(path)")
            }
        }
    }
}
