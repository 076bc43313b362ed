import FlagDeckCore
import Foundation
import Testing

/// The analytics fed from a real store: the per-flag audit summary, stability ages, the
/// checklist and the report renderings.
@Suite("Lifecycle from the store")
struct LifecycleStoreTests {
    @Test func activityHasTheLatestKillPerFlag() throws {
        let (store, _) = try T.store(envs: 2)
        let created = T.ago(90 * T.day)
        try T.at(created, store).createFlag(Flag(key: "a", owner: "o", createdAt: created))
        try T.at(created, store).createFlag(Flag(key: "b", owner: "o", createdAt: created))
        try T.at(T.ago(50 * T.day), store, name: "bob").kill(flag: "a", env: "acct/env0", reason: "first")
        try T.at(T.ago(49 * T.day), store).unkill(flag: "a", env: "acct/env0", reason: "fixed")
        try T.at(T.ago(10 * T.day), store, name: "carol").kill(flag: "a", env: "acct/env1", reason: "second")
        let activity = try store.read { try FlagActivity.load(from: $0) }
        #expect(activity["a"]?.lastKill == KillFact(at: T.ago(10 * T.day), env: "acct/env1", by: "carol", reason: "second"))
        #expect(activity["b"] == nil)
        let hints = try store.read { r in try LifecycleInput.load(from: r).allHints(now: T.now) }
        #expect(hints.first { $0.flag.key == "a" }?.hints.map(\.kind).contains(.longKill) == true)
    }

    @Test func killsAreJudgedAgainstTheWindow() throws {
        let (store, _) = try T.store(envs: 2)
        let created = T.ago(35 * T.day)
        // A release flag fully on, killed 30 days ago and unkilled 29 days ago.
        let g = try T.at(created, store).createFlag(Flag(key: "g", owner: "o", createdAt: created))
        for e in ["acct/env0", "acct/env1"] { try T.at(created, store).setEnabled(true, flag: g.key, env: e) }
        try T.at(T.ago(30 * T.day), store).kill(flag: g.key, env: "acct/env0", reason: "spike")
        try T.at(T.ago(29 * T.day), store).unkill(flag: g.key, env: "acct/env0", reason: "ok")
        let ctx = try store.read { try LifecycleContext.load(from: $0) }
        let cells = try store.read { try $0.states(flag: g.key) }
        // Unchanged for 29 days (≥ 28) and the kill 30 days ago is outside the window: retire.
        #expect(ctx.hints(for: g, cells: cells, now: T.now).hints.map(\.kind).contains(.retire))
        // With a 30-day window the cells are too young and the kill is inside it.
        var s = ctx
        s.settings.stableWindowDays = 31
        let items = RetirementChecklist.items(flag: g, cells: cells, activity: s.activity(of: g.key), settings: s.settings, now: T.now)
        #expect(items.first { $0.rule == "No kill in the last 31 days" }?.passed == false)
        #expect(items.first { $0.rule == "Unchanged for at least 31 days" }?.passed == false)
        #expect(!RetirementChecklist.readyToRetire(flag: g, cells: cells, activity: s.activity(of: g.key), settings: s.settings, now: T.now))
    }

    @Test func forEachStateStreamsExactlyTheCellsStatesReturns() throws {
        let store = try inventory()
        let (sorted, streamed) = try store.read { r -> ([FlagState], [FlagState]) in
            var all: [FlagState] = []
            try r.forEachState { all.append($0) }
            return (try r.states(), all)
        }
        #expect(sorted.count == 8)
        #expect(Set(streamed) == Set(sorted))
        #expect(streamed.count == sorted.count)
    }

