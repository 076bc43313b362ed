@testable import flagdeck_bench
import FlagDeckCore
import FlagDeckPostgres
import FlagDeckTestSupport
import Foundation
import Testing

/// The team-mode floor writes what a kill writes: the cell killed with its version
/// bumped, one kill event chained onto the head as the authenticated role.
@Suite(.enabled(if: PostgresCluster.binariesPresent, "PostgreSQL server binaries are not installed"))
struct PostgresFloorTests {
    @Test func theFloorKillsTheCellAndAppendsOneChainedKillEvent() throws {
        let cluster = try PostgresCluster.shared()
        let role = "floor_\(UUID().uuidString.prefix(6).lowercased())"
        try cluster.createRole(role, password: "floor-pw")
        let url = cluster.url(user: role, password: "floor-pw", database: try cluster.createDatabase(owner: role))
        let store = try PostgresStore(url: url, create: true)
        let ops = Operations(store: store, actor: store.actor(client: Actor(name: "bench", host: "bench")))
        try ops.initialize()
        let env = EnvironmentID(account: "acct", name: "prod")
        try ops.createEnvironment(env, protected: false)
        try ops.createFlag(Flag(key: "bench.floor-0", createdAt: Date()))
        let (before, head) = try store.read { r in (try r.state(flag: "bench.floor-0", env: env), try r.head()) }

        try RawPostgresKillWrites(url, role: role).killWrites(flag: "bench.floor-0", env: env, 7)

        let (after, events) = try store.read { r in
            (try r.state(flag: "bench.floor-0", env: env), try r.events(AuditQuery(limit: 1)))
        }
        #expect(before?.killed == false && after?.killed == true)
        #expect(after?.version == (before?.version ?? 0) + 1)
        let e = try #require(events.first)
        #expect(e.seq == (head?.seq ?? 0) + 1 && e.prevHash == head?.hash)
        #expect(e.action == AuditAction.kill && e.flag == "bench.floor-0" && e.env == env.path && e.operator == role)
    }
}
