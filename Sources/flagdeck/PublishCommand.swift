import ArgumentParser
import FlagDeckCore
import Foundation

/// `flagdeck publish --out DIR`: bind every environment to DIR/ACCOUNT/ENV/features.json
/// (written from the inventory when missing), so every later change reaches the file and
/// changes made to it elsewhere are synced: `source add` for each environment.
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Bind every environment to DIR/ACCOUNT/ENV/features.json (written now if missing)."
    )
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Directory applications read ACCOUNT/ENV/features.json from.") var out: String
    @Option(help: "powertools or flagd.") var format: Exporter.Format = .powertools
    @Option(help: "Why (recorded in the audit log).") var reason: String = ""

    func run() throws {
        try CLI.run {
            let files = try CLI.operations(try db.open()).publish(to: out, format: format, reason: reason)
            for f in files {
                CLI.out(f.bound ? "bound \(f.env) to \(f.path)" : "\(f.env) already bound to \(f.path)")
                for w in f.warnings { CLI.warn(w) }
            }
            CLI.out("every later change to these environments is written to their files; `flagdeck sync` records edits made elsewhere")
        }
    }
}
