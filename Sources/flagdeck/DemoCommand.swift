import ArgumentParser
import FlagDeckCore
import FlagDeckDemo
import Foundation

/// `flagdeck demo`: a newcomer's first minute. Builds a realistic inventory with a year
/// of history from sample-data/ into a separate demo file (never the real database)
/// and opens the dashboard on it.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the dashboard on a demo database built from sample-data/.",
        discussion: """
            The demo lives in $XDG_DATA_HOME/flagdeck/demo.sqlite (not $FLAGDECK_DB, never your real database).
            It is built when missing or with --reset; its history is relative to the build time.
            """)

    @Option(help: "Demo database file (default: $XDG_DATA_HOME/flagdeck/demo.sqlite).") var db: String?
    @Flag(help: "Rebuild the demo database even if it exists.") var reset = false
    @Flag(help: "Build (if needed) and print the database path; do not open the dashboard.") var buildOnly = false
    @Option(help: "The sample-data directory (default: found next to the flagdeck checkout).") var sampleData: String?
    @OptionGroup var now: NowOption

    func run() throws {
        try CLI.run {
            let path = Self.defaultPath(explicit: db)
            let at = try now.resolve()
            if reset || !FileManager.default.fileExists(atPath: path) {
                let s = try Self.build(at: path, sampleData: sampleData, now: at)
                FileHandle.standardError.write(Data(("built demo: \(s.flags) flags × \(s.environments) environments, \(s.events) audit events (chain verified) at \(path)\n"
                    + "its applications read their flags from \(s.sources) (each environment is bound there: a kill rewrites the file)\n").utf8))
            }
            if buildOnly {
                CLI.out(path)
                return
            }
            // A pinned --now also pins the dashboard's clock, so ages match the build.
            let code = openDashboard(path: path, now: now.now == nil ? nil : at)
            if code != 0 { throw ExitCode(code) }
        }
    }

    static func defaultPath(explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        return StorePath.dataDirectory() + "/demo.sqlite"
    }

    /// The build step on its own, so tests and `--build-only` can use it without a terminal.
    static func build(at path: String, sampleData: String?, now: Date) throws -> DemoBuilder.Summary {
        let root: URL
        if let sampleData {
            root = URL(fileURLWithPath: sampleData)
        } else if let found = SampleDataLocator.locate() {
            root = found
        } else {
            throw FlagDeckError.storage("cannot find sample-data/ next to this flagdeck; pass --sample-data DIR")
        }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let data = try SampleData.load(from: root)
        return try DemoBuilder(data: data, now: now).build(at: path)
    }
}
