import Foundation
import Testing

/// `flagdeck review` and `flagdeck settings` through the built binary, as scripts use them.
/// Writes happen at the real time, so the report is judged at `--now` 60 days later.
@Suite("review and settings CLI")
struct ReviewCLITests {

    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    final class Sandbox {
        let dir: String
        var db: String { dir + "/flags.sqlite" }

        init() throws {
            dir = NSTemporaryDirectory() + "flagdeck-review-cli-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        @discardableResult
        func ok(_ args: String...) throws -> String {
            let r = try run(args)
            #expect(r.status == 0, "flagdeck \(args.joined(separator: " ")): \(r.err)")
            return r.out
        }

        func run(_ args: [String]) throws -> Run {
            let r = try CLIRunner.run(args + ["--db", db])
            return Run(status: r.status, out: r.stdout, err: r.stderr)
        }
    }

    static func later(days: Double) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: Date().addingTimeInterval(days * 86_400))
    }

    /// Two environments; `rollout.half` on in dev only (stuck), `dead.switch` never enabled
    /// (remove), `nobody.owns` without owner (orphan); all releases, so 60 days on all are overdue.
    func sandbox() throws -> Sandbox {
        let s = try Sandbox()
        try s.ok("init")
        try s.ok("env", "add", "acct/dev")
        try s.ok("env", "add", "acct/prod", "--protected")
        try s.ok("flag", "add", "rollout.half", "--owner", "alice")
        try s.ok("flag", "add", "dead.switch", "--owner", "bob")
        try s.ok("flag", "add", "nobody.owns")
        try s.ok("enable", "rollout.half", "--env", "acct/dev")
        return s
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func reviewJSONCountsEveryKindAndListsCandidates() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLIRunner.binary), "build first: swift build")
        let s = try sandbox()
        let doc = try json(try s.ok("review", "--json", "--now", Self.later(days: 60)))
        let counts = try #require(doc["counts"] as? [String: Int])
        #expect(Set(counts.keys) == ["retire", "remove", "overdue", "expired", "orphan", "stuck", "long-kill"])
        #expect(counts["overdue"] == 3)
        #expect(counts["stuck"] == 1)
        #expect(counts["orphan"] == 1)
        #expect(counts["remove"] == 2)
        let candidates = try #require(doc["candidates"] as? [[String: Any]])
        let stuck = try #require(candidates.first { $0["key"] as? String == "rollout.half" })
        let kinds = (stuck["hints"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
        #expect(kinds == ["overdue", "stuck"])
        #expect(stuck["owner"] as? String == "alice")
        #expect((stuck["last_change"] as? [String: Any])?["env"] as? String == "acct/dev")

        // Judged today nothing is old enough for anything but the missing owner.
        let today = try json(try s.ok("review", "--format", "json"))
        #expect((today["counts"] as? [String: Int])?["orphan"] == 1)
        #expect((today["counts"] as? [String: Int])?["overdue"] == 0)
    }

    @Test func markdownReadsAsAWikiPage() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLIRunner.binary), "build first: swift build")
        let s = try sandbox()
        let md = try s.ok("review", "--format", "markdown", "--now", Self.later(days: 60))
        #expect(md.hasPrefix("# Flag review "))
        #expect(md.contains("| Hint | Severity | Flags | Advice |"))
        #expect(md.contains("| [stuck](#stuck) | medium | 1 |"))
        #expect(md.contains("## stuck\n"))
        // 59 or 60: `--now` is wall-clock + 60 days, so the day count depends on how long
        // the setup commands took (the machine may be loaded).
        #expect(md.contains("| `rollout.half` | alice | environments disagree for 59 days")
                || md.contains("| `rollout.half` | alice | environments disagree for 60 days"))
        let csv = try s.ok("review", "report", "--format", "csv", "--now", Self.later(days: 60))
        #expect(csv.hasPrefix("flag,owner,type,kind,severity,facts,advice,last_change_at,last_change_by,mark\r\n"))
        #expect(csv.hasSuffix("\r\n"))
        #expect(!csv.contains("\r\n\n"))
    }

    @Test func markAppearsInHistoryAndSilencesTheFlag() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLIRunner.binary), "build first: swift build")
        let s = try sandbox()
        let until = String(Self.later(days: 90).prefix(10))
        let out = try s.ok("review", "mark", "dead.switch", "--keep", "--reason", "needed for the EU launch", "--until", until)
        #expect(out.hasPrefix("marked dead.switch keep until \(until)"))

        let history = try #require(try JSONSerialization.jsonObject(with: Data(try s.ok("history", "dead.switch", "--json").utf8)) as? [[String: Any]])
        let mark = try #require(history.first)
        #expect(mark["action"] as? String == "review.mark")
        #expect(mark["reason"] as? String == "needed for the EU launch")
        #expect((mark["after"] as? [String: Any])?["mark"] as? String == "keep")

        // "Since the last review" defaults to the 30 days before --now; a month-later
        // review includes today's mark only with an explicit --since.
        let doc = try json(try s.ok("review", "--json", "--now", Self.later(days: 60), "--since", Self.later(days: -1)))
        let keys = (doc["candidates"] as? [[String: Any]])?.compactMap { $0["key"] as? String } ?? []
        #expect(!keys.contains("dead.switch"))
        #expect((doc["silenced"] as? [[String: Any]])?.first?["key"] as? String == "dead.switch")
        #expect((doc["marks"] as? [[String: Any]])?.first?["reason"] as? String == "needed for the EU launch")
        let soon = try json(try s.ok("review", "--json", "--now", Self.later(days: 20)))
        #expect((soon["marks"] as? [[String: Any]])?.count == 1)
        // Past its date it nags again.
        let after = try json(try s.ok("review", "--json", "--now", Self.later(days: 91)))
        #expect((after["candidates"] as? [[String: Any]])?.contains { $0["key"] as? String == "dead.switch" } == true)
    }

    @Test func checkShowsOneFlagsChecklist() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLIRunner.binary), "build first: swift build")
        let s = try sandbox()
        let doc = try json(try s.ok("review", "check", "nobody.owns", "--json", "--now", Self.later(days: 60)))
        #expect(doc["ready_to_retire"] as? Bool == false)
        let items = try #require(doc["checklist"] as? [[String: Any]])
        let owner = try #require(items.first { $0["rule"] as? String == "Has an owner" })
        #expect(owner["passed"] as? Bool == false)
        #expect(owner["measured"] as? String == "no owner")
        let text = try s.ok("review", "check", "nobody.owns", "--now", Self.later(days: 60))
        #expect(text.contains("✗ Has an owner — no owner"))
        #expect(try s.run(["review", "check", "nope"]).status == 1)
    }

    /// Acceptance: `review --json` on the bundled sample data finds every hint kind.
    @Test func sampleDataHasEveryHintKind() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLIRunner.binary), "build first: swift build")
        let s = try Sandbox()
        let root = CLIRunner.repoRoot.appendingPathComponent("sample-data").path
        let now = "2026-11-21T12:00:00Z"
        try s.ok("demo", "--build-only", "--sample-data", root, "--now", now)
        let doc = try json(try s.ok("review", "--json", "--now", now))
        let counts = try #require(doc["counts"] as? [String: Int])
        #expect(counts.count == 7)
        #expect(counts.values.allSatisfy { $0 >= 1 }, "\(counts)")
        let candidates = try #require(doc["candidates"] as? [[String: Any]])
        let kinds = { (key: String) in
            (candidates.first { $0["key"] as? String == key }?["hints"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
        }
        #expect(kinds("payments.smart-retries").contains("long-kill"))
        #expect(kinds("ledger.double-entry-v2").contains("retire"))
        #expect(kinds("payments.sepa-instant").contains("stuck"))
    }

    @Test func refusedMarksExplainThemselves() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLIRunner.binary), "build first: swift build")
        let s = try sandbox()
        let noReason = try s.run(["review", "mark", "dead.switch", "--keep", "--reason", " "])
        #expect(noReason.status == 64)
        let twoKinds = try s.run(["review", "mark", "dead.switch", "--keep", "--snooze", "--reason", "x"])
        #expect(twoKinds.status == 64)
        let past = try s.run(["review", "mark", "dead.switch", "--snooze", "--reason", "x", "--until", "2001-01-01"])
        #expect(past.status == 1)
        #expect(past.err.contains("is not after now"))
        let unknown = try s.run(["review", "mark", "nope", "--retire", "--reason", "x"])
        #expect(unknown.status == 1)
        #expect(try s.ok("history", "--action", "review.mark", "--json").trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test func settingsAreValidatedAndAudited() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLIRunner.binary), "build first: swift build")
        let s = try sandbox()
        let bad = try s.run(["settings", "set", "lifecycle.stable_window_days", "four weeks", "--reason", "x"])
        #expect(bad.status == 1)
        #expect(bad.err.contains("lifecycle.stable_window_days"))
        #expect(bad.err.contains("\"four weeks\""))
        try s.ok("settings", "set", "lifecycle.stable_window_days", "7", "--reason", "weekly review")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(try s.ok("settings", "show", "--json").utf8)) as? [[String: Any]])
        let window = try #require(shown.first { $0["key"] as? String == "lifecycle.stable_window_days" })
        #expect(window["value"] as? String == "7")
        #expect(window["default"] as? Bool == false)
        let events = try #require(try JSONSerialization.jsonObject(with: Data(try s.ok("history", "--action", "setting.set", "--json").utf8)) as? [[String: Any]])
        #expect(events.count == 1)
        #expect(events.first?["reason"] as? String == "weekly review")
        #expect((events.first?["after"] as? [String: Any])?["value"] as? String == "7")
        // The shorter window makes the stuck flag stuck after 10 days instead of 28.
        let doc = try json(try s.ok("review", "--json", "--now", Self.later(days: 10)))
        #expect((doc["counts"] as? [String: Int])?["stuck"] == 1)
    }
}
