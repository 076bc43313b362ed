import Foundation
import Testing

/// The detail, history and review screens in a real terminal, on a database built with
/// the CLI; what the dashboard writes is checked through `flagdeck history --json`.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"), .serialized)
struct TmuxScreensTests {
    @Test func detailThenHistoryShowEventsAndDiff() throws {
        let f = try TerminalFixture()
        try f.ok(["enable", "checkout.v2", "--env", "sandbox/dev", "--reason", "launch"])
        try f.ok(["rollout", "checkout.v2", "--env", "sandbox/dev", "--percent", "25", "--reason", "ramp to a quarter"])
        let d = try DashboardDriver(f)
        defer { d.close() }
        try d.waitForGrid()
        try d.filter("checkout")
        try d.expect("filtered to one flag") { $0.contains("checkout.v2") && !$0.contains("search-ranking") }
        try d.open(.detail("checkout.v2"))
        let detail = try d.expect(text: "RETIREMENT CHECKLIST")
        #expect(detail.contains("grid › flag checkout.v2"))
        #expect(detail.contains("needed by:   beta.api"))
        try d.detail(.history)
        let history = try d.expect(text: "history checkout.v2")
        let lines = history.split(separator: "\n").map(String.init)
        let ramp = try #require(lines.first { $0.contains("\"ramp to a quarter\"") }, "\(history)")
        #expect(ramp.contains("rollout"))
        #expect(ramp.contains("sandbox/dev"))
        #expect(ramp.contains("→25"))
        #expect(lines.contains { $0.contains("enable") && $0.contains("\"launch\"") && $0.contains("false→true") })
        #expect(history.contains("served %"))
        try d.back()
        try d.expect(text: "RETIREMENT CHECKLIST")
        try d.back()
        try d.expect("back on the grid") { $0.contains("checkout.v2") && !$0.contains("RETIREMENT") }
        try d.quit()
    }

    @Test func keepMarkInReviewIsAudited() throws {
        let f = try TerminalFixture()
        let d = try DashboardDriver(f)
        defer { d.close() }
        try d.waitForGrid()
        try d.open(.review)
        // Unowned flags are candidates (orphan); the first one is selected.
        let list = try d.expect(text: "orphan")
        #expect(list.contains("m keep"))
        try d.review(.keep)
        try d.expectDialog(title: "MARK ")
        try d.type("kept for the tmux test")
        try d.press(.enter)
        try d.expect(text: "Enter: record the mark")
        try d.type("2099-01-01")
        try d.press(.enter)
        try d.expect(text: "(audit seq")
        let marks = try f.events(action: "review.mark")
        #expect(marks.count == 1)
        #expect(marks.first?["reason"] as? String == "kept for the tmux test")
        #expect(["search-ranking", "beta.api"].contains(marks.first?["flag"] as? String ?? ""))
        try d.back()
        try d.quit()
    }

    /// `?` over a screen shows that screen's keys and returns to it.
    @Test func helpIsAboutTheScreenItWasOpenedOver() throws {
        let f = try TerminalFixture()
        let d = try DashboardDriver(f)
        defer { d.close() }
        try d.waitForGrid()
        try d.open(.history(nil))
        let help = try d.open(.help)
        #expect(help.contains("flagdeck help: history (all flags)"))
        #expect(help.contains("filter: env=ACCOUNT/ENV"))
        #expect(!help.contains("kill the flag in the selected environment"))
        try d.back()
        try d.expect(text: "grid › history (all flags)")
        try d.back()
        try d.quit()
    }
}
