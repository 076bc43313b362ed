import Foundation
import Testing

/// Operator-proof terminal handling: every way the dashboard can end leaves the terminal
/// sane, and terminals it cannot drive get a clear message instead of garbage.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"), .serialized)
struct TmuxTerminalTests {
    /// `prefix` goes before the binary (e.g. `env TERM=dumb`).
    static func session(_ f: CLIFixture, prefix: String = "", width: Int = 160, height: Int = 45) throws -> (TmuxSession, String) {
        let pidFile = f.dir + "/dashboard.pid"
        let script = f.dir + "/run-dashboard.sh"
        try """
            sh -c 'echo $$ > \(pidFile); exec \(prefix) "\(CLIRunner.binary)" --db "\(f.db)"'
            echo EXIT=$?
            stty -a
            sleep 30
            """.write(toFile: script, atomically: true, encoding: .utf8)
        return (try TmuxSession(command: "sh \(script)", width: width, height: height), pidFile)
    }

    static func pid(_ file: String) throws -> Int32 {
        let text = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(Int32(text))
    }

    @Test(arguments: [(SIGINT, 130), (SIGHUP, 129), (SIGTERM, 143)])
    func signalsRestoreTheTerminal(_ signal: Int32, _ code: Int) throws {
        let f = try CLIFixture()
        let (t, pidFile) = try Self.session(f)
        defer { t.close() }
        try t.waitFor(text: "search-ranking")
        #expect(kill(try Self.pid(pidFile), signal) == 0)
        let s = try t.waitFor("exit and stty") { $0.contains("EXIT=\(code)") && $0.contains("icanon") }
        #expect(TmuxDashboardTests.restoredTerminal(s))
    }

    @Test func fatalErrorRestoresTheTerminal() throws {
        let f = try CLIFixture()
        let (t, _) = try Self.session(f, prefix: "env FLAGDECK_TEST_FATAL=1")
        defer { t.close() }
        let s = try t.waitFor("crash exit and stty") { $0.contains("EXIT=") && $0.contains("icanon") }
        #expect(!s.contains("EXIT=0"))
        #expect(TmuxDashboardTests.restoredTerminal(s))
    }

    @Test func dumbAndUnsetTermGetAClearMessage() throws {
        let f = try CLIFixture()
        for prefix in ["env TERM=dumb", "env -u TERM", "env TERM=no-such-terminal"] {
            let (t, _) = try Self.session(f, prefix: prefix)
            defer { t.close() }
            let s = try t.waitFor("refusal for \(prefix)") { $0.contains("EXIT=1") }
            #expect(s.contains("flagdeck: "))
            #expect(s.contains("TERM"))
            #expect(s.contains("flagdeck list"))
            #expect(TmuxDashboardTests.restoredTerminal(s))
        }
    }

    @Test func vt100AndNoColorWorkInMonochromeAndColourOtherwise() throws {
        let f = try CLIFixture()
        try f.ok(["kill", "checkout.v2", "--env", "payments/staging", "--reason", "test", "--yes"])
        for (prefix, colour) in [("env TERM=vt100", false), ("env NO_COLOR=1", false), ("", true)] {
            let (t, _) = try Self.session(f, prefix: prefix)
            defer { t.close() }
            try t.waitFor(text: "search-ranking")
            let sgr = try t.tmux(["capture-pane", "-p", "-e"])
            #expect(sgr.contains("KILL"), "killed cells carry a glyph and text, not only colour")
            #expect(Self.usesColour(sgr) == colour, "colours under \(prefix.isEmpty ? "tmux's own TERM" : prefix)")
            if !colour { #expect(sgr.contains("\u{1b}[1;7m") || sgr.contains("\u{1b}[7m"), "attributes still mark things") }
            try t.keys("q")
            try t.waitFor(text: "EXIT=0")
        }
    }

    /// True if any SGR sequence sets a colour (30-38, 40-48, 90-107); 39/49 are resets.
    static func usesColour(_ screen: String) -> Bool {
        var rest = Substring(screen)
        while let start = rest.range(of: "\u{1b}[") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(where: { !($0.isNumber || $0 == ";") }) else { break }
            if rest[end] == "m" {
                for p in rest[..<end].split(separator: ";").compactMap({ Int($0) })
                where (30...38).contains(p) || (40...48).contains(p) || (90...107).contains(p) {
                    return true
                }
            }
            rest = rest[end...]
        }
        return false
    }

    @Test func fortyByTenShowsTooSmallAndGrowingRestores() throws {
        let f = try CLIFixture()
        let (t, _) = try Self.session(f, width: 40, height: 10)
        defer { t.close() }
        try t.waitFor(text: "Terminal too small")
        try t.resize(width: 100, height: 30)
        try t.waitFor("the grid") { $0.contains("search-ranking") && !$0.contains("too small") }
        try t.keys("q")
        try t.waitFor(text: "EXIT=0")
    }

    @Test func withoutATerminalItPointsToTheCLI() throws {
        let f = try CLIFixture()
        let r = try f.run(["ui"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("needs a terminal"))
        #expect(r.stderr.contains("flagdeck list"))
    }
}
