import Foundation
import Testing
@testable import FlagDeckCore

/// Behaviour every backend must have. Parameterised over `StoreBackend` so a second
/// backend runs the identical suite.
@Suite("Store contract")
struct StoreContractTests {
    /// The grid reads its cells in slices on several connections: together the slices
    /// must be every cell exactly once, each flag whole in one of them.
    @Test(arguments: StoreBackend.allCases)
    func slicesOfTheCellsAreEveryCellOnceWithEachFlagInOneSlice(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        for i in 0..<7 { try fx.ops.createFlag(Flag(key: "extra.\(i)", createdAt: fx.clock.now)) }
        let all = try fx.store.read { r in var out: [FlagState] = []; try r.forEachState { out.append($0) }; return out }
        #expect(all.count == 10 * 4)
        for parts in [1, 2, 3, 16] {
            var seen: [CellKeyForTest: Int] = [:]
            var sliceOf: [String: Int] = [:]
            for part in 0..<parts {
                try fx.store.read { r in
                    try r.forEachState(part: part, of: parts) { s in
                        seen[CellKeyForTest(flag: s.flagKey, env: s.env.path), default: 0] += 1
                        #expect(sliceOf[s.flagKey, default: part] == part, "\(s.flagKey) is split across slices of \(parts)")
                        sliceOf[s.flagKey] = part
                    }
                }
            }
            #expect(seen.count == all.count && seen.values.allSatisfy { $0 == 1 }, "\(parts) slices")
            #expect(Set(seen.keys) == Set(all.map { CellKeyForTest(flag: $0.flagKey, env: $0.env.path) }))
        }
    }

    struct CellKeyForTest: Hashable { var flag: String; var env: String }

    @Test(arguments: StoreBackend.allCases)
    func createsCellsForEveryFlagAndEnvironment(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        let states = try fx.store.read { try $0.states() }
        #expect(states.count == 3 * 4)
        #expect(states.allSatisfy { !$0.enabled && !$0.killed && $0.rolloutBasisPoints == 10_000 && $0.version == 1 })
        try fx.ops.createEnvironment(EnvironmentID(account: "sandbox", name: "qa"), protected: false)
        #expect(try fx.store.read { try $0.states() }.count == 3 * 5)
    }

    @Test(arguments: StoreBackend.allCases)
    func everyMutationAppendsExactlyOneEventPerChange(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        let before = try fx.events().count
        try fx.ops.setRollout(flag: "checkout.v2", env: "payments/staging", basisPoints: 2_500)
        try fx.ops.setEnabled(true, flag: "checkout.v2", env: "payments/staging")
        try fx.ops.kill(flag: "checkout.v2", env: "payments/staging", reason: "errors")
        try fx.ops.unkill(flag: "checkout.v2", env: "payments/staging", reason: "fixed")
        let r = try fx.ops.killEverywhere(flag: "checkout.v2", reason: "incident 42")
        #expect(r.events.count == 4)
        let events = try fx.events()
        #expect(events.count == before + 8)
        #expect(events.suffix(4).allSatisfy { $0.action == "kill" && $0.reason == "incident 42" })
        #expect(Set(events.suffix(4).compactMap(\.env)).count == 4)
    }

