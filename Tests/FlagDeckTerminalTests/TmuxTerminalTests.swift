import FlagDeckTUI
import Foundation
import Testing

/// Operator-proof terminal handling: every way the dashboard can end leaves the terminal
/// sane (`stty -a` shows `icanon echo`, the cursor is visible, the alternate screen is
/// left), and terminals it cannot drive get a clear message instead of garbage.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"), .serialized)
struct TmuxTerminalTests {
    /// tmux's own view of the pane: is the cursor shown, is the alternate screen on.
    static func cursorVisible(_ d: DashboardDriver) throws -> Bool {
        try d.tmux.tmux(["display-message", "-p", "#{cursor_flag}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    static func alternateScreen(_ d: DashboardDriver) throws -> Bool {
        try d.tmux.tmux(["display-message", "-p", "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Everything a restored terminal must show after the dashboard ended.
    static func expectRestored(_ t: DashboardDriver, _ screen: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(TmuxDashboardTests.restoredTerminal(screen), "stty -a shows icanon echo", sourceLocation: sourceLocation)
        #expect(try cursorVisible(t), "cursor visible again", sourceLocation: sourceLocation)
        #expect(try !alternateScreen(t), "alternate screen left", sourceLocation: sourceLocation)
    }

    /// Waits for the grid and checks the checks above can fail: while the dashboard runs,
    /// the cursor is hidden and the alternate screen is on.
    static func waitForGrid(_ t: DashboardDriver) throws {
        try t.waitForGrid()
        try t.expect(text: "search-ranking")
        #expect(try !cursorVisible(t), "the dashboard hides the cursor while it runs")
        #expect(try alternateScreen(t))
    }

    @Test(arguments: [(SIGINT, 130), (SIGHUP, 129), (SIGTERM, 143)])
    func signalsRestoreTheTerminal(_ signal: Int32, _ code: Int) throws {
        let f = try TerminalFixture()
        let t = try DashboardDriver(f)
        defer { t.close() }
        try Self.waitForGrid(t)
        #expect(kill(try t.pid, signal) == 0)
        let s = try t.expectExit(code)
        try Self.expectRestored(t, s)
    }

    /// Ctrl-C typed at the terminal, as an operator would: the tty sends SIGINT.
    @Test func ctrlCAtTheKeyboardRestoresTheTerminal() throws {
        let f = try TerminalFixture()
        let t = try DashboardDriver(f)
        defer { t.close() }
        try Self.waitForGrid(t)
        try t.press(.ctrl("c"))
        let s = try t.expectExit(130)
        try Self.expectRestored(t, s)
    }

    /// The fatal-error path (`DashboardFatalError`, reached on demand with the hidden
    /// `:debug-fatal` command): terminal restored first, then a clear message on stderr
    /// that is still on screen afterwards (had it been printed before the restore, it
    /// would have vanished with the alternate screen), and exit status 1.
    /// Waits for the grid, raises the fatal-error path through `:debug-fatal`, and checks
    /// the terminal came back sane; shared by the fatal-error tests.
    @discardableResult
    static func forceFatalAndExpectRestored(_ t: DashboardDriver) throws -> String {
        try waitForGrid(t)
        try t.command(.debugFatal)
        let s = try t.expectExit(1)
        try expectRestored(t, s)
        return s
    }

    @Test func fatalErrorRestoresTheTerminalThenExplains() throws {
        let f = try TerminalFixture()
        let before = try Data(contentsOf: URL(fileURLWithPath: f.db))
        let t = try DashboardDriver(f)
        defer { t.close() }
        try Self.forceFatalAndExpectRestored(t)
        let joined = try t.tmux.tmux(["capture-pane", "-p", "-J"])
        let lines = joined.split(separator: "\n").map(String.init)
        let message = try #require(lines.firstIndex { $0.hasPrefix("flagdeck: fatal error") }, "message on screen:\n\(joined)")
        #expect(lines[message].contains("forced by the :debug-fatal command"))
        #expect(lines[message].contains("terminal was restored"))
        #expect(message < (lines.firstIndex { $0.contains("EXIT=1") } ?? 0))
        #expect(!joined.contains("search-ranking"), "no grid debris on the restored screen")
        #expect(try Data(contentsOf: URL(fileURLWithPath: f.db)) == before, "nothing written")
    }

    /// The fatal message is on stderr (not stdout, the screen ncurses draws on).
    @Test func fatalErrorMessageGoesToStderr() throws {
        let f = try TerminalFixture()
        let errFile = f.dir + "/stderr.txt"
        let t = try DashboardDriver(f, args: "2>\(errFile)")
        defer { t.close() }
        let s = try Self.forceFatalAndExpectRestored(t)
        let err = try String(contentsOfFile: errFile, encoding: .utf8)
        #expect(err.hasPrefix("flagdeck: fatal error, the dashboard stopped: forced by the :debug-fatal command."), "\(err)")
        #expect(!err.contains("\u{1b}"), "no escape sequences on stderr")
        #expect(!s.contains("fatal error"), "nothing of it on stdout")
    }

    /// A crash (a Swift runtime trap after the first frame, injected with
    /// FLAGDECK_TEST_FATAL=1): the crash handler restores the terminal, says so, and the
    /// process still dies of the signal.
    @Test func crashRestoresTheTerminal() throws {
        let f = try TerminalFixture()
        let t = try DashboardDriver(f, prefix: "env FLAGDECK_TEST_FATAL=1")
        defer { t.close() }
        let s = try t.expect("crash exit and stty") { $0.contains("EXIT=") && $0.contains("icanon") }
        #expect(!s.contains("EXIT=0") && !s.contains("EXIT=1\n"), "died of a signal")
        #expect(s.contains("flagdeck: crashed; the terminal was restored"))
        try Self.expectRestored(t, s)
    }

    @Test func dumbUnsetAndUnknownTermGetAClearMessage() throws {
        let f = try TerminalFixture()
        for (prefix, words) in [("env TERM=dumb", ["TERM=dumb", "cannot move the cursor"]),
                                ("env -u TERM", ["TERM is not set"]),
                                ("env TERM=no-such-terminal", ["unknown terminal type TERM=no-such-terminal"])] {
            let t = try DashboardDriver(f, prefix: prefix)
            defer { t.close() }
            let s = try t.expect("refusal for \(prefix)") { $0.contains("EXIT=1") && $0.contains("icanon") }
            let joined = try t.tmux.tmux(["capture-pane", "-p", "-J"])
            for w in words { #expect(joined.contains(w), "\(prefix): \(w)") }
            #expect(joined.contains("flagdeck: "))
            #expect(joined.contains("flagdeck list"), "points to the CLI")
            // Nothing else on screen: no escape debris, no half-drawn grid.
            let lines = s.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("flagdeck: ") == true, "\(prefix): the message is the first thing on screen")
            #expect(!s.contains("search-ranking") && !s.contains("\u{1b}"))
            try Self.expectRestored(t, s)
        }
    }

    @Test func vt100AndNoColorWorkInMonochromeAndColourOtherwise() throws {
        let f = try TerminalFixture()
        try f.ok(["kill", "checkout.v2", "--env", "payments/staging", "--reason", "test", "--yes"])
        for (prefix, colour) in [("env TERM=vt100", false), ("env NO_COLOR=1", false), ("", true)] {
            let t = try DashboardDriver(f, prefix: prefix)
            defer { t.close() }
            let s = try t.expect(text: "search-ranking")
            // The grid itself, not garbage: header, account headers, cells.
            #expect(s.contains("4 envs") && s.contains("│payments") && s.contains("│sandbox"), "\(prefix): grid drawn")
            #expect(s.contains("checkout.v2") && s.contains("beta.api"))
            let sgr = try t.tmux.tmux(["capture-pane", "-p", "-e"])
            #expect(sgr.contains("KILL"), "killed cells carry a glyph and text, not only colour")
            #expect(Self.usesColour(sgr) == colour, "colours under \(prefix.isEmpty ? "tmux's own TERM" : prefix)")
            if !colour { #expect(sgr.contains("\u{1b}[1;7m") || sgr.contains("\u{1b}[7m"), "attributes still mark things") }
            let after = try t.quit()
            try Self.expectRestored(t, after)
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
        let f = try TerminalFixture()
        let t = try DashboardDriver(f, width: 40, height: 10)
        defer { t.close() }
        let small = try t.expect(text: "Terminal too small")
        #expect(small.contains("40x10, need 60x15"))
        #expect(!small.contains("search-ranking") && !small.contains("│"), "no clipped grid under the message")
        try t.tmux.resize(width: 100, height: 30)
        let grid = try t.expect("the grid") { $0.contains("search-ranking") && !$0.contains("too small") }
        #expect(grid.contains("checkout.v2") && grid.contains("│payments"))
        // And back down again, then up to the full size.
        try t.tmux.resize(width: 40, height: 10)
        try t.expect(text: "Terminal too small")
        try t.tmux.resize(width: 160, height: 45)
        try t.expect("the full grid") { $0.contains("│sandbox") && $0.contains("search-ranking") && !$0.contains("too small") }
        let s = try t.quit()
        try Self.expectRestored(t, s)
    }
}
