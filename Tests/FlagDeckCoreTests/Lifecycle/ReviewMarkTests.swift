import FlagDeckCore
import Foundation
import Testing

@Suite("Review marks")
struct ReviewMarkTests {
    /// A release flag off everywhere since creation, 60 days ago: remove + overdue.
    func staleFlag() throws -> (SQLiteStore, Flag) {
        let (store, _) = try T.store(envs: 2)
        let created = T.ago(60 * T.day)
        let f = try T.at(created, store).createFlag(Flag(key: "old.checkout", owner: "alice", createdAt: created), reason: "new")
        return (store, f)
    }

    func top(_ store: SQLiteStore, _ f: Flag, at now: Date) throws -> Hint? {
        try store.read { r in try LifecycleContext.load(from: r).topHint(for: f, cells: try r.states(flag: f.key), now: now) }
    }

    @Test func keepSilencesUntilItsDateThenNagsAgain() throws {
        let (store, f) = try staleFlag()
        #expect(try top(store, f, at: T.now)?.kind == .overdue)
        let until = T.now.addingTimeInterval(10 * T.day)
        try T.at(T.now, store).markForReview(flag: f.key, .keep, reason: "still needed for the EU launch", until: until)
        #expect(try top(store, f, at: T.now) == nil)
        #expect(try top(store, f, at: until.addingTimeInterval(-1)) == nil)
        #expect(try top(store, f, at: until)?.kind == .overdue)
    }

    @Test func keepWithoutDateSilencesForGood() throws {
        let (store, f) = try staleFlag()
        try T.at(T.now, store).markForReview(flag: f.key, .keep, reason: "permanent by design")
        #expect(try top(store, f, at: T.now.addingTimeInterval(3_000 * T.day)) == nil)
    }

    @Test func snoozeDefaultsToTheSnoozeSetting() throws {
        let (store, f) = try staleFlag()
        try T.at(T.now, store).setSetting(LifecycleSettings.snoozeKey, to: "3", reason: "short sprints")
        let mark = try T.at(T.now, store).markForReview(flag: f.key, .snooze, reason: "after the freeze")
        #expect(mark.until == T.now.addingTimeInterval(3 * T.day))
        #expect(try top(store, f, at: T.now.addingTimeInterval(3 * T.day - 1)) == nil)
        #expect(try top(store, f, at: T.now.addingTimeInterval(3 * T.day)) != nil)
    }

    @Test func retireMarkDoesNotSilence() throws {
        let (store, f) = try staleFlag()
        try T.at(T.now, store).markForReview(flag: f.key, .retire, reason: "agreed in review")
        #expect(try top(store, f, at: T.now)?.kind == .overdue)
    }

    @Test func aLaterMarkReplacesAnEarlierOne() throws {
        let (store, f) = try staleFlag()
        try T.at(T.ago(T.day), store).markForReview(flag: f.key, .keep, reason: "needed")
        try T.at(T.now, store, name: "bob").markForReview(flag: f.key, .retire, reason: "no longer needed")
        let marks = try store.read { try ReviewMark.current(in: $0) }
        #expect(marks[f.key]?.kind == .retire)
        #expect(marks[f.key]?.by == "bob")
        #expect(try top(store, f, at: T.now) != nil)
    }

    @Test func eachMarkIsExactlyOneAuditEventWithBeforeAndAfter() throws {
        let (store, f) = try staleFlag()
        let before = try store.read { try $0.eventCount() }
        try T.at(T.ago(T.day), store).markForReview(flag: f.key, .snooze, reason: "later", until: T.now.addingTimeInterval(T.day))
        try T.at(T.now, store).markForReview(flag: f.key, .keep, reason: "core path")
        let events = try store.read { try $0.events(AuditQuery(flag: f.key, action: AuditAction.reviewMark)) }
        #expect(try store.read { try $0.eventCount() } == before + 2)
        #expect(events.count == 2)
        #expect(events[0].reason == "core path")
        #expect(events[0].before == ReviewMark.snapshot(kind: .snooze, until: T.now.addingTimeInterval(T.day)))
        #expect(events[0].after == "{\"mark\":\"keep\",\"until\":null}")
        #expect(try AuditLog.verify(store).ok)
    }

    @Test(arguments: [
        (ReviewMarkKind.keep, "", nil as TimeInterval?),
        (.keep, "ok", 0),
        (.snooze, "ok", -T.day),
        (.retire, "ok", T.day),
    ])
    func refusedMarksWriteNothing(kind: ReviewMarkKind, reason: String, untilOffset: TimeInterval?) throws {
        let (store, f) = try staleFlag()
        let count = try store.read { try $0.eventCount() }
        #expect(throws: FlagDeckError.self) {
            try T.at(T.now, store).markForReview(flag: f.key, kind, reason: reason, until: untilOffset.map { T.now.addingTimeInterval($0) })
        }
        #expect(try store.read { try $0.eventCount() } == count)
    }

    @Test func unknownFlagIsRefused() throws {
        let (store, _) = try staleFlag()
        #expect(throws: FlagDeckError.unknownFlag("nope")) {
            try T.at(T.now, store).markForReview(flag: "nope", .keep, reason: "x")
        }
    }

    @Test func reviewSilencesKeptFlagsButStillListsThem() throws {
        let (store, f) = try staleFlag()
        try T.at(T.now, store).markForReview(flag: f.key, .keep, reason: "EU launch", until: T.now.addingTimeInterval(T.day))
        let report = try ReviewReport.load(from: store, now: T.now)
        #expect(report.candidates.isEmpty)
        #expect(report.silenced.map(\.flag.key) == [f.key])
        #expect(report.marks.map(\.reason) == ["EU launch"])
    }
}

@Suite("Lifecycle writes under an access policy")
struct LifecyclePolicyTests {
    @Test func marksAndSettingsNeedARightToChangeSomethingAndDenialsAreAudited() throws {
        let (store, admin) = try T.store(envs: 1)
        try admin.createFlag(Flag(key: "f", owner: "o", createdAt: T.now))
        try admin.setPolicy(AccessPolicy(admins: ["user:tester"], allow: [.init(principal: "user:alice", envs: "*")]),
                            reason: "lock down")
        let mallory = T.at(T.now, store, name: "mallory")
        #expect(throws: FlagDeckError.self) { try mallory.markForReview(flag: "f", .keep, reason: "mine") }
        #expect(throws: FlagDeckError.self) {
            try mallory.setSetting(LifecycleSettings.longKillKey, to: "3650", reason: "hide my kills")
        }
        let denied = try store.read { try $0.events(AuditQuery(action: AuditAction.denied)) }
        #expect(denied.count == 2)
        #expect(try store.read { try ReviewMark.current(in: $0) }.isEmpty)
        #expect(try store.read { try $0.settings() }[LifecycleSettings.longKillKey] == nil)

        let alice = T.at(T.now, store, name: "alice")
        try alice.markForReview(flag: "f", .keep, reason: "needed")
        try alice.setSetting(LifecycleSettings.longKillKey, to: "3", reason: "stricter")
        #expect(try store.read { try ReviewMark.current(in: $0) }["f"]?.by == "alice")
    }
}