    @Test(arguments: StoreBackend.allCases)
    func failedMutationWritesNothing(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        let before = try fx.events().count
        #expect(throws: FlagDeckError.reasonRequired(action: "rollout", env: "payments/prod")) {
            try fx.ops.setRollout(flag: "checkout.v2", env: "payments/prod", basisPoints: 500)
        }
        #expect(throws: FlagDeckError.unknownFlag("nope")) {
            try fx.ops.kill(flag: "nope", env: "payments/prod", reason: "x")
        }
        #expect(try fx.events().count == before)
        #expect(try fx.state("checkout.v2", "payments/prod").rolloutBasisPoints == 10_000)
    }

    @Test(arguments: StoreBackend.allCases)
    func writeWithoutAuditEventIsRolledBack(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        var s = try fx.state("checkout.v2", "sandbox/dev")
        s.enabled = true
        let cell = s
        #expect(throws: FlagDeckError.self) { try fx.store.write { w in try w.save(cell) } }
        #expect(try fx.state("checkout.v2", "sandbox/dev").enabled == false)
    }

    @Test(arguments: StoreBackend.allCases)
    func historyQueriesFilterAndPage(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        for p in [500, 2_500, 5_000, 10_000] {
            try fx.ops.setRollout(flag: "search-ranking", env: "sandbox/dev", basisPoints: p)
        }
        let page1 = try fx.store.read { try $0.events(AuditQuery(flag: "search-ranking", limit: 2)) }
        #expect(page1.map(\.action) == ["rollout", "rollout"])
        #expect(page1[0].seq > page1[1].seq)
        let page2 = try fx.store.read { try $0.events(AuditQuery(flag: "search-ranking", afterCursor: page1[1].seq, limit: 10)) }
        #expect(page2.count == 3) // two more rollouts and the create
        #expect(page2.last?.action == "flag.create")
        let byEnv = try fx.store.read { try $0.events(AuditQuery(env: "sandbox/dev", action: "rollout")) }
        #expect(byEnv.count == 4)
    }

    @Test(arguments: StoreBackend.allCases)
    func changeTokenMovesOnCommit(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        let t1 = try fx.store.changeToken()
        try fx.ops.setEnabled(true, flag: "beta.api", env: "sandbox/dev")
        let t2 = try fx.store.changeToken()
        #expect(t1 != t2)
        #expect(t2.headSeq == t1.headSeq + 1)
    }
}

/// What the first six contract tests did not cover: every remaining read and write of
/// the protocols, on both backends.
@Suite("Store contract, continued")
struct StoreContractMoreTests {
    @Test(arguments: StoreBackend.allCases)
    func theChainVerifiesAndHeadIsTheLastEvent(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        try fx.ops.kill(flag: "checkout.v2", env: "payments/prod", reason: "incident")
        let report = try AuditLog.verify(fx.store)
        let events = try fx.events()
        #expect(report.ok && report.count == Int64(events.count))
        #expect(report.head == AuditHead(seq: events.last!.seq, hash: events.last!.hash))
        #expect(try fx.store.read { try $0.eventCount() } == Int64(events.count))
        var streamed: [AuditEvent] = []
        try fx.store.read { r in try r.forEachEvent { streamed.append($0); return true } }
        #expect(streamed == events)
        #expect(events.first?.operator == "alice" && events.allSatisfy { $0.operator == "alice" })
    }

