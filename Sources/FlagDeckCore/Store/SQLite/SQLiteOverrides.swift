import Foundation
import GRDB

extension SQLiteAccess {
    func overrides(flag: String?, env: EnvironmentID?) throws -> [Override] {
        var sql = "SELECT id, flag, env, context_key, match_value, serve, expires_at, created_at, created_by FROM override"
        var conds: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let flag { conds.append("flag = ?"); args.append(flag) }
        if let env { conds.append("env = ?"); args.append(env.path) }
        if !conds.isEmpty { sql += " WHERE " + conds.joined(separator: " AND ") }
        sql += " ORDER BY flag, env, id"
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(args)).map { r in
            Override(id: r["id"], flagKey: r["flag"], env: (try? EnvironmentID(parsing: r["env"])) ?? EnvironmentID(account: "?", name: "?"),
                     contextKey: r["context_key"], matchValue: (try? JSONParser.parse(r["match_value"] as String)) ?? .null,
                     serve: r["serve"], expiresAt: (r["expires_at"] as String?).flatMap(UTC.parseStored),
                     createdAt: UTC.parseStored(r["created_at"]) ?? .distantPast, createdBy: r["created_by"])
        }
    }

    func upsert(_ o: Override) throws -> Override {
        let match = JSONWriter.compact(o.matchValue)
        try exec("""
            INSERT INTO override (flag, env, context_key, match_value, serve, expires_at, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (flag, env, context_key, match_value) DO UPDATE SET
                serve = excluded.serve, expires_at = excluded.expires_at,
                created_at = excluded.created_at, created_by = excluded.created_by
            """, [o.flagKey, o.env.path, o.contextKey, match, o.serve, o.expiresAt.map(UTC.format), UTC.format(o.createdAt),
                  o.createdBy])
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM override WHERE flag = ? AND env = ? AND context_key = ? AND match_value = ?
            """), arguments: [o.flagKey, o.env.path, o.contextKey, match]) else {
            throw FlagDeckError.internalInvariant("override for \(o.flagKey) in \(o.env) does not read back")
        }
        var stored = o
        stored.id = id
        return stored
    }

    func deleteOverride(id: Int64) throws {
        try exec("DELETE FROM override WHERE id = ?", [id])
    }

    func replaceOverrides(flag: String, env: EnvironmentID, with overrides: [Override]) throws {
        try exec("DELETE FROM override WHERE flag = ? AND env = ?", [flag, env.path])
        let insert = try db.cachedStatement(sql: """
            INSERT INTO override (flag, env, context_key, match_value, serve, expires_at, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for o in overrides {
            try insert.execute(arguments: [flag, env.path, o.contextKey, JSONWriter.compact(o.matchValue), o.serve,
                                           o.expiresAt.map(UTC.format), UTC.format(o.createdAt), o.createdBy])
        }
    }
}
