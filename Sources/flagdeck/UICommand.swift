import ArgumentParser
import FlagDeckCore
import FlagDeckTUI
import Foundation

/// `flagdeck ui` (also what bare `flagdeck` runs): the ncurses dashboard.
struct UI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "The live dashboard: flags × environments, kill switch, filter and sort (? inside lists every key)."
    )
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var now: NowOption
    @Flag(name: .customLong("read-only"), help: "Hide every key that changes state.") var readOnly = false
    @Option(help: "Theme name (default, light, high-contrast, mono) or path to a .toml file; default $FLAGDECK_THEME.")
    var theme: String?

    func run() throws {
        let at = try now.now == nil ? nil : now.resolve()
        let code = Dashboard.run(DashboardOptions(dbPath: db.path, readOnly: readOnly, theme: theme, now: at))
        if code != 0 { throw ExitCode(code) }
    }
}
