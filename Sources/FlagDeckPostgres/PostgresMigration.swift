import FlagDeckCore
import Foundation

/// `flagdeck migrate --to postgresql://…`: moves a team's SQLite database onto a server
/// whole — environments, flags, cells, settings (the access policy among them),
/// overrides and every audit event verbatim (review marks are events), so the head hash
/// on the server is the head hash of the file and `audit verify --expect` carries over.
///
/// Everything is copied with `COPY` inside one transaction that also holds the append
/// lock: a failure or an interrupted copy leaves the target as empty as it was found,
/// and nobody can write to it halfway. The target must be empty (no tables, or a
/// flagdeck schema with nothing in it); anything else is refused untouched.
public enum PostgresMigration {
    public struct Report: Sendable, Equatable {
        /// The target, without its password.
        public var target = ""
        public var environments = 0
        public var flags = 0
        public var cells = 0
        public var settings = 0
        public var overrides = 0
        public var events: Int64 = 0
        public var head: AuditHead?
    }

    /// Copies `source` into the database at `target`. `progress(done, total)` is called as
    /// events stream (every 10,000 and at the end).
    public static func copy(from source: any FlagStore, to target: String,
                            progress: (Int64, Int64) -> Void = { _, _ in }) throws -> Report {
        let conn: PGConnection
        do { conn = try PGConnection(target) } catch { throw PostgresStore.map(error) }
        do {
            try prepareTarget(conn)
            return try source.read { r in try copy(r, into: conn, progress: progress) }
        } catch let e as PGError {
            if conn.isHealthy && conn.inTransaction { _ = try? conn.query("ROLLBACK") }
            throw PostgresStore.map(e)
        } catch {
            if conn.isHealthy && conn.inTransaction { _ = try? conn.query("ROLLBACK") }
            throw error
        }
    }

    /// Refuses a target with anything in it; creates the schema in an empty one.
    static func prepareTarget(_ conn: PGConnection) throws {
        switch try PostgresCatalog.inspect(conn) {
        case .empty:
            try PostgresCatalog.migrate(conn, target: conn.display)
        case .foreign(let tables, let count):
            throw FlagDeckError.notAFlagdeckDatabase(
                path: conn.display, detail: "it holds \(count) table\(count == 1 ? "" : "s") of another application ("
                    + tables.joined(separator: ", ") + (count > tables.count ? ", …" : "") + "); migrate copies into an empty database only")
        case .foreignMarker(let m):
            throw FlagDeckError.notAFlagdeckDatabase(path: conn.display, detail: "its flagdeck_meta table says application \"\(m)\"")
        case .flagdeck(let v):
            if v > PostgresSchema.latestVersion {
                throw FlagDeckError.newerSchema(path: conn.display, found: v, supported: PostgresSchema.latestVersion)
            }
            if v < PostgresSchema.latestVersion { try PostgresCatalog.migrate(conn, target: conn.display) }
            try refuseNonEmpty(conn)
        }
    }

    static func refuseNonEmpty(_ conn: PGConnection) throws {
        let r = try conn.query("""
            SELECT (SELECT count(*) FROM audit_event) AS events, (SELECT count(*) FROM flag) AS flags,
                   (SELECT count(*) FROM environment) AS envs, (SELECT count(*) FROM setting) AS settings,
                   (SELECT count(*) FROM override) AS overrides
            """)
        let counts = ["events", "flags", "envs", "settings", "overrides"].map { ($0, r.int64(0, $0)) }.filter { $0.1 > 0 }
        guard counts.isEmpty else {
            throw FlagDeckError.storage("\(conn.display) is not empty (it holds "
                + counts.map { "\($0.1) \($0.0 == "envs" ? "environments" : $0.0)" }.joined(separator: ", ")
                + "); migrate copies into an empty database only, so nothing was written")
        }
    }

