import Foundation
import GRDB
import GRDBSQLite
import Testing
@testable import FlagDeckCore

/// The mutation path reads the cell and its environment in one query and reuses the chain
/// head and access policy from its own last commit; these pin the behaviour those
/// shortcuts must not change.
@Suite("Write path")
struct WritePathTests {
    @Test func environmentNamesResolveAsTheResolverDoes() throws {
        let fx = try Fixture()
        let before = try fx.events().count
        #expect(try fx.ops.kill(flag: "beta.api", env: "dev", reason: "x").states.first?.env.path == "sandbox/dev")
        #expect(throws: FlagDeckError.ambiguousEnvironment("prod", matches: ["payments/prod", "sandbox/prod"])) {
            try fx.ops.kill(flag: "beta.api", env: "prod", reason: "x")
        }
        // The environment is judged before the flag, whichever is wrong.
        #expect(throws: FlagDeckError.ambiguousEnvironment("prod", matches: ["payments/prod", "sandbox/prod"])) {
            try fx.ops.kill(flag: "nope", env: "prod", reason: "x")
        }
        #expect(throws: FlagDeckError.unknownEnvironment("qa", known: ["payments/prod", "payments/staging", "sandbox/prod", "sandbox/dev"])) {
            try fx.ops.kill(flag: "beta.api", env: "qa", reason: "x")
        }
        #expect(throws: FlagDeckError.unknownEnvironment("payments/dev", known: ["payments/prod", "payments/staging", "sandbox/prod", "sandbox/dev"])) {
            try fx.ops.kill(flag: "beta.api", env: "payments/dev", reason: "x")
        }
        #expect(throws: FlagDeckError.unknownFlag("nope")) { try fx.ops.kill(flag: "nope", env: "sandbox/dev", reason: "x") }
        #expect(throws: FlagDeckError.invalidEnvironmentName("a/b/c")) { try fx.ops.kill(flag: "beta.api", env: "a/b/c", reason: "x") }
        #expect(try fx.events().count == before + 1)
    }

    /// A read must not make the next kill re-prepare its statements. GRDB's `read` ran
    /// `PRAGMA query_only` around each read, and SQLite expires every prepared statement
    /// of the connection whenever a flag pragma runs: each kill after a read then
    /// re-prepared (and GRDB re-authorised) all its statements, half its CPU.
    @Test func aReadDoesNotExpireTheKillsPreparedStatements() throws {
        let fx = try Fixture()
        let store = try #require(fx.store as? SQLiteStore)
        try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "warm the statement cache")
        let sql = "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1"
        func reprepares() throws -> Int32 {
            try store.withDatabase { db in
                let s = try db.cachedStatement(sql: sql)
                _ = try Row.fetchAll(s)
                return sqlite3_stmt_status(s.sqliteStatement, SQLITE_STMTSTATUS_REPREPARE, 0)
            }
        }
        let before = try reprepares()
        for _ in 0..<3 { _ = try fx.state("beta.api", "sandbox/dev") }
        #expect(try reprepares() == before)
        _ = try store.changeToken()
        #expect(try reprepares() == before)
    }

    @Test func protectedMarkComesFromTheResolvedEnvironment() throws {
        let fx = try Fixture()
        #expect(throws: FlagDeckError.reasonRequired(action: "rollout", env: "payments/prod")) {
            try fx.ops.setRollout(flag: "beta.api", env: "payments/prod", basisPoints: 100)
        }
        try fx.ops.setRollout(flag: "beta.api", env: "payments/staging", basisPoints: 100)
    }

    /// Two connections on one file, as two processes would have: each must see the other's
    /// events (or it would chain onto a stale head) and the other's policy changes (or it
    /// would authorise against a stale policy).
    @Test func anotherConnectionsCommitsAreNeverMissed() throws {
        let fx = try Fixture(actor: Actor(name: "root", host: "h"))
        let path = try #require((fx.store as? SQLiteStore)?.location)
        let second = Operations(store: try SQLiteStore(path: path), actor: Actor(name: "root", host: "h2"), clock: { fx.clock.now })
        try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "first")
        try second.setRollout(flag: "search-ranking", env: "sandbox/dev", basisPoints: 5_000)
        try fx.ops.unkill(flag: "beta.api", env: "sandbox/dev", reason: "after the other connection")
        try second.kill(flag: "checkout.v2", env: "sandbox/dev", reason: "again")
        try fx.ops.setRollout(flag: "beta.api", env: "sandbox/dev", basisPoints: 2_500)
        let report = try AuditLog.verify(fx.store)
        #expect(report.ok, "\(String(describing: report.problem))")
        let seqs = try fx.events().map(\.seq)
        #expect(seqs == Array(1...Int64(seqs.count)))

        try second.setPolicy(AccessPolicy(admins: ["user:root"], allow: [.init(principal: "user:alice", envs: "*")]),
                             reason: "only alice")
        #expect(throws: FlagDeckError.self) {
            try fx.ops.setRollout(flag: "beta.api", env: "sandbox/dev", basisPoints: 5_000)
        }
        #expect(try fx.state("beta.api", "sandbox/dev").rolloutBasisPoints == 2_500)
        #expect(try fx.events().last?.action == "denied")
    }

    @Test func ownPolicyChangeAppliesToTheNextWrite() throws {
        let fx = try Fixture(actor: Actor(name: "root", host: "h"))
        try fx.ops.setRollout(flag: "beta.api", env: "sandbox/dev", basisPoints: 100)
        try fx.ops.setPolicy(AccessPolicy(admins: ["user:root"], allow: [.init(principal: "user:alice", envs: "*")]), reason: "x")
        #expect(throws: FlagDeckError.self) { try fx.ops.setRollout(flag: "beta.api", env: "sandbox/dev", basisPoints: 200) }
    }

    @Test func aFailedWriteLeavesNoStaleHeadBehind() throws {
        let fx = try Fixture()
        #expect(throws: FlagDeckError.self) {
            try fx.store.write { w -> Void in
                try w.append(AuditDraft(at: fx.clock.now, actor: fx.ops.actor, action: "note", flag: nil, env: nil,
                                        before: nil, after: nil, reason: "rolled back"))
                throw FlagDeckError.internalInvariant("abort")
            }
        }
        try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "next")
        #expect(try AuditLog.verify(fx.store).ok)
    }

    /// A kill's cost next to a bare commit is mostly pages written and synced: the cell,
    /// the event and the per-flag history index, and nothing else. An index added to
    /// `flag_state` or `audit_event` shows up here before it shows up in the benchmark.
    @Test func aKillWritesThreePages() throws {
        let fx = try Fixture()
        let store = try #require(fx.store as? SQLiteStore)
        let path = store.location
        try fx.ops.setRollout(flag: "beta.api", env: "sandbox/dev", basisPoints: 100)  // warm: the WAL exists
        let pageSize = try store.withDatabase { try Int.fetchOne($0, sql: "PRAGMA page_size")! }
        func walSize() throws -> Int { try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as! Int }
        let before = try walSize()
        try fx.ops.kill(flag: "checkout.v2", env: "sandbox/dev", reason: "pages")
        #expect((try walSize() - before) == 3 * (pageSize + 24))
    }

    /// Version 3 files (indexes `audit_event(flag, seq)`, `(env, seq)` and `(action, flag)`)
    /// upgrade in place to the single `audit_event(flag, seq, action)`, keeping every event.
    @Test func schemaThreeUpgradesInPlace() throws {
        let fx = try Fixture()
        try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "before upgrade")
        let path = try #require((fx.store as? SQLiteStore)?.location)
        let count = try fx.events().count
        let q = try DatabaseQueue(path: path)
        try q.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP INDEX audit_event_flag;
                CREATE INDEX audit_event_flag ON audit_event(flag, seq);
                CREATE INDEX audit_event_env ON audit_event(env, seq);
                CREATE INDEX audit_event_action ON audit_event(action, flag);
                DROP TABLE push_intent;
                DROP TABLE source_flag;
                DROP TABLE source_binding;
                PRAGMA user_version = 3;
                """)
        }
        try q.close()
        let store = try SQLiteStore(path: path)
        let (version, indexes) = try store.withDatabase { db in
            (try Int.fetchOne(db, sql: "PRAGMA user_version"),
             try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_event' ORDER BY name"))
        }
        #expect(version == Schema.latestVersion)
        #expect(indexes == ["CREATE INDEX audit_event_flag ON audit_event(flag, seq, action)"])
        #expect(try store.read { try $0.eventCount() } == Int64(count))
        #expect(try store.read { try $0.latestEventPerFlag(action: "kill") }["beta.api"]?.reason == "before upgrade")
        #expect(try AuditLog.verify(store).ok)
    }
}
