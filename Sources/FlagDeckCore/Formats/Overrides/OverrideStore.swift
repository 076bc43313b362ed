import Foundation
import GRDB

/// Override rows (schema migration 3). Kept beside the formats code, reached through
/// the same transaction objects the store hands to operations, so an override change
/// and its audit event commit together.
public enum OverrideStore {
    public static func overrides(_ r: any StoreReading, flag: String? = nil, env: EnvironmentID? = nil) throws -> [Override] {
        guard let a = r as? SQLiteAccess else { return [] }
        var sql = "SELECT id, flag, env, context_key, match_value, serve, expires_at, created_at, created_by FROM override"
        var conds: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let flag { conds.append("flag = ?"); args.append(flag) }
        if let env { conds.append("env = ?"); args.append(env.path) }
        if !conds.isEmpty { sql += " WHERE " + conds.joined(separator: " AND ") }
        sql += " ORDER BY flag, env, id"
        return try Row.fetchAll(a.db, sql: sql, arguments: StatementArguments(args)).map { row in
            Override(id: row[0], flagKey: row[1], env: try EnvironmentID(parsing: row[2]), contextKey: row[3],
                     matchValue: (try? JSONParser.parse(row[4] as String)) ?? .null, serve: row[5],
                     expiresAt: (row[6] as String?).flatMap(UTC.parseStored), createdAt: UTC.parseStored(row[7]) ?? .distantPast,
                     createdBy: row[8])
        }
    }

    static func upsert(_ w: any StoreWriting, _ o: Override) throws -> Override {
        guard let a = w as? SQLiteAccess else { throw FlagDeckError.storage("this store does not support overrides") }
        try a.db.execute(sql: """
            INSERT INTO override (flag, env, context_key, match_value, serve, expires_at, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (flag, env, context_key, match_value) DO UPDATE SET
                serve = excluded.serve, expires_at = excluded.expires_at,
                created_at = excluded.created_at, created_by = excluded.created_by
            """, arguments: [o.flagKey, o.env.path, o.contextKey, JSONWriter.compact(o.matchValue), o.serve,
                             o.expiresAt.map(UTC.format), UTC.format(o.createdAt), o.createdBy])
        return try overrides(w, flag: o.flagKey, env: o.env).first {
            $0.contextKey == o.contextKey && JSONWriter.compact($0.matchValue) == JSONWriter.compact(o.matchValue)
        }!
    }

    static func delete(_ w: any StoreWriting, id: Int64) throws {
        guard let a = w as? SQLiteAccess else { throw FlagDeckError.storage("this store does not support overrides") }
        try a.db.execute(sql: "DELETE FROM override WHERE id = ?", arguments: [id])
    }
}

extension Operations {
    public static let overrideSetAction = "override.set"
    public static let overrideRemoveAction = "override.rm"

    /// Sets (or replaces) "when `key` equals `equals`, serve `serve`" for one cell.
    @discardableResult
    public func setOverride(flag: String, env envText: String, key: String, equals: JSONValue, serve: JSONValue,
                            expires: Date? = nil, reason: String = "") throws -> Override {
        let now = clock()
        guard !key.isEmpty else { throw FlagDeckError.invalidJSON(field: "--key", detail: "the context key must not be empty") }
        return try recordingDenial(action: Self.overrideSetAction, flag: flag, env: envText, reason: reason) {
            try store.write { w in
                let env = try EnvironmentResolver.resolve(envText, in: w)
                try authorize(w, env: env.id, action: "set overrides")
                guard let f = try w.flag(key: flag) else { throw FlagDeckError.unknownFlag(flag) }
                if f.valueKind == .boolean, serve.boolValue == nil {
                    throw FlagDeckError.invalidJSON(field: "--serve", detail: "\(flag) is a boolean flag; serve true or false")
                }
                if env.isProtected && reason.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw FlagDeckError.reasonRequired(action: "set an override", env: env.id.path)
                }
                if let expires, expires <= now { throw FlagDeckError.invalidDate("\(UTC.format(expires)) is already past") }
                let before = try OverrideStore.overrides(w, flag: flag, env: env.id).first {
                    $0.contextKey == key && JSONWriter.compact($0.matchValue) == JSONWriter.compact(equals)
                }
                let o = try OverrideStore.upsert(w, Override(flagKey: flag, env: env.id, contextKey: key, matchValue: equals,
                                                             serve: JSONWriter.compact(serve), expiresAt: expires,
                                                             createdAt: now, createdBy: actor.name))
                try w.append(AuditDraft(at: now, actor: actor, action: Self.overrideSetAction, flag: flag, env: env.id.path,
                                        before: before?.json, after: o.json, reason: reason))
                return o
            }
        }
    }

    /// Removes the override with `id` (see `override list`).
    @discardableResult
    public func removeOverride(id: Int64, reason: String = "") throws -> Override {
        let now = clock()
        return try store.write { w in
            guard let o = try OverrideStore.overrides(w).first(where: { $0.id == id }) else {
                throw FlagDeckError.nothingToDo("no override with id \(id) (see `flagdeck override list`)")
            }
            let env = try EnvironmentResolver.resolve(o.env.path, in: w)
            try authorize(w, env: env.id, action: "remove overrides")
            if env.isProtected && reason.trimmingCharacters(in: .whitespaces).isEmpty {
                throw FlagDeckError.reasonRequired(action: "remove an override", env: env.id.path)
            }
            try OverrideStore.delete(w, id: id)
            try w.append(AuditDraft(at: now, actor: actor, action: Self.overrideRemoveAction, flag: o.flagKey, env: o.env.path,
                                    before: o.json, after: nil, reason: reason))
            return o
        }
    }
}