    @Test func inputKeepsGridOrderWithinEachFlag() throws {
        let (store, ops) = try T.store(envs: 3)
        try ops.createFlag(Flag(key: "f", owner: "o", createdAt: T.now))
        try ops.createFlag(Flag(key: "g", owner: "o", createdAt: T.now))
        try ops.editEnvironment("acct/env0", protected: nil, displayOrder: 10, reason: "last")
        let input = try store.read { try LifecycleInput.load(from: $0) }
        #expect(input.cellsByFlag["f"]?.map(\.env.name) == ["env1", "env2", "env0"])
        #expect(input.cellsByFlag["g"]?.map(\.env.name) == ["env1", "env2", "env0"])
        #expect(input.environments.map(\.id.name) == ["env1", "env2", "env0"])
    }

    /// One flag per hint kind, made through the operations with backdated clocks, the way
    /// sample data is: the review must find each for the stated reason, and nothing else.
    @Test func everyKindFromOperations() throws {
        let (store, _) = try T.store(envs: 2)
        func at(_ daysAgo: Double) -> Operations { T.at(T.ago(daysAgo * T.day), store) }
        func flag(_ key: String, _ type: FlagType, owner: String? = "team", created daysAgo: Double, expires: Double? = nil) throws {
            try at(daysAgo).createFlag(Flag(key: key, owner: owner, type: type, createdAt: T.ago(daysAgo * T.day),
                                            expiresAt: expires.map { T.ago($0 * T.day) }))
        }
        let both = ["acct/env0", "acct/env1"]
        try flag("retire.me", .release, created: 35)            // on everywhere for 30 days, 35 days old
        for e in both { try at(30).setEnabled(true, flag: "retire.me", env: e) }
        try flag("remove.me", .release, created: 30)            // never enabled, 30 days
        try flag("overdue.me", .experiment, created: 50)        // 50 > 40 days; changed 2 days ago
        for e in both { try at(2).setEnabled(true, flag: "overdue.me", env: e) }
        try flag("expired.me", .killSwitch, created: 10, expires: 2)
        for e in both { try at(1).setEnabled(true, flag: "expired.me", env: e) }
        try flag("orphan.me", .killSwitch, owner: nil, created: 1)
        for e in both { try at(1).setEnabled(true, flag: "orphan.me", env: e) }
        try flag("stuck.me", .killSwitch, created: 60)          // on in env0 only, for 30 days
        try at(30).setEnabled(true, flag: "stuck.me", env: "acct/env0")
        try at(30).setEnabled(true, flag: "stuck.me", env: "acct/env1")
        try at(30).setRollout(flag: "stuck.me", env: "acct/env1", basisPoints: 2_500)
        try flag("longkill.me", .killSwitch, created: 20)       // killed in env0 10 days ago
        for e in both { try at(19).setEnabled(true, flag: "longkill.me", env: e) }
        try at(10).kill(flag: "longkill.me", env: "acct/env0", reason: "pager storm")

        let report = try ReviewReport.load(from: store, now: T.now)
        let found = Dictionary(uniqueKeysWithValues: report.candidates.map { ($0.flag.key, $0.active.map(\.kind)) })
        #expect(found["retire.me"] == [.retire])
        #expect(found["remove.me"] == [.remove])
        #expect(found["overdue.me"] == [.overdue])
        #expect(found["expired.me"] == [.expired])
        #expect(found["orphan.me"] == [.orphan])
        #expect(found["stuck.me"] == [.stuck])
        #expect(found["longkill.me"] == [.longKill])  // not stuck: the kill 10 days ago is a recent change
        #expect(report.counts.allSatisfy { $0.flags >= 1 })
        #expect(report.candidates.first?.flag.key == "longkill.me")
    }

