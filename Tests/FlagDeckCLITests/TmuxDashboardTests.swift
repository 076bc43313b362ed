import Foundation
import Testing

/// The dashboard as an operator meets it: the real binary in a real terminal (tmux),
/// on a database built with the CLI.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"), .serialized)
struct TmuxDashboardTests {
    /// Runs the dashboard, then prints its exit code and the terminal mode so tests can
    /// see that it was restored. The inner shell records the dashboard's pid for signals.
    static func session(_ f: CLIFixture, extra: String = "") throws -> (TmuxSession, String) {
        let pidFile = f.dir + "/dashboard.pid"
        let script = f.dir + "/run-dashboard.sh"
        // The inner shell writes its pid and then execs the dashboard, so the pid is the dashboard's.
        try """
            sh -c 'echo $$ > \(pidFile); exec "\(CLIRunner.binary)" --db "\(f.db)" \(extra)'
            echo EXIT=$?
            stty -a
            sleep 30
            """.write(toFile: script, atomically: true, encoding: .utf8)
        return (try TmuxSession(command: "sh \(script)"), pidFile)
    }

    static func restoredTerminal(_ screen: String) -> Bool {
        let words = screen.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "\n" }).map(String.init)
        return words.contains("icanon") && words.contains("echo") && !words.contains("-icanon") && !words.contains("-echo")
    }

    @Test func gridShowsFlagsAndCells() throws {
        let f = try CLIFixture()
        try f.ok(["enable", "search-ranking", "--env", "sandbox/dev"])
        let (t, _) = try Self.session(f)
        defer { t.close() }
        let s = try t.waitFor(text: "search-ranking")
        #expect(s.contains("4 envs"))
        #expect(s.contains("│payments"))
        #expect(s.contains("│sandbox"))
        #expect(s.contains("▲prod"))
        #expect(s.contains("staging"))
        let lines = s.split(separator: "\n").map(String.init)
        let ranking = try #require(lines.first { $0.contains("search-ranking") })
        #expect(ranking.contains("ON"))
        #expect(ranking.contains("OFF"))
        #expect(lines.contains { $0.contains("checkout.v2") && $0.contains("payments…eam") })
        #expect(lines.contains { $0.contains("beta.api") })
        try t.keys("q")
        try t.waitFor(text: "EXIT=0")
    }

    @Test func filterAndKillInProtectedEnvironmentTypingTheKey() throws {
        let f = try CLIFixture()
        let (t, _) = try Self.session(f)
        defer { t.close() }
        try t.waitFor(text: "checkout.v2")
        try t.keys("/")
        try t.type("checkout")
        try t.keys("Enter")
        try t.waitFor("filtered to one flag") { s in
            s.contains("checkout.v2") && !s.contains("search-ranking") && !s.contains("beta.api")
        }
        // The first column is payments/prod, which is protected.
        try t.keys("K")
        try t.waitFor(text: "KILL checkout.v2")
        let dialog = try t.waitFor(text: "PROTECTED")
        #expect(dialog.contains("environment: prod"))
        #expect(dialog.contains("dependents also affected: beta.api"))
        try t.type("tmux incident 99")
        try t.keys("Enter")
        try t.waitFor(text: "Type \"checkout.v2\" to confirm")
        try t.type("checkout.v2")
        try t.keys("Enter")
        try t.waitFor(text: "killed checkout.v2 in payments/prod (audit seq")
        try t.waitFor(text: "✖KILL")

        let kills = try f.history().filter { ($0["action"] as? String) == "kill" }
        #expect(kills.count == 1)
        #expect(kills.first?["flag"] as? String == "checkout.v2")
        #expect(kills.first?["env"] as? String == "payments/prod")
        #expect(kills.first?["reason"] as? String == "tmux incident 99")
        try t.keys("q")
        try t.waitFor(text: "EXIT=0")
    }

    @Test func outsideChangeAppearsWithinOneSecond() throws {
        let f = try CLIFixture()
        let (t, _) = try Self.session(f)
        defer { t.close() }
        try t.waitFor(text: "search-ranking")
        let before = try t.screen()
        #expect(!before.contains("40%"))
        try f.ok(["enable", "search-ranking", "--env", "sandbox/dev"])
        try f.ok(["rollout", "search-ranking", "--env", "sandbox/dev", "--percent", "40", "--reason", "ramp"])
        let changed = Date()
        try t.waitFor("the 40% cell", timeout: 1.0) { $0.contains("40% ") }
        #expect(Date().timeIntervalSince(changed) < 1.0)
        try t.keys("q")
        try t.waitFor(text: "EXIT=0")
    }

    @Test func resizeToSmallAndBack() throws {
        let f = try CLIFixture()
        let (t, _) = try Self.session(f)
        defer { t.close() }
        try t.waitFor(text: "search-ranking")
        try t.resize(width: 80, height: 24)
        let small = try t.waitFor("an 80x24 layout") { s in
            let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
            return s.contains("checkout.v2") && lines.count <= 25 && (lines.count > 23 && lines[23].contains("? help"))
        }
        #expect(small.contains("│payments"))
        try t.resize(width: 40, height: 10)
        try t.waitFor(text: "Terminal too small")
        try t.resize(width: 160, height: 45)
        let big = try t.waitFor("the full grid again") { s in
            s.contains("checkout.v2") && s.contains("│sandbox") && !s.contains("too small")
        }
        let lines = big.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count >= 44)
        #expect(lines[44].contains("? help"), "status line on the last row of 45")
        try t.keys("q")
        try t.waitFor(text: "EXIT=0")
    }

    @Test func quitRestoresTheTerminal() throws {
        let f = try CLIFixture()
        let (t, _) = try Self.session(f)
        defer { t.close() }
        try t.waitFor(text: "search-ranking")
        try t.keys("q")
        let s = try t.waitFor("stty output") { $0.contains("EXIT=0") && $0.contains("icanon") }
        #expect(Self.restoredTerminal(s))
    }

    @Test func sigtermRestoresTheTerminal() throws {
        let f = try CLIFixture()
        let (t, pidFile) = try Self.session(f)
        defer { t.close() }
        try t.waitFor(text: "search-ranking")
        let pidText = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(Int32(pidText))
        #expect(kill(pid, SIGTERM) == 0)
        let s = try t.waitFor("stty output") { $0.contains("EXIT=143") && $0.contains("icanon") }
        #expect(Self.restoredTerminal(s))
    }

    @Test func escapeClosesTheDialogPromptly() throws {
        let f = try CLIFixture()
        let (t, _) = try Self.session(f)
        defer { t.close() }
        try t.waitFor(text: "search-ranking")
        try t.keys("K")
        try t.waitFor(text: "Esc: cancel")
        let start = Date()
        try t.keys("Escape")
        try t.waitFor(text: "cancelled; nothing written")
        // Generous bound for a loaded CI machine; the dashboard's own Esc delay is 25 ms.
        #expect(Date().timeIntervalSince(start) < 0.5)
        #expect(try f.history().filter { ($0["action"] as? String) == "kill" }.isEmpty)
        try t.keys("q")
        try t.waitFor(text: "EXIT=0")
    }
}
