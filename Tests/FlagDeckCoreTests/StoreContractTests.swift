import Foundation
import Testing
@testable import FlagDeckCore

/// Behaviour every backend must have. Parameterised over `StoreBackend` so a second
/// backend runs the identical suite.
@Suite("Store contract")
struct StoreContractTests {
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
