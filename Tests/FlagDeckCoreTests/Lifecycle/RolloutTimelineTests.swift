import FlagDeckCore
import Foundation
import Testing

@Suite("Rollout timeline")
struct RolloutTimelineTests {
    @Test func rebuildsServedPercentagePerEnvironmentFromTheLog() throws {
        let (store, _) = try T.store(envs: 2)
        let t0 = T.ago(10 * T.day)
        try T.at(t0, store).createFlag(Flag(key: "f", owner: "o", createdAt: t0))
        try T.at(T.ago(9 * T.day), store).setRollout(flag: "f", env: "acct/env0", basisPoints: 2_550)
        try T.at(T.ago(8 * T.day), store).setEnabled(true, flag: "f", env: "acct/env0")
        try T.at(T.ago(6 * T.day), store).setRollout(flag: "f", env: "acct/env0", basisPoints: 10_000)
        try T.at(T.ago(4 * T.day), store).kill(flag: "f", env: "acct/env0", reason: "bad")
        try T.at(T.ago(5 * T.day), store).markForReview(flag: "f", .keep, reason: "ignored by the timeline")
        let events = try store.read { try $0.events(AuditQuery(flag: "f")) }
        let tl = RolloutTimeline(events: events)
        #expect(tl.steps["acct/env0"]?.map(\.basisPoints) == [0, 2_550, 10_000, 0])
        #expect(tl.steps["acct/env1"] == nil)
        #expect(tl.value(env: "acct/env0", at: T.ago(9.5 * T.day)) == nil)
        #expect(tl.value(env: "acct/env0", at: T.ago(7 * T.day)) == 2_550)
        #expect(tl.value(env: "acct/env0", at: T.ago(5 * T.day)) == 10_000)
        #expect(tl.value(env: "acct/env0", at: T.now) == 0)
        #expect(tl.sparkline(env: "acct/env0", from: T.ago(10 * T.day), to: T.now, width: 11) == " ▁▃▃██▁▁▁▁▁")
    }
}
