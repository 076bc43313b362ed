import FlagDeckTestSupport
import Foundation
import Testing

/// Team mode as two operators meet it: alice's dashboard (the real binary in tmux) on a
/// PostgreSQL database, bob killing a flag from his own process with his own login role.
/// The dashboard learns of bob's commit by LISTEN/NOTIFY, with no keypress.
@Suite(.enabled(if: TmuxSession.available && PostgresCluster.binariesPresent, "needs tmux and the PostgreSQL server binaries"),
       .serialized)
struct TmuxTeamTests {
    /// Roles as docs/team-mode.md sets them up: an owner that runs `init`, operators in
    /// the `flagdeck_app` group role (cluster-wide, so made only if missing).
    struct Team {
        let cluster: PostgresCluster
        let owner: String, alice: String, bob: String

        init() throws {
            cluster = try PostgresCluster.shared()
            let tag = UUID().uuidString.prefix(6).lowercased()
            try cluster.sql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flagdeck_app') "
                            + "THEN CREATE ROLE flagdeck_app NOLOGIN; END IF; END $$")
            try cluster.createRole("owner_\(tag)", password: Self.password)
            try cluster.createRole("alice_\(tag)", password: Self.password, memberOf: ["flagdeck_app"])
            try cluster.createRole("bob_\(tag)", password: Self.password, memberOf: ["flagdeck_app"])
            let db = try cluster.createDatabase("tmux_\(tag)", owner: "owner_\(tag)")
            owner = cluster.url(user: "owner_\(tag)", password: Self.password, database: db)
            alice = cluster.url(user: "alice_\(tag)", password: Self.password, database: db)
            bob = cluster.url(user: "bob_\(tag)", password: Self.password, database: db)
        }

        static let password = "tmux-pw-1"

        /// `flagdeck ARGS --db URL`, which must succeed.
        @discardableResult
        func ok(_ args: [String], as url: String) throws -> ProcessResult {
            let r = try ProcessRunner.run(Flagdeck.binary, args + ["--db", url], removing: ["FLAGDECK_DB", "PGPASSWORD"])
            guard r.status == 0 else {
                throw TerminalTestError("`flagdeck \(args.joined(separator: " "))` exited \(r.status): \(r.stderr)")
            }
            return r
        }
    }

    @Test func anotherRolesKillAppearsWithinOneSecond() throws {
        let team = try Team()
        try team.ok(["init"], as: team.owner)
        try team.ok(["env", "add", "payments/prod"], as: team.owner)
        try team.ok(["env", "add", "payments/staging"], as: team.owner)
        try team.ok(["flag", "add", "checkout.v2"], as: team.owner)
        try team.ok(["enable", "checkout.v2", "--env", "payments/staging"], as: team.owner)

        let dir = RepoRoot.temporaryDirectory("flagdeck-tmux-team")
        let d = try DashboardDriver(db: team.alice, dir: dir)
        defer { d.close() }
        try d.waitForGrid()
        try d.expectCell(flag: "checkout.v2", env: "payments/staging", shows: "ON")

        try team.ok(["kill", "checkout.v2", "--env", "payments/staging", "--reason", "incident 7", "--yes"], as: team.bob)
        let committed = Date()
        try d.expectCell(flag: "checkout.v2", env: "payments/staging", shows: "✖KILL", timeout: 1.0)
        #expect(Date().timeIntervalSince(committed) < 1.0)

        // The server's roles, not the OS account both processes share, are on record.
        let history = try team.ok(["history", "--json"], as: team.owner).stdout
        let events = try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [[String: Any]] ?? []
        let kill = events.first { ($0["action"] as? String) == "kill" }
        #expect(kill?["operator"] as? String == URLComponents(string: team.bob)?.user, "\(String(describing: kill))")
        try d.quit()
    }
}