    @Test func checklistShowsEachRuleWithItsMeasuredValue() {
        let f = T.flag(owner: nil, created: T.ago(63 * T.day))
        let cells = T.cells(["on", "on", "on"], changed: T.ago(63 * T.day))
        let items = RetirementChecklist.items(flag: f, cells: cells, now: T.now)
        let lines = items.map(\.line)
        #expect(lines.contains("✓ On at 100% in every environment — 3 of 3 at 100%"))
        #expect(lines.contains("✓ Not killed anywhere — no environment killed"))
        #expect(lines.contains("✓ Unchanged for at least 28 days — 63 days (last change 2026-09-19 by alice in acct/env0)"))
        #expect(lines.contains("✓ No kill in the last 28 days — never killed"))
        #expect(lines.contains("✗ Has an owner — no owner"))
        #expect(lines.contains("✗ Within its expected lifetime (40 days) — 63 days old (created 2026-09-19)"))
        #expect(RetirementChecklist.readyToRetire(flag: f, cells: cells, now: T.now))
    }

    @Test func stabilityAgesPerCellAndPerFlag() {
        let cells = [T.cell("on", env: 0, changed: T.ago(5 * T.day), by: "a"), T.cell("on", env: 1, changed: T.ago(2 * T.day), by: "b")]
        let ages = StabilityAge.perEnvironment(cells, now: T.now)
        #expect(ages[T.env(0)] == 5 * T.day)
        #expect(ages[T.env(1)] == 2 * T.day)
        let last = StabilityAge.lastChange(cells, now: T.now)
        #expect(last?.age == 2 * T.day)
        #expect(last?.by == "b")
        #expect(last?.env == T.env(1))
        #expect(StabilityAge.lastChange([], now: T.now) == nil)
        #expect(StabilityAge.of(cells[0], now: T.ago(10 * T.day)) == 0)
    }

    /// A small inventory with one flag per hint kind.
    func inventory() throws -> SQLiteStore {
        let (store, _) = try T.store(envs: 2)
        let old = T.ago(100 * T.day)
        let at = { T.at(old, store) }
        try at().createFlag(Flag(key: "done.everywhere", owner: "alice", type: .killSwitch, createdAt: old))
        try at().createFlag(Flag(key: "dead.code", owner: "bob", type: .permission, createdAt: old))
        try at().createFlag(Flag(key: "half.way", owner: "carol", type: .killSwitch, createdAt: old))
        try at().createFlag(Flag(key: "no.owner", type: .killSwitch, createdAt: old))
        for e in ["acct/env0", "acct/env1"] { try at().setEnabled(true, flag: "done.everywhere", env: e) }
        try at().setEnabled(true, flag: "half.way", env: "acct/env0")
        try T.at(T.ago(20 * T.day), store).kill(flag: "no.owner", env: "acct/env0", reason: "broke | badly")
        return store
    }

    @Test func reportCountsAndRenderings() throws {
        let store = try inventory()
        _ = try? T.at(T.ago(20 * T.day), store).createFlag(Flag(key: "x", createdAt: T.ago(20 * T.day)))
        let report = try ReviewReport.load(from: store, now: T.now)
        let counts = Dictionary(uniqueKeysWithValues: report.counts.map { ($0.kind.rawValue, $0.flags) })
        #expect(counts.count == HintKind.allCases.count)
        #expect(report.candidates.first?.top?.kind == .longKill)

        let md = ReviewReportFormat.markdown.render(report)
        #expect(md.hasPrefix("# Flag review 2026-11-21\n"))
        #expect(md.contains("| Hint | Severity | Flags | Advice |"))
        #expect(md.contains("## long-kill"))
        #expect(md.contains("broke \\| badly"))

        let csv = ReviewReportFormat.csv.render(report)
        #expect(csv.hasPrefix("flag,owner,type,kind,severity,facts,advice,last_change_at,last_change_by,mark\r\n"))
        #expect(csv.contains("no.owner,,kill-switch,long-kill,high,\"killed in acct/env0 for 20 days (since 2026-11-01 by tester); "
                             + "last kill reason: \"\"broke | badly\"\"\",Fix it or remove it,"))

        let json = ReviewReportFormat.json.render(report)
        let doc = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((doc?["counts"] as? [String: Int])?["long-kill"] == 1)
        #expect((doc?["candidates"] as? [[String: Any]])?.isEmpty == false)
    }
}
