import ArgumentParser
import FlagDeckCore
import Foundation

/// `flagdeck publish --out DIR`: write ACCOUNT/ENV/features.json for every environment
/// now, and rewrite the affected files after every later change (atomically).
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish flag files to DIR and keep them current after every change (atomic rewrite)."
    )
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Directory applications read ACCOUNT/ENV/features.json from.") var out: String
    @Option(help: "powertools or flagd.") var format: Exporter.Format = .powertools
    @Option(help: "Why (recorded in the audit log).") var reason: String = ""

    func run() throws {
        try CLI.run {
            let files = try CLI.operations(try db.open()).publish(to: out, format: format, reason: reason)
            for f in files { CLI.out("published \(out)/\(f.relativePath)") }
            CLI.out("later changes rewrite the affected files in \(out)")
        }
    }
}
