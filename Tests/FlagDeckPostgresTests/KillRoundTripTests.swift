import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckPostgres

/// A kill is one round trip when its connection already knows the rows it decides on,
/// and what it knows is never trusted: another operator's commit in between makes the
/// server refuse the cached reads, and the kill is decided again on what is there now.
@Suite("Kill round trips on PostgreSQL")
struct KillRoundTripTests {
    struct Fixture {
        let team: TeamDatabase
        let store: PostgresStore
        let ops: Operations
        let other: Operations

        init() throws {
            team = try TeamDatabase()
            let owner = try team.initialise()
            let setup = Operations(store: owner, actor: owner.actor())
            _ = try setup.initialize()
            for e in ["a/prod", "a/dev", "b/dev"] { _ = try setup.createEnvironment(try EnvironmentID(parsing: e), protected: false, reason: "") }
            _ = try setup.createFlag(Flag(key: "checkout", createdAt: Date()))
            store = try PostgresStore(url: team.url(team.operators[0]))
            ops = Operations(store: store, actor: store.actor())
            let second = try PostgresStore(url: team.url(team.operators[1]))
            other = Operations(store: second, actor: second.actor())
        }

        /// The round trips `body` made on `store`.
        func trips(_ body: () throws -> Void) rethrows -> Int {
            let before = store.roundTrips
            try body()
            return store.roundTrips - before
        }
    }

    @Test func aColdKillIsTwoRoundTripsAndAWarmOneIsOne() throws {
        let f = try Fixture()
        #expect(try f.trips { try f.ops.kill(flag: "checkout", env: "a/prod", reason: "r") } == 2)
        #expect(try f.trips { try f.ops.unkill(flag: "checkout", env: "a/prod", reason: "r") } == 1)
        // The other cells of the flag came with the first read.
        #expect(try f.trips { try f.ops.kill(flag: "checkout", env: "a/dev", reason: "r") } == 1)
        #expect(try f.trips { try f.ops.kill(flag: "checkout", env: "b/dev", reason: "r") } == 1)
        let events = try f.store.allEvents()
        #expect(events.suffix(4).map(\.action) == ["kill", "unkill", "kill", "kill"])
        #expect(try f.store.verify().ok)
    }

    /// What the dashboard reads for its screen (the visible flags' cells, the head, the
    /// policy, the bindings) is enough for a kill of a cell on it to be one round trip.
    @Test func aKillOfACellTheDashboardReadIsOneRoundTrip() throws {
        let f = try Fixture()
        try f.store.read { r in
            _ = try r.states(flags: ["checkout"])
            _ = try r.head()
            _ = try r.setting(AccessPolicy.settingKey)
            _ = try r.sourceBindings()
        }
        #expect(try f.trips { try f.ops.kill(flag: "checkout", env: "b/dev", reason: "on screen") } == 1)
        #expect(try f.store.read { try $0.state(flag: "checkout", env: EnvironmentID(parsing: "b/dev")) }?.killed == true)
        #expect(try f.store.verify().ok)
    }

    @Test func anotherOperatorsCommitIsSeenNotOverwritten() throws {
        let f = try Fixture()
        try f.ops.kill(flag: "checkout", env: "a/prod", reason: "warm")
        try f.ops.unkill(flag: "checkout", env: "a/prod", reason: "warm")
        let seen = try f.store.read { try $0.state(flag: "checkout", env: EnvironmentID(parsing: "a/prod")) }!.version
        try f.other.kill(flag: "checkout", env: "a/prod", reason: "bob was first")

        // With the version this operator saw: a clean conflict naming bob, nothing written.
        let count = try f.store.allEvents().count
        let e = #expect(throws: FlagDeckError.self) {
            try f.ops.kill(flag: "checkout", env: "a/prod", reason: "late", expectedVersion: seen)
        }
        guard case .conflict(let c)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(c.changedBy == f.team.operators[1] && c.currentVersion == seen + 1)
        #expect(e?.exitCode == 2)
        #expect(try f.store.allEvents().count == count)

        // Without one: the kill is decided on the server's cell (already killed), not the cached one.
        let r = try f.ops.kill(flag: "checkout", env: "a/prod", reason: "late")
        #expect(r.events.isEmpty && r.unchangedReason != nil)
        // And the next change chains onto bob's event, not onto this connection's last one.
        try f.ops.unkill(flag: "checkout", env: "a/prod", reason: "fixed")
        let events = try f.store.allEvents()
        #expect(events.suffix(2).map(\.operator) == [f.team.operators[1], f.team.operators[0]])
        #expect(try f.store.verify().ok)
    }

    @Test func aPolicyChangedElsewhereRefusesAWarmKill() throws {
        let f = try Fixture()
        try f.ops.kill(flag: "checkout", env: "a/prod", reason: "warm")
        try f.ops.unkill(flag: "checkout", env: "a/prod", reason: "warm")
        // The owner (the policy admin) allows only bob's role from now on.
        let owner = try PostgresStore(url: f.team.ownerURL)
        let admin = Operations(store: owner, actor: owner.actor())
        _ = try admin.setPolicy(AccessPolicy(admins: ["role:\(f.team.owner)"],
                                             allow: [AccessPolicy.Rule(principal: "role:\(f.team.operators[1])", envs: "*")]),
                                reason: "lock down")
        let e = #expect(throws: FlagDeckError.self) { try f.ops.kill(flag: "checkout", env: "a/prod", reason: "mine") }
        guard case .denied? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(try f.store.read { try $0.state(flag: "checkout", env: EnvironmentID(parsing: "a/prod")) }?.killed == false)
        #expect(try f.store.allEvents().last?.action == AuditAction.denied)
        #expect(try f.store.verify().ok)
    }
}
