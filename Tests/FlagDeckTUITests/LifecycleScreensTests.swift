import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

/// Detail, history and review screens, driven by keys on an in-memory surface against a
/// real database.
@Suite struct LifecycleScreensTests {
    @Test func detailShowsDependenciesStatesAndChecklist() throws {
        let f = try Fixture()
        try f.ops.createFlag(Flag(key: "promo-banner", owner: "web", tags: [], createdAt: Fixture.now.addingTimeInterval(-86_400),
                                  dependsOn: ["checkout-v2"]))
        var app = try f.app(rows: 80, cols: 140)
        app.select(flag: "checkout-v2", env: "acme/dev")
        app.press(.enter)
        let s = app.screen(rows: 80, cols: 140)
        #expect(s.row(0).contains("grid › flag checkout-v2"))
        #expect(s.text.contains("needed by:   promo-banner"))
        #expect(s.text.contains("depends on:  (nothing)"))
        #expect(s.text.contains("acme/prod"))
        #expect(s.text.contains("RETIREMENT CHECKLIST"))
        #expect(s.text.contains("✓ Has an owner — payments"))
        #expect(s.text.contains("✗ On at 100% in every environment — 2 of 4 at 100%"))
        #expect(s.text.contains("✓ Not killed anywhere"))

        var dep = try f.app(rows: 80, cols: 140)
        dep.run(.flag("promo-banner"))
        dep.press(.enter)
        #expect(dep.screen(rows: 80, cols: 140).text.contains("depends on:  checkout-v2"))
        dep.press(.escape)
        guard dep.onGrid else { Issue.record("Esc returns to the grid"); return }
    }

    @Test func historyFromDetailShowsEventsAndDiffs() throws {
        let f = try Fixture()
        try f.recentOps.kill(flag: "new-search", env: "globex/staging", reason: "errors spiking")
        var app = try f.app(rows: 40, cols: 160)
        app.run(.flag("new-search"))
        app.press(.enter, .char("h"))
        let s = app.screen(rows: 40, cols: 160)
        #expect(s.row(0).contains("flag new-search › history new-search"))
        let rows = s.text.split(separator: "\n").map(String.init)
        let kill = try #require(rows.first { $0.contains("kill ") && $0.contains("globex/staging") })
        #expect(kill.contains("alice"))
        #expect(kill.contains("killed false→true"))
        #expect(kill.contains("\"errors spiking\""))
        let rollout = try #require(rows.firstIndex { $0.contains("rollout ") && $0.contains("→25") }, "\(s.text)")
        // Newest first: the kill is above the rollout.
        #expect(try #require(rows.firstIndex(of: kill)) < rollout)
        #expect(s.text.contains("served %"))
        // The chart: 25 % until the kill a minute ago, then the floor.
        let chart = try #require(rows.first { $0.hasPrefix(" globex/staging") }, "\(s.text)")
        #expect(chart.contains("0%"))
        #expect(chart.contains("▂") && chart.trimmingCharacters(in: .whitespaces).hasSuffix("▁"))
        guard let h = app.top(HistoryScreen.self) else { Issue.record("history"); return }
        #expect(h.timeline.value(env: "globex/staging", at: Fixture.now) == 0)
        // Enter shows the selected (newest: the kill) event's snapshots.
        app.press(.enter)
        let expanded = app.screen(rows: 40, cols: 160)
        #expect(expanded.text.contains(" before: {"))
        #expect(expanded.text.contains("\"killed\":true"))
        #expect(h.timeline.value(env: "globex/staging", at: Fixture.now.addingTimeInterval(-3_600)) == 2_500)
        app.press(.escape)
        #expect(app.screen(rows: 40, cols: 160).row(0).contains("grid › flag new-search"))
        app.press(.escape)
        guard app.onGrid else { Issue.record("second Esc returns to the grid"); return }
    }

