import FlagDeckCore
import FlagDeckPostgres
import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckTUI

/// A dashboard on a team database hears other operators' commits (LISTEN/NOTIFY), with no
/// keypress; while the server is away it says "reconnecting", never blocks, keeps the
/// grid, and catches up when the server is back.
@Suite(.enabled(if: PostgresCluster.binariesPresent, "PostgreSQL server binaries are not installed"), .serialized)
struct TeamLiveTests {
    @Test func anotherClientsChangeAppearsAndAServerRestartShowsReconnecting() throws {
        let cluster = try PostgresCluster.start(fsync: false)
        defer { cluster.destroy() }
        try cluster.createRole("op", password: "pw")
        let url = cluster.url(user: "op", password: "pw", database: try cluster.createDatabase(owner: "op"))
        let setup = try PostgresStore(url: url, create: true)
        let other = Operations(store: setup, actor: setup.actor(client: Actor(name: "bob", host: "laptop")))
        _ = try other.initialize()
        _ = try other.createEnvironment(try EnvironmentID(parsing: "shop/prod"), protected: false, reason: "")
        _ = try other.createFlag(Flag(key: "checkout", createdAt: Date()))
        _ = try other.setEnabled(true, flag: "checkout", env: "shop/prod", reason: "on")

        let store = try DashboardStore.open(path: url, warnings: PublishWarnings())
        var app = try DashboardApp(store: store, actor: DashboardStore.actor(for: store), databaseURL: url)
        #expect(app.pollInterval < 0.1, "a listening dashboard checks every loop turn")
        #expect(app.model.data.rows.first?.cells.first??.killed == false)

        try other.kill(flag: "checkout", env: "shop/prod", reason: "incident")
        #expect(Deadline.until(5, every: 0.01) {
            app.poll()
            return app.model.data.rows.first?.cells.first??.killed == true
        }, "another client's kill is heard without a keypress")

        try cluster.stopForTest(immediate: true)
        var slowest: TimeInterval = 0
        let reconnecting = Deadline.until(10, every: 0.02) {
            let start = Date()
            app.poll()
            slowest = max(slowest, Date().timeIntervalSince(start))
            return app.reconnecting != nil
        }
        #expect(reconnecting)
        #expect(app.status?.text.contains("reconnecting") == true, "\(String(describing: app.status))")
        var frame = MemorySurface(rows: 24, cols: 160)
        app.render(on: frame)
        #expect(frame.text.contains("reconnecting"), "the header says so:\n\(frame.text)")
        #expect(frame.text.contains("checkout"), "the last grid stays on screen")
        for _ in 0..<10 {
            let start = Date()
            app.poll()
            slowest = max(slowest, Date().timeIntervalSince(start))
        }
        #expect(slowest < DashboardStore.dashboardReconnectWindow + 1, "a poll never waits long: \(slowest) s")

        try cluster.startAgain()
        // Another operator unkills while this dashboard is catching up.
        let writer = try PostgresStore(url: url)
        try Operations(store: writer, actor: writer.actor()).unkill(flag: "checkout", env: "shop/prod", reason: "fixed")
        #expect(Deadline.until(20, every: 0.02) {
            app.poll()
            return app.reconnecting == nil && app.model.data.rows.first?.cells.first??.killed == false
        }, "resumed and caught up: \(String(describing: app.status))")
        frame = MemorySurface(rows: 24, cols: 160)
        app.render(on: frame)
        #expect(!frame.text.contains("reconnecting"))
    }
}
