import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckPostgres

/// `migrate` copies an SQLite database whole: every table the SQLite store has, every
/// event verbatim, the same head hash; non-empty targets are refused untouched.
@Suite("PostgreSQL migration")
struct MigrationTests {
    /// An SQLite inventory exercising every kind of row: protected environments, JSON
    /// flags, kills, a policy, a setting, overrides (one removed), review marks, a denial.
    static func sqliteSource() throws -> SQLiteStore {
        let dir = RepoRoot.temporaryDirectory("flagdeck-migrate")
        let store = try SQLiteStore(path: dir + "/src.sqlite", create: true)
        let clock = Locked(Date(timeIntervalSince1970: 1_790_000_000))
        let ops = Operations(store: store, actor: Actor(name: "alice", host: "laptop"), clock: { clock.value })
        let now = clock.value
        try ops.initialize()
        for (p, prot) in [("payments/prod", true), ("payments/staging", false), ("sandbox/dev", false)] {
            try ops.createEnvironment(try EnvironmentID(parsing: p), protected: prot)
        }
        try ops.createFlag(Flag(key: "checkout.v2", owner: "payments", tags: ["a", "b\"q"], createdAt: now))
        try ops.createFlag(Flag(key: "banner", createdAt: now, valueKind: .json,
                                variants: [Variant(name: "red", value: "{\"c\":\"#f00\"}", weight: 1)]))
        clock.mutate { $0 += 60 }
        try ops.setRollout(flag: "checkout.v2", env: "payments/staging", basisPoints: 2_500, reason: "ramp\nwith newline\tand tab")
        try ops.kill(flag: "checkout.v2", env: "payments/prod", reason: "incident \\ backslash")
        try ops.setOverride(flag: "checkout.v2", env: "sandbox/dev", key: "user", equals: .string("u1"), serve: .bool(true))
        let o = try ops.setOverride(flag: "checkout.v2", env: "sandbox/dev", key: "user", equals: .string("u2"), serve: .bool(false))
        try ops.removeOverride(id: o.id)
        try ops.setSetting(LifecycleSettings.keys[0], to: "30", reason: "team default")
        try ops.markForReview(flag: "banner", .keep, reason: "still used")
        try ops.setPolicy(AccessPolicy(admins: ["user:alice"], allow: [.init(principal: "user:alice", envs: "*")]), reason: "lock down")
        _ = try? Operations(store: store, actor: Actor(name: "mallory", host: "x"), clock: { clock.value })
            .kill(flag: "banner", env: "sandbox/dev", reason: "nope")
        return store
    }

    @Test func copiesEverythingVerbatimWithTheSameHeadHash() throws {
        let source = try Self.sqliteSource()
        let team = try TeamDatabase()
        var calls: [(Int64, Int64)] = []
        let report = try PostgresMigration.copy(from: source, to: team.ownerURL) { calls.append(($0, $1)) }
        let srcEvents = try source.read { try $0.events(AuditQuery(ascending: true)) }
        #expect(report.events == Int64(srcEvents.count) && report.head?.hash == srcEvents.last?.hash)
        #expect(calls.last.map { $0.0 == $0.1 } == true)
        #expect(!report.target.contains(TeamDatabase.password))

        let pg = try PostgresStore(url: team.url(team.operators[0]))
        #expect(try pg.allEvents() == srcEvents)
        let sourceHead = try AuditLog.verify(source).head
        #expect(try pg.verify().head == sourceHead)
        let copied = try pg.readAccess { a in
            (try a.environments(), try a.flags(), try a.states(), try a.settings(), try a.latestEventPerFlag(action: AuditAction.reviewMark))
        }
        let original = try source.read { s in
            (try s.environments(), try s.flags(), try s.states(), try s.settings(), try s.latestEventPerFlag(action: AuditAction.reviewMark))
        }
        #expect(copied.0 == original.0)
        #expect(copied.1 == original.1)
        #expect(copied.2 == original.2)
        #expect(copied.3 == original.3)
        #expect(copied.4 == original.4 && !copied.4.isEmpty)
        let overrides = try team.cluster.sql("SELECT id || ' ' || context_key || ' ' || match_value FROM override ORDER BY id", database: team.database)
        let expected = try source.read { try $0.overrides() }.map { "\($0.id) user \"u1\"" }.joined(separator: "\n")
        #expect(overrides == expected)
        // New rows continue after the copied ids.
        try team.cluster.sql("INSERT INTO environment (account, name, display_order) VALUES ('n', 'e', 9)", database: team.database)
        #expect(try team.cluster.sql("SELECT max(id) FROM environment", database: team.database) == "4")
    }

    @Test func refusesATargetThatIsNotEmptyAndLeavesItUntouched() throws {
        let source = try Self.sqliteSource()
        let team = try TeamDatabase()
        _ = try PostgresMigration.copy(from: source, to: team.ownerURL)
        let before = try team.cluster.sql("SELECT count(*) FROM audit_event", database: team.database)
        let e = #expect(throws: FlagDeckError.self) { try PostgresMigration.copy(from: source, to: team.ownerURL) }
        #expect(e?.description.contains("is not empty (it holds \(before) events") == true, "\(String(describing: e))")
        #expect(try team.cluster.sql("SELECT count(*) FROM audit_event", database: team.database) == before)

        let other = try TeamDatabase()
        try other.cluster.sql("CREATE TABLE invoices (id int)", database: other.database)
        let f = #expect(throws: FlagDeckError.self) { try PostgresMigration.copy(from: source, to: other.ownerURL) }
        #expect(f?.description.contains("invoices") == true)
    }

    @Test func aFailedCopyLeavesTheTargetEmptyAndRetryable() throws {
        let source = try Self.sqliteSource()
        let team = try TeamDatabase()
        // Break the copy half-way: the operator role may not write overrides.
        _ = try PostgresStore(url: team.ownerURL, create: true)
        try team.cluster.sql("REVOKE INSERT ON override FROM \(team.owner)", database: team.database)
        #expect(throws: FlagDeckError.self) { try PostgresMigration.copy(from: source, to: team.ownerURL) }
        #expect(try team.cluster.sql("SELECT (SELECT count(*) FROM flag) + (SELECT count(*) FROM audit_event)", database: team.database) == "0")
        try team.cluster.sql("GRANT INSERT ON override TO \(team.owner)", database: team.database)
        #expect(try PostgresMigration.copy(from: source, to: team.ownerURL).events > 0)
    }
}
