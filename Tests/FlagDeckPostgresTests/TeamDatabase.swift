import FlagDeckCore
import FlagDeckTestSupport
import Foundation
@testable import FlagDeckPostgres

/// A team database set up the way docs/team-mode.md says: an owner role that runs the
/// migrations, the `flagdeck_app` group role, and operator login roles in it.
struct TeamDatabase {
    let cluster: PostgresCluster
    let database: String
    let owner: String
    let operators: [String]
    static let password = "op-pw-1"
    private static let appRoleOnce = NSLock()
    nonisolated(unsafe) private static var appRoleMade = false

    /// `operators` are created as login roles in `flagdeck_app` (shared across the
    /// cluster; names are made unique per test).
    init(operators names: [String] = ["alice", "bob"]) throws {
        cluster = try PostgresCluster.shared()
        let tag = UUID().uuidString.prefix(6).lowercased()
        database = "team_\(tag)"
        owner = "owner_\(tag)"
        operators = names.map { "\($0)_\(tag)" }
        // The app role is cluster-wide: created once per test process.
        try Self.appRoleOnce.withLock {
            if !Self.appRoleMade {
                try cluster.sql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flagdeck_app') THEN CREATE ROLE flagdeck_app NOLOGIN; END IF; END $$")
                Self.appRoleMade = true
            }
        }
        var sql = PostgresSchema.roleSetupSQL(database: database, owner: owner, ownerPassword: Self.password,
                                              operators: operators.map { ($0, Self.password) })
        sql.removeAll { $0.hasPrefix("CREATE ROLE flagdeck_app") }
        for s in sql { try cluster.sql(s) }
    }

    var ownerURL: String { cluster.url(user: owner, password: Self.password, database: database) }
    func url(_ op: String) -> String { cluster.url(user: op, password: Self.password, database: database) }

    /// `flagdeck init` as the owner: the schema and grants.
    @discardableResult
    func initialise() throws -> PostgresStore { try PostgresStore(url: ownerURL, create: true) }
}

extension PostgresStore {
    /// Appends one event as `actor` in its own write transaction (the chain tests' unit of work).
    @discardableResult
    func appendEvent(_ actor: Actor, reason: String, at: Date = Date()) throws -> AuditEvent {
        try writeAccess { a in
            try a.append(AuditDraft(at: at, actor: actor, action: "test.append", flag: nil, env: nil, before: nil, after: nil,
                                    reason: reason))
        }
    }

    func allEvents() throws -> [AuditEvent] {
        try readAccess { a in
            var out: [AuditEvent] = []
            try a.forEachEvent(page: 100) { out.append($0); return true }
            return out
        }
    }

    func verify() throws -> AuditVerifier.Report {
        try readAccess { a in
            var running = AuditVerifier.Running()
            try a.forEachEvent { running.feed($0) }
            return running.finish()
        }
    }
}