    @Test func historyFilterNarrowsTheQuery() throws {
        let f = try Fixture()
        var app = try f.app(rows: 40, cols: 160)
        app.press(.char("H"))
        guard let h = app.top(HistoryScreen.self) else { Issue.record("H opens history"); return }
        #expect(h.flag == nil)
        #expect(h.events.contains { $0.action == "env.create" })
        app.press(.char("f"))
        app.type("action=enable op=alice")
        app.press(.enter)
        guard let filtered = app.top(HistoryScreen.self) else { Issue.record("still history"); return }
        #expect(filtered.filter == .init(operator: "alice", action: "enable"))
        #expect(!filtered.events.isEmpty)
        #expect(filtered.events.allSatisfy { $0.action == "enable" && $0.operator == "alice" })
        #expect(app.screen(rows: 40, cols: 160).text.contains("[op=alice action=enable]"))
        #expect(HistoryScreen.Filter.parse("bogus=1").isFailure)

        app.press(.char("f"), .ctrl("u"))
        app.type("flag=new-search action=rollout")
        app.press(.enter)
        guard let byFlag = app.top(HistoryScreen.self) else { Issue.record("still history"); return }
        #expect(byFlag.events.count == 1)
        #expect(byFlag.events.allSatisfy { $0.flag == "new-search" && $0.action == "rollout" })
    }

    @Test func historyPagesThroughMoreThanOnePage() throws {
        let f = try Fixture()
        for i in 0..<260 { try f.ops.setRollout(flag: "dark-mode", env: "acme/dev", basisPoints: (i % 10) * 1_000 + 500) }
        var app = try f.app(rows: 30, cols: 140)
        app.run(.history("dark-mode"))
        guard let first = app.top(HistoryScreen.self) else { Issue.record("opens"); return }
        #expect(first.events.count == HistoryScreen.pageSize)
        #expect(!first.exhausted)
        for _ in 0..<200 { app.press(.down) }
        guard let h = app.top(HistoryScreen.self) else { Issue.record("still open"); return }
        #expect(h.pagesLoaded == 2)
        #expect(h.exhausted)
        // 260 rollouts, plus the flag's creation; seqs strictly descending, no duplicates.
        #expect(h.events.count == 261)
        #expect(zip(h.events, h.events.dropFirst()).allSatisfy { $0.seq > $1.seq })
        #expect(h.events.last?.action == "flag.create")
    }

    @Test func reviewListsCandidatesAndRecordsAKeepMark() throws {
        let f = try Fixture()
        try f.ops.createFlag(Flag(key: "orphan", owner: nil, tags: [], createdAt: Fixture.now.addingTimeInterval(-400 * 86_400),
                                  dependsOn: []))
        var app = try f.app(rows: 40, cols: 160)
        app.press(.char("R"))
        let expected = try ReviewReport.load(from: f.store, now: Fixture.now).candidates.map(\.flag.key)
        guard let r = app.top(ReviewScreen.self) else { Issue.record("R opens review"); return }
        #expect(r.candidates.map(\.flag.key) == expected)
        #expect(expected.contains("orphan"))
        #expect(app.model.data.rows[try #require(app.model.data.index["orphan"])].hint != nil)
        while let r = app.top(ReviewScreen.self), r.current?.flag.key != "orphan" { app.press(.down) }

        // Esc writes nothing.
        let before = try f.eventCount()
        app.press(.char("m"))
        app.type("half-typed")
        app.press(.escape)
        #expect(try f.eventCount() == before)
        #expect(app.status?.text == "cancelled; nothing written")

        // Reason is required.
        app.press(.char("m"), .enter)
        #expect(app.screen(rows: 40, cols: 160).text.contains("A reason is required"))
        app.type("platform owns it; kept on purpose")
        app.press(.enter)
        app.type("2030-01-01")
        app.press(.enter)
        let marks = try f.store.read { try $0.events(AuditQuery(flag: "orphan", action: AuditAction.reviewMark)) }
        #expect(marks.count == 1)
        #expect(marks.first?.reason == "platform owns it; kept on purpose")
        #expect(marks.first?.operator == "alice")
        guard let r2 = app.top(ReviewScreen.self) else { Issue.record("stays in review"); return }
        #expect(!r2.candidates.contains { $0.flag.key == "orphan" })
        #expect(app.status?.text.contains("marked orphan keep") == true)
        // The grid's hint column follows: the kept flag stops nagging there too.
        app.press(.escape)
        guard app.onGrid else { Issue.record("Esc returns to the grid"); return }
        #expect(app.model.data.rows[try #require(app.model.data.index["orphan"])].hint == nil)
    }