    @Test(arguments: StoreBackend.allCases)
    func ordersAndLookupsMatchTheContract(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        try fx.store.read { r in
            #expect(try r.environments().map(\.id.path) == ["payments/prod", "payments/staging", "sandbox/prod", "sandbox/dev"])
            #expect(try r.environments(named: "prod").map(\.id.path) == ["payments/prod", "sandbox/prod"])
            #expect(try r.environment(EnvironmentID(account: "sandbox", name: "dev"))?.displayOrder == 4)
            #expect(try r.flags().map(\.key) == ["beta.api", "checkout.v2", "search-ranking"])
            #expect(try r.flagCount() == 3)
            #expect(try r.flags(after: nil, limit: 2).map(\.key) == ["beta.api", "checkout.v2"])
            #expect(try r.flags(after: "checkout.v2", limit: 10).map(\.key) == ["search-ranking"])
            #expect(try r.flag(key: "beta.api")?.dependsOn == ["checkout.v2"])
            let all = try r.states()
            #expect(all.map(\.flagKey) == Array(repeating: "beta.api", count: 4) + Array(repeating: "checkout.v2", count: 4)
                    + Array(repeating: "search-ranking", count: 4))
            #expect(Set(try r.states(flags: ["checkout.v2", "beta.api"]).map(\.flagKey)) == ["checkout.v2", "beta.api"])
            #expect(try r.states(flags: ["checkout.v2", "beta.api"]).count == 8)
            #expect(try r.cells(flag: "checkout.v2", envMatching: "prod").map(\.0.id.path) == ["payments/prod", "sandbox/prod"])
            #expect(try r.cells(flag: "checkout.v2", envMatching: "sandbox/dev").count == 1)
            var streamed = 0
            try r.forEachState { _ in streamed += 1 }
            #expect(streamed == 12)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aConflictIsExitCodeTwoAndWritesNothing(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        let v = try fx.state("checkout.v2", "sandbox/dev").version
        try fx.ops.setEnabled(true, flag: "checkout.v2", env: "sandbox/dev")
        let before = try fx.events().count
        let e = #expect(throws: FlagDeckError.self) {
            try fx.ops.setRollout(flag: "checkout.v2", env: "sandbox/dev", basisPoints: 100, expectedVersion: v)
        }
        #expect(e?.exitCode == 2)
        #expect(try fx.events().count == before)
    }

    @Test(arguments: StoreBackend.allCases)
    func policyDenialsAreRecordedAndAdminsAreTheInitialisingPrincipal(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        let policy = try fx.ops.policy()
        #expect(policy.admins == [fx.ops.actor.principal])
        let bob = try fx.other("bob")
        try fx.ops.setPolicy(AccessPolicy(admins: policy.admins, allow: [.init(principal: fx.ops.actor.principal, envs: "*")]),
                             reason: "only alice")
        #expect(throws: FlagDeckError.self) { try bob.setEnabled(true, flag: "beta.api", env: "sandbox/dev") }
        let last = try fx.events().last!
        #expect(last.action == AuditAction.denied && last.operator == "bob")
        try fx.ops.setPolicy(AccessPolicy(admins: policy.admins, allow: [.init(principal: bob.actor.principal, envs: "sandbox/*")]),
                             reason: "bob too")
        try bob.setEnabled(true, flag: "beta.api", env: "sandbox/dev")
        #expect(try fx.state("beta.api", "sandbox/dev").changedBy == "bob")
    }

    @Test(arguments: StoreBackend.allCases)
    func settingsAreReadWrittenAndCleared(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        let key = LifecycleSettings.keys[0]
        try fx.ops.setSetting(key, to: "21", reason: "shorter")
        #expect(try fx.store.read { try $0.setting(key) } == "21")
        #expect(try fx.store.read { try $0.settings()[key] } == "21")
        try fx.ops.setSetting(key, to: nil, reason: "default")
        #expect(try fx.store.read { try $0.setting(key) } == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func overridesUpsertReplaceAndDeleteInOrder(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        let env = EnvironmentID(account: "sandbox", name: "dev")
        let a = try fx.ops.setOverride(flag: "checkout.v2", env: "sandbox/dev", key: "user", equals: .string("u1"), serve: .bool(true))
        let again = try fx.ops.setOverride(flag: "checkout.v2", env: "sandbox/dev", key: "user", equals: .string("u1"), serve: .bool(false))
        #expect(again.id == a.id && again.serve == "false")
        try fx.ops.setOverride(flag: "beta.api", env: "sandbox/dev", key: "user", equals: .string("u2"), serve: .bool(true))
        let (all, one) = try fx.store.read { r in (try r.overrides(), try r.overrides(flag: "checkout.v2", env: env)) }
        #expect(all.map(\.flagKey) == ["beta.api", "checkout.v2"])
        #expect(one.map(\.id) == [a.id])
        let jobs = (0..<50).map { Override(flagKey: "checkout.v2", env: env, contextKey: "job", matchValue: .string("j\($0)"), serve: "true",
                                            createdAt: fx.clock.now, createdBy: "sync") }
        try fx.store.write { w in
            try w.replaceOverrides(flag: "checkout.v2", env: env, with: jobs)
            return try w.append(AuditDraft(at: fx.clock.now, actor: fx.ops.actor, action: "test.sync", flag: "checkout.v2",
                                           env: env.path, before: nil, after: nil, reason: "sync"))
        }
        let after = try fx.store.read { try $0.overrides(flag: "checkout.v2", env: env) }
        #expect(after.count == 50 && after.map(\.id) == after.map(\.id).sorted())
        try fx.ops.removeOverride(id: after[0].id)
        #expect(try fx.store.read { try $0.overrides(flag: "checkout.v2", env: env) }.count == 49)
    }

    @Test(arguments: StoreBackend.allCases)
    func reviewMarksAreTheNewestEventPerFlag(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        try fx.ops.markForReview(flag: "beta.api", .keep, reason: "used")
        fx.clock.advance(60)
        let retire = try fx.ops.markForReview(flag: "beta.api", .retire, reason: "gone soon")
        try fx.ops.markForReview(flag: "search-ranking", .keep, reason: "used")
        try fx.store.read { r in
            let latest = try r.latestEventPerFlag(action: AuditAction.reviewMark)
            #expect(Set(latest.keys) == ["beta.api", "search-ranking"])
            #expect(latest["beta.api"].flatMap(ReviewMark.init(event:))?.kind == retire.kind)
            #expect(try r.latestEvents(flags: ["beta.api", "checkout.v2"], action: AuditAction.reviewMark).keys.sorted() == ["beta.api"])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func oneReadOfSeveralActionsAgreesWithAReadPerAction(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        try fx.ops.markForReview(flag: "beta.api", .keep, reason: "used")
        try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "drill")
        try fx.ops.unkill(flag: "beta.api", env: "sandbox/dev", reason: "drill over")
        try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "second drill")
        fx.clock.advance(60)
        try fx.ops.markForReview(flag: "beta.api", .retire, reason: "gone soon")
        try fx.store.read { r in
            let both = try r.latestEventPerFlag(actions: [AuditAction.kill, AuditAction.reviewMark])
            #expect(both[AuditAction.kill] == (try r.latestEventPerFlag(action: AuditAction.kill)))
            #expect(both[AuditAction.reviewMark] == (try r.latestEventPerFlag(action: AuditAction.reviewMark)))
            #expect(both[AuditAction.kill]?["beta.api"]?.reason == "second drill")
            #expect(both[AuditAction.reviewMark]?["beta.api"]?.reason.contains("gone soon") == true)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func sourcesAndTheJournalRoundTrip(_ backend: StoreBackend) throws {
        let fx = try Fixture(backend)
        let env = EnvironmentID(account: "sandbox", name: "dev")
        let b = try fx.store.write { w -> SourceBinding in
            let b = try w.insert(SourceBinding(env: env, uri: "file:///tmp/x.json", format: "powertools", options: ["k": "v"],
                                               createdAt: fx.clock.now, createdBy: "alice"))
            try w.save(SourceFlagRecord(bindingID: b.id, flag: "checkout.v2", seen: "{\"on\":true}"))
            try w.append(AuditDraft(at: fx.clock.now, actor: fx.ops.actor, action: "test.bind", flag: nil, env: env.path,
                                    before: nil, after: nil, reason: "bind"))
            return b
        }
        let intent = PushIntent(id: "intent-1", bindingID: b.id, createdAt: fx.clock.now, operator: "alice", host: "h", action: "kill",
                                flag: "checkout.v2", env: env, reason: "r", before: "{}", after: "{}", plan: "[]")
        try fx.store.journal { j in
            try j.insert(intent)
            try j.updatePlan(intent: intent.id, plan: "[1]")
            try j.recordSync(binding: b.id, version: "v7", at: fx.clock.now, error: nil)
        }
        try fx.store.read { r in
            let bound = try r.sourceBindings()
            #expect(bound.map(\.id) == [b.id] && bound[0].options == ["k": "v"] && bound[0].version == "v7")
            #expect(try r.sourceFlags(binding: b.id).map(\.seen) == ["{\"on\":true}"])
            #expect(try r.pendingIntents().map(\.plan) == ["[1]"])
        }
        try fx.store.journal { j in
            try j.deleteIntent(id: intent.id)
            try j.recordSync(binding: b.id, version: nil, at: fx.clock.now, error: "unreachable")
        }
        try fx.store.read { r in
            #expect(try r.pendingIntents().isEmpty)
            let bound = try r.sourceBindings().first
            #expect(bound?.version == "v7" && bound?.syncError == "unreachable")
        }
        try fx.store.write { w in
            try w.deleteBinding(id: b.id)
            return try w.append(AuditDraft(at: fx.clock.now, actor: fx.ops.actor, action: "test.unbind", flag: nil, env: env.path,
                                           before: nil, after: nil, reason: "unbind"))
        }
        #expect(try fx.store.read { try $0.sourceBindings() }.isEmpty)
    }
}
