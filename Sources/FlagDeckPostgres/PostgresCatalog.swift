import FlagDeckCore

/// Deciding whether a database is flagdeck's before anything is written to it: the
/// `flagdeck_meta` marker, the schema version, and what else lives there.
enum PostgresCatalog {
    enum Finding: Equatable {
        /// No tables at all in the current schema: `init` may create ours.
        case empty
        /// Ours, at this schema version.
        case flagdeck(version: Int)
        /// Tables that are not ours (a few names, for the message).
        case foreign(tables: [String], count: Int)
        /// A `flagdeck_meta` table whose marker is not flagdeck's.
        case foreignMarker(String)
    }

    static func inspect(_ conn: PGConnection) throws(PGError) -> Finding {
        let r = try conn.pipeline([
            PGStatement("""
                SELECT count(*) AS n, coalesce(string_agg(name, ', ' ORDER BY name) FILTER (WHERE rn <= 5), '') AS some
                FROM (SELECT c.relname AS name, row_number() OVER (ORDER BY c.relname) AS rn
                      FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
                      WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')) t
                """),
            PGStatement("SELECT to_regclass('flagdeck_meta') IS NOT NULL AS has_meta"),
        ])
        let count = r[0].int(0, "n")
        guard r[1].bool(0, "has_meta") else {
            if count == 0 { return .empty }
            return .foreign(tables: r[0].string(0, "some").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                            count: count)
        }
        let meta = try conn.query("SELECT key, value FROM flagdeck_meta WHERE key IN ('application', 'schema_version')")
        var values: [String: String] = [:]
        for i in 0..<meta.rowCount { values[meta.string(i, 0)] = meta.string(i, 1) }
        guard values["application"] == PostgresSchema.application else {
            return .foreignMarker(values["application"] ?? "no application marker")
        }
        return .flagdeck(version: Int(values["schema_version"] ?? "") ?? 0)
    }

    /// Applies the pending migrations in one transaction under the migration lock,
    /// re-reading the version inside it (another process may have migrated meanwhile),
    /// then the application role's grants.
    static func migrate(_ conn: PGConnection, target: String) throws(PGError) {
        try conn.execute(script: "BEGIN")
        do throws(PGError) {
            try conn.query("SELECT pg_advisory_xact_lock($1::bigint)", [String(PostgresSchema.migrationLockKey)])
            try conn.query("SELECT pg_advisory_xact_lock($1::bigint)", [String(PostgresSchema.appendLockKey)])
            var version = 0
            switch try inspect(conn) {
            case .empty: version = 0
            case .flagdeck(let v): version = v
            case .foreign, .foreignMarker:
                throw PGError(kind: .other, message: "the database gained other tables while flagdeck was creating its schema",
                              target: target)
            }
            if version < PostgresSchema.latestVersion {
                for i in version..<PostgresSchema.latestVersion { try conn.execute(script: PostgresSchema.migrations[i]) }
                try conn.query("""
                    INSERT INTO flagdeck_meta (key, value) VALUES ('application', $1), ('schema_version', $2)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """, [PostgresSchema.application, String(PostgresSchema.latestVersion)])
            }
            try conn.execute(script: PostgresSchema.grants)
            try conn.execute(script: "COMMIT")
        } catch {
            if conn.isHealthy { try? conn.execute(script: "ROLLBACK") }
            throw error
        }
    }
}
