import Foundation
import Testing

/// The detail, history and review screens in a real terminal, on a database built with
/// the CLI; what the dashboard writes is checked through `flagdeck history --json`.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"), .serialized)
struct TmuxScreensTests {
    @Test func detailThenHistoryShowEventsAndDiff() throws {
        let f = try CLIFixture()
        try f.ok(["enable", "checkout.v2", "--env", "sandbox/dev", "--reason", "launch"])
        try f.ok(["rollout", "checkout.v2", "--env", "sandbox/dev", "--percent", "25", "--reason", "ramp to a quarter"])
        let (t, _) = try TmuxDashboardTests.session(f)
        defer { t.close() }
        try t.waitFor(text: "checkout.v2")
        try t.keys("/")
        try t.type("checkout")
        try t.keys("Enter")
        try t.waitFor("filtered to one flag") { $0.contains("checkout.v2") && !$0.contains("search-ranking") }
        try t.keys("Enter")
        let detail = try t.waitFor(text: "RETIREMENT CHECKLIST")
        #expect(detail.contains("grid › flag checkout.v2"))
        #expect(detail.contains("needed by:   beta.api"))
        try t.keys("h")
        let history = try t.waitFor(text: "history checkout.v2")
        let lines = history.split(separator: "\n").map(String.init)
        let ramp = try #require(lines.first { $0.contains("\"ramp to a quarter\"") }, "\(history)")
        #expect(ramp.contains("rollout"))
        #expect(ramp.contains("sandbox/dev"))
        #expect(ramp.contains("→25"))
        #expect(lines.contains { $0.contains("enable") && $0.contains("\"launch\"") && $0.contains("false→true") })
        #expect(history.contains("served %"))
        try t.keys("Escape")
        try t.waitFor(text: "RETIREMENT CHECKLIST")
        try t.keys("Escape")
        try t.waitFor("back on the grid") { $0.contains("checkout.v2") && !$0.contains("RETIREMENT") }
        try t.keys("q")
        try t.waitFor(text: "EXIT=0")
    }

    @Test func keepMarkInReviewIsAudited() throws {
        let f = try CLIFixture()
        let (t, _) = try TmuxDashboardTests.session(f)
        defer { t.close() }
        try t.waitFor(text: "checkout.v2")
        try t.keys("R")
        try t.waitFor(text: "grid › review")
        // Unowned flags are candidates (orphan); the first one is selected.
        let list = try t.waitFor(text: "orphan")
        #expect(list.contains("m keep"))
        try t.keys("m")
        try t.waitFor(text: "MARK ")
        try t.type("kept for the tmux test")
        try t.keys("Enter")
        try t.waitFor(text: "Enter: record the mark")
        try t.type("2099-01-01")
        try t.keys("Enter")
        try t.waitFor(text: "(audit seq")
        let marks = try f.history().filter { ($0["action"] as? String) == "review.mark" }
        #expect(marks.count == 1)
        #expect(marks.first?["reason"] as? String == "kept for the tmux test")
        #expect(["search-ranking", "beta.api"].contains(marks.first?["flag"] as? String ?? ""))
        try t.keys("Escape")
        try t.keys("q")
        try t.waitFor(text: "EXIT=0")
    }
}