    private static func copy(_ r: any StoreReading, into conn: PGConnection, progress: (Int64, Int64) -> Void) throws -> Report {
        var report = Report()
        report.target = conn.display
        try conn.query("BEGIN")
        try conn.query("SELECT pg_advisory_xact_lock($1::bigint)", [String(PostgresSchema.appendLockKey)])
        try refuseNonEmpty(conn)  // again, under the lock: someone may have written meanwhile

        var envIDs: [EnvironmentID: Int64] = [:]
        try conn.copyIn("COPY environment (id, account, name, display_order, protected, version) FROM STDIN") { w in
            for (i, e) in try r.environments().enumerated() {
                let id = Int64(i + 1)
                envIDs[e.id] = id
                try w.row([String(id), e.id.account, e.id.name, String(e.displayOrder), PostgresAccess.bool(e.isProtected), String(e.version)])
            }
        }
        report.environments = envIDs.count

        var flagIDs: [String: Int64] = [:]
        try conn.copyIn("COPY flag (id, \(PostgresAccess.flagColumns)) FROM STDIN") { w in
            for (i, f) in try r.flags().enumerated() {
                let id = Int64(i + 1)
                flagIDs[f.key] = id
                try w.row([String(id)] + PostgresAccess.flagParams(f))
            }
        }
        report.flags = flagIDs.count

        try conn.copyIn("COPY flag_state (flag_id, env_id, \(PostgresAccess.saveColumns)) FROM STDIN") { w in
            try r.forEachState { s in
                guard let fid = flagIDs[s.flagKey], let eid = envIDs[s.env] else {
                    throw FlagDeckError.internalInvariant("cell \(s.flagKey) in \(s.env) has no flag or environment in the source")
                }
                try w.row([String(fid), String(eid), PostgresAccess.bool(s.enabled), PostgresAccess.bool(s.killed),
                           String(s.rolloutBasisPoints), s.rules, s.defaultValue, String(s.version), UTC.format(s.changedAt), s.changedBy])
                report.cells += 1
            }
        }

        try conn.copyIn("COPY setting (key, value) FROM STDIN") { w in
            for (k, v) in try r.settings().sorted(by: { $0.key < $1.key }) { try w.row([k, v]); report.settings += 1 }
        }

        try conn.copyIn("COPY override (id, flag, env, context_key, match_value, serve, expires_at, created_at, created_by) FROM STDIN") { w in
            for o in try r.overrides() {
                try w.row([String(o.id), o.flagKey, o.env.path, o.contextKey, JSONWriter.compact(o.matchValue), o.serve,
                           o.expiresAt.map(UTC.format), UTC.format(o.createdAt), o.createdBy])
                report.overrides += 1
            }
        }

        // History was recorded under OS accounts, not this role: the owner suspends the
        // operator check for this transaction only (DDL is transactional here).
        try conn.query("ALTER TABLE audit_event DISABLE TRIGGER \(PostgresSchema.operatorTrigger)")
        let total = try r.eventCount()
        progress(0, total)
        var last: AuditEvent?
        try conn.copyIn("COPY audit_event (\(PostgresAccess.eventColumns)) FROM STDIN") { w in
            try r.forEachEvent { e in
                try w.row(PostgresAccess.eventParams(e))
                report.events += 1
                last = e
                if report.events % 10_000 == 0 { progress(report.events, total) }
                return true
            }
        }
        progress(report.events, total)
        try conn.query("ALTER TABLE audit_event ENABLE TRIGGER \(PostgresSchema.operatorTrigger)")

        // Identity columns continue after the copied ids.
        try conn.execute(script: """
            SELECT setval(pg_get_serial_sequence('environment', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM environment;
            SELECT setval(pg_get_serial_sequence('flag', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM flag;
            SELECT setval(pg_get_serial_sequence('override', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM override;
            """)
        let head = PostgresAccess.head(try conn.query(PostgresAccess.headSQL))
        let sourceHead = try r.head()
        guard head == sourceHead, head?.hash == last?.hash else {
            throw FlagDeckError.internalInvariant("after the copy the server's head is \(head.map { "\($0.seq) \($0.hash)" } ?? "empty") "
                + "but the source's is \(sourceHead.map { "\($0.seq) \($0.hash)" } ?? "empty"); rolled back")
        }
        try conn.query("COMMIT")
        // Fresh statistics, so the first queries on the copy are planned for its real size.
        try? conn.execute(script: "ANALYZE")
        report.head = head
        return report
    }
}
