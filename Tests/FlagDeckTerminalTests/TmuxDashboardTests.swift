import Foundation
import Testing

/// The dashboard as an operator meets it: the real binary in a real terminal (tmux),
/// on a database built with the CLI, driven by intent (`DashboardDriver`).
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"), .serialized)
struct TmuxDashboardTests {
    static func restoredTerminal(_ screen: String) -> Bool {
        let words = screen.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "\n" }).map(String.init)
        return words.contains("icanon") && words.contains("echo") && !words.contains("-icanon") && !words.contains("-echo")
    }

    @Test func gridShowsFlagsAndCells() throws {
        let f = try TerminalFixture()
        try f.ok(["enable", "search-ranking", "--env", "sandbox/dev"])
        let d = try DashboardDriver(f)
        defer { d.close() }
        let grid = try d.waitForGrid()
        let s = try d.screen()
        #expect(s.contains("4 envs"))
        #expect(s.contains("│payments"))
        #expect(s.contains("│sandbox"))
        #expect(s.contains("▲prod"))
        #expect(s.contains("staging"))
        #expect(grid.columns.map(\.path) == ["payments/prod", "payments/staging", "sandbox/prod", "sandbox/dev"])
        try d.expectCell(flag: "search-ranking", env: "sandbox/dev", shows: "ON")
        try d.expectCell(flag: "search-ranking", env: "payments/prod", shows: "OFF")
        let lines = s.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("checkout.v2") && $0.contains("payments…eam") })
        #expect(lines.contains { $0.contains("beta.api") })
        try d.quit()
    }

    @Test func filterAndKillInProtectedEnvironmentTypingTheKey() throws {
        let f = try TerminalFixture()
        let d = try DashboardDriver(f)
        defer { d.close() }
        try d.waitForGrid()
        try d.filter("checkout")
        try d.expect("filtered to one flag") { s in
            s.contains("checkout.v2") && !s.contains("search-ranking") && !s.contains("beta.api")
        }
        // payments/prod is protected.
        let dialog = try d.openKillDialog("checkout.v2", env: "payments/prod")
        #expect(dialog.contains("PROTECTED"))
        #expect(dialog.contains("environment: prod"))
        #expect(dialog.contains("dependents also affected: beta.api"))
        let status = try d.confirm(reason: "tmux incident 99", flag: "checkout.v2")
        #expect(status.contains("killed checkout.v2 in payments/prod (audit seq"), "\(status)")
        try d.expectCell(flag: "checkout.v2", env: "payments/prod", shows: "✖KILL")
        try d.expectCell(flag: "checkout.v2", env: "payments/staging", shows: "OFF")

        let kills = try f.events(action: "kill")
        #expect(kills.count == 1)
        #expect(kills.first?["flag"] as? String == "checkout.v2")
        #expect(kills.first?["env"] as? String == "payments/prod")
        #expect(kills.first?["reason"] as? String == "tmux incident 99")
        try d.quit()
    }

    @Test func killInAnUnprotectedEnvironmentConfirmsOnTheReason() throws {
        let f = try TerminalFixture()
        try f.ok(["enable", "search-ranking", "--env", "sandbox/dev"])
        let d = try DashboardDriver(f)
        defer { d.close() }
        try d.waitForGrid()
        let status = try d.kill("search-ranking", env: "sandbox/dev", reason: "errors spiking")
        #expect(status.contains("killed search-ranking in sandbox/dev (audit seq"), "\(status)")
        try d.expectCell(flag: "search-ranking", env: "sandbox/dev", shows: "✖KILL")
        #expect(try f.events(action: "kill").first?["reason"] as? String == "errors spiking")
        try d.quit()
    }

    /// Another process (the CLI) changes a cell; the grid shows it within a second.
    @Test func outsideChangeAppearsWithinOneSecond() throws {
        let f = try TerminalFixture()
        let d = try DashboardDriver(f)
        defer { d.close() }
        try d.waitForGrid()
        try d.expectCell(flag: "search-ranking", env: "sandbox/dev", shows: "OFF")
        try f.ok(["enable", "search-ranking", "--env", "sandbox/dev"])
        try f.ok(["rollout", "search-ranking", "--env", "sandbox/dev", "--percent", "40", "--reason", "ramp"])
        let changed = Date()
        try d.expectCell(flag: "search-ranking", env: "sandbox/dev", shows: "40% ", timeout: 1.0)
        #expect(Date().timeIntervalSince(changed) < 1.0)
        try d.quit()
    }

    @Test func resizeToSmallAndBack() throws {
        let f = try TerminalFixture()
        let d = try DashboardDriver(f)
        defer { d.close() }
        try d.waitForGrid()
        try d.tmux.resize(width: 80, height: 24)
        let small = try d.expect("an 80x24 layout") { s in
            let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
            return s.contains("checkout.v2") && lines.count <= 25 && (lines.count > 23 && lines[23].contains("? help"))
        }
        #expect(small.contains("│payments"))
        try d.tmux.resize(width: 40, height: 10)
        try d.expect(text: "Terminal too small")
        try d.tmux.resize(width: 160, height: 45)
        // Polled as one condition: a capture taken mid-repaint can show the grid before
        // the status line has reached the new last row.
        let big = try d.expect("the full grid again, status line on the last row of 45") { s in
            let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
            return s.contains("checkout.v2") && s.contains("│sandbox") && !s.contains("too small")
                && lines.count > 44 && lines[44].contains("? help")
        }
        #expect(big.split(separator: "\n", omittingEmptySubsequences: false).count >= 45)
        try d.quit()
    }

    @Test func quitRestoresTheTerminal() throws {
        let f = try TerminalFixture()
        let d = try DashboardDriver(f)
        defer { d.close() }
        try d.waitForGrid()
        let s = try d.quit()
        #expect(Self.restoredTerminal(s))
    }

    @Test func sigtermRestoresTheTerminal() throws {
        let f = try TerminalFixture()
        let d = try DashboardDriver(f)
        defer { d.close() }
        try d.waitForGrid()
        #expect(kill(try d.pid, SIGTERM) == 0)
        let s = try d.expectExit(143)
        #expect(Self.restoredTerminal(s))
    }

    @Test func escapeClosesTheDialogPromptly() throws {
        let f = try TerminalFixture()
        let d = try DashboardDriver(f)
        defer { d.close() }
        try d.waitForGrid()
        try d.openKillDialog("checkout.v2", env: "payments/staging")
        try d.expect(text: "Esc: cancel")
        let start = Date()
        try d.back()
        try d.expect(text: "cancelled; nothing written")
        // Generous bound for a loaded CI machine; the dashboard's own Esc delay is 25 ms.
        #expect(Date().timeIntervalSince(start) < 0.5)
        #expect(try f.events(action: "kill").isEmpty)
        try d.quit()
    }
}