    @Test func reviewFilterNarrowsByKeyOwnerOrHint() throws {
        let f = try Fixture()
        for k in ["orphan-a", "orphan-b"] {
            try f.ops.createFlag(Flag(key: k, owner: nil, tags: [], createdAt: Fixture.now.addingTimeInterval(-400 * 86_400),
                                      dependsOn: []))
        }
        var app = try f.app(rows: 40, cols: 160)
        app.press(.char("R"), .char("/"))
        app.type("orphan-b")
        guard let r = app.top(ReviewScreen.self) else { Issue.record("review"); return }
        #expect(r.candidates.map(\.flag.key) == ["orphan-b"])
        #expect(app.screen(rows: 40, cols: 160).text.contains("matching \"orphan-b\""))
        app.press(.enter, .escape)
        guard let r2 = app.top(ReviewScreen.self) else { Issue.record("Esc clears first"); return }
        #expect(r2.filter.isEmpty)
        #expect(r2.candidates.count >= 2)
    }

    @Test func reviewMarksAreHiddenWhenReadOnly() throws {
        let f = try Fixture()
        try f.ops.createFlag(Flag(key: "orphan", owner: nil, tags: [], createdAt: Fixture.now.addingTimeInterval(-400 * 86_400),
                                  dependsOn: []))
        var app = try f.app(readOnly: true, rows: 40, cols: 160)
        app.run(.review)
        #expect(!app.screen(rows: 40, cols: 160).row(39).contains("m keep"))
        let before = try f.eventCount()
        app.press(.char("m"))
        #expect(app.status?.kind == .error)
        #expect(try f.eventCount() == before)
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}

@Suite struct ScreenStackTests {
    @Test func helpFromAScreenReturnsToIt() throws {
        let f = try Fixture()
        var app = try f.app(rows: 40, cols: 140)
        app.run(.flag("dark-mode"))
        app.press(.enter, .char("h"), .char("?"))
        // Help is about the screen it was opened over: history's keys, not the grid's.
        let help = app.screen(rows: 40, cols: 140).text
        #expect(help.contains("flagdeck help: history dark-mode"))
        #expect(help.contains("filter: env=ACCOUNT/ENV op=NAME action=NAME flag=KEY"))
        #expect(!help.contains("kill the flag in the selected environment"))
        app.press(.escape)
        #expect(app.screen(rows: 40, cols: 140).row(0).contains("grid › flag dark-mode › history dark-mode"))
        app.press(.escape, .escape)
        guard app.onGrid else { Issue.record("back on the grid"); return }
        app.press(.char("?"), .escape)
        guard app.onGrid else { Issue.record("help from the grid returns to the grid"); return }
    }

    @Test func detailFollowsChangesMadeElsewhere() throws {
        let f = try Fixture()
        var app = try f.app(rows: 60, cols: 140)
        app.run(.flag("dark-mode"))
        app.press(.enter)
        #expect(!app.screen(rows: 60, cols: 140).text.contains("killed in acme/dev"))
        try f.recentOps.kill(flag: "dark-mode", env: "acme/dev", reason: "elsewhere")
        let changed = app.poll()
        #expect(changed)
        #expect(app.screen(rows: 60, cols: 140).text.contains("✗ Not killed anywhere — killed in acme/dev"))
    }
}

@Suite struct CommandsOverScreensTests {
    @Test func colonWorksOverAScreenButNotWhileTyping() throws {
        let f = try Fixture()
        var app = try f.app(rows: 40, cols: 140)
        app.run(.flag("dark-mode"))
        app.press(.enter, .char(":"))
        let s = app.screen(rows: 40, cols: 140)
        #expect(s.row(0).contains("grid › flag dark-mode"), "the screen stays visible under the command line")
        #expect(s.row(39).hasPrefix(":"))
        app.press(.escape)
        #expect(app.screen(rows: 40, cols: 140).row(0).contains("grid › flag dark-mode"))

        app.press(.char(":"))
        app.type("history new-search")
        app.press(.enter)
        #expect(app.screen(rows: 40, cols: 140).row(0).contains("grid › history new-search"))

        // In the evaluate panel ':' is part of the JSON being typed.
        app.press(.escape)
        app.run(.flag("dark-mode"))
        app.press(.enter, .char("e"), .ctrl("u"))
        app.type("{\"user_id\": \"u\"}")
        guard let d = app.top(FlagDetailScreen.self) else { Issue.record("still detail"); return }
        #expect(d.evaluate?.context.text == "{\"user_id\": \"u\"}")
        app.press(.escape, .escape)
        app.press(.char("?"), .escape)
        guard app.onGrid else { Issue.record("no stale screen comes back"); return }
    }
}
