import Foundation
import Testing

/// The dashboard without a terminal, and with bad themes, through the real binary. No
/// tmux needed: stdin and stdout are pipes here, never a TTY.
@Suite struct ThemeCorpusCLITests {
    static let corpus = CLIRunner.repoRoot.appendingPathComponent("Tests/FlagDeckTUITests/BadThemes").path

    /// Without a TTY the dashboard refuses, points to the CLI, and touches nothing.
    @Test(arguments: [["ui"], [], ["ui", "--read-only"]])
    func withoutATerminalItRefusesAndPointsToTheCLI(_ args: [String]) throws {
        let f = try CLIFixture()
        let before = try f.bytes()
        let r = try f.run(args)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("flagdeck: "))
        #expect(r.stderr.contains("needs a terminal"))
        #expect(r.stderr.contains("flagdeck list"))
        #expect(r.stdout.isEmpty, "no escape sequences written to a pipe")
        #expect(try f.bytes() == before)
    }

    /// Every corpus file through `flagdeck ui --theme PATH`: the theme is checked before
    /// the terminal, so the error is the theme's (file, key, value) even without a TTY;
    /// non-zero exit; database byte-for-byte unchanged.
    @Test func everyBadThemeFailsTheDashboardCleanly() throws {
        let f = try CLIFixture()
        let before = try f.bytes()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(files.count >= 10)
        for file in files {
            let path = Self.corpus + "/" + file
            let r = try f.run(["ui", "--theme", path])
            #expect(r.status == 1, "\(file)")
            #expect(r.stderr.hasPrefix("flagdeck: theme \(path)"), "\(file): \(r.stderr)")
            #expect(!r.stderr.contains("needs a terminal"), "\(file): theme checked first")
            #expect(r.stdout.isEmpty)
        }
        #expect(try f.bytes() == before, "database unchanged")
    }

    @Test func badThemeFromTheEnvironmentToo() throws {
        let f = try CLIFixture()
        let before = try f.bytes()
        let path = Self.corpus + "/unknown-colour.toml"
        let r = try CLIRunner.run(["ui", "--db", f.db], env: ["FLAGDECK_THEME": path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("theme \(path): key \"on.fg\" has value \"chartreuse-ish\""), "\(r.stderr)")
        #expect(try f.bytes() == before)
        let unknown = try CLIRunner.run(["ui", "--db", f.db, "--theme", "no-such-theme"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no such theme; bundled themes: default, high-contrast, light, mono"))
    }
}
