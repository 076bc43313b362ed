import FlagDeckCore
import Foundation

/// Flag pages, overrides, source bindings and the push journal: the same queries and
/// orders as SQLite's (`SQLiteReads`, `SQLiteOverrides`, `SQLiteSources`).
extension PostgresAccess {
    func flagCount() throws(PGError) -> Int {
        try tx.one("SELECT count(*) AS n FROM flag").int(0, "n")
    }

    func flags(after key: String?, limit: Int) throws(PGError) -> [Flag] {
        Self.flags(try tx.one("SELECT \(Self.flagColumns) FROM flag WHERE key > $1 ORDER BY key LIMIT $2",
                              [key ?? "", String(max(0, limit))]))
    }

    func states(flags keys: [String]) throws(PGError) -> [FlagState] {
        guard !keys.isEmpty else { return [] }
        return try cellsOfFlags(keys)
    }

    func latestEvents(flags keys: [String], action: String) throws(PGError) -> [String: AuditEvent] {
        guard !keys.isEmpty else { return [:] }
        let r = try tx.one("""
            SELECT DISTINCT ON (flag) \(Self.eventColumns) FROM audit_event
            WHERE flag = ANY($1::text[]) AND action = $2 ORDER BY flag, seq DESC
            """, [Self.textArray(keys), action])
        var out: [String: AuditEvent] = [:]
        for e in Self.events(r) { if let f = e.flag { out[f] = e } }
        return out
    }

    // MARK: Overrides

    func overrides(flag: String?, env: EnvironmentID?) throws(PGError) -> [Override] {
        var conds: [String] = []
        var params: [String?] = []
        if let flag { params.append(flag); conds.append("flag = $\(params.count)") }
        if let env { params.append(env.path); conds.append("env = $\(params.count)") }
        var sql = "SELECT id, flag, env, context_key, match_value, serve, expires_at, created_at, created_by FROM override"
        if !conds.isEmpty { sql += " WHERE " + conds.joined(separator: " AND ") }
        sql += " ORDER BY flag, env, id"
        let r = try tx.one(sql, params)
        return (0..<r.rowCount).map { i in
            Override(id: r.int64(i, 0), flagKey: r.string(i, 1),
                     env: (try? EnvironmentID(parsing: r.string(i, 2))) ?? EnvironmentID(account: "?", name: "?"),
                     contextKey: r.string(i, 3), matchValue: (try? JSONParser.parse(r.string(i, 4))) ?? .null, serve: r.string(i, 5),
                     expiresAt: r.text(i, 6).flatMap(UTC.parseStored), createdAt: UTC.parseStored(r.string(i, 7)) ?? .distantPast,
                     createdBy: r.string(i, 8))
        }
    }

    func upsert(_ o: Override) throws(PGError) -> Override {
        let r = try tx.one("""
            INSERT INTO override (flag, env, context_key, match_value, serve, expires_at, created_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (flag, env, context_key, match_value) DO UPDATE SET
                serve = excluded.serve, expires_at = excluded.expires_at,
                created_at = excluded.created_at, created_by = excluded.created_by
            RETURNING id
            """, Self.overrideParams(o, flag: o.flagKey, env: o.env))
        var stored = o
        stored.id = r.int64(0, 0)
        return stored
    }

    func deleteOverride(id: Int64) {
        tx.defer_(PGStatement("DELETE FROM override WHERE id = $1", [String(id)]))
    }

    func replaceOverrides(flag: String, env: EnvironmentID, with overrides: [Override]) {
        tx.defer_(PGStatement("DELETE FROM override WHERE flag = $1 AND env = $2", [flag, env.path]))
        for o in overrides {
            tx.defer_(PGStatement("""
                INSERT INTO override (flag, env, context_key, match_value, serve, expires_at, created_at, created_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, Self.overrideParams(o, flag: flag, env: env)))
        }
    }

    static func overrideParams(_ o: Override, flag: String, env: EnvironmentID) -> [String?] {
        [flag, env.path, o.contextKey, JSONWriter.compact(o.matchValue), o.serve, o.expiresAt.map(UTC.format),
         UTC.format(o.createdAt), o.createdBy]
    }

    // MARK: Sources and the push journal

    func sourceBindings() throws(PGError) -> [SourceBinding] {
        if let knownBindings { return knownBindings }
        if let session, session.noBindings, tx.mayExpect, !tx.hasQueuedWrites {
            tx.expect(.noBindings)
            knownBindings = []
            return []
        }
        let b = Self.bindings(try tx.one(Self.bindingsSQL))
        knownBindings = b
        return b
    }

    static func bindings(_ r: PGResult) -> [SourceBinding] {
        (0..<r.rowCount).map { i in
            SourceBinding(id: r.int64(i, 0), env: (try? EnvironmentID(parsing: r.string(i, 1))) ?? EnvironmentID(account: "?", name: "?"),
                          uri: r.string(i, 2), format: r.string(i, 3), options: Self.options(r.string(i, 4)), version: r.text(i, 5),
                          syncedAt: r.text(i, 6).flatMap(UTC.parseStored), syncError: r.text(i, 7),
                          createdAt: UTC.parseStored(r.string(i, 8)) ?? .distantPast, createdBy: r.string(i, 9))
        }
    }

    func sourceFlags(binding: Int64) throws(PGError) -> [SourceFlagRecord] {
        let r = try tx.one("SELECT binding_id, flag, seen, pre_kill FROM source_flag WHERE binding_id = $1 ORDER BY flag", [String(binding)])
        return (0..<r.rowCount).map { SourceFlagRecord(bindingID: r.int64($0, 0), flag: r.string($0, 1), seen: r.text($0, 2), preKill: r.text($0, 3)) }
    }

    func sourceFlag(binding: Int64, flag: String) throws(PGError) -> SourceFlagRecord? {
        let r = try tx.one("SELECT binding_id, flag, seen, pre_kill FROM source_flag WHERE binding_id = $1 AND flag = $2", [String(binding), flag])
        return r.rowCount == 0 ? nil : SourceFlagRecord(bindingID: r.int64(0, 0), flag: r.string(0, 1), seen: r.text(0, 2), preKill: r.text(0, 3))
    }

    func pendingIntents() throws(PGError) -> [PushIntent] {
        let r = try tx.one("""
            SELECT id, binding_id, created_at, operator, host, action, flag, env, reason, before, after, plan
            FROM push_intent ORDER BY created_at, id
            """)
        return (0..<r.rowCount).map { i in
            PushIntent(id: r.string(i, 0), bindingID: r.int64(i, 1), createdAt: UTC.parseStored(r.string(i, 2)) ?? .distantPast,
                       operator: r.string(i, 3), host: r.string(i, 4), action: r.string(i, 5), flag: r.string(i, 6),
                       env: (try? EnvironmentID(parsing: r.string(i, 7))) ?? EnvironmentID(account: "?", name: "?"),
                       reason: r.string(i, 8), before: r.string(i, 9), after: r.string(i, 10), plan: r.string(i, 11))
        }
    }

    func insert(_ b: SourceBinding) throws(PGError) -> SourceBinding {
        bindingsWritten()
        let r = try tx.one("""
            INSERT INTO source_binding (env, uri, format, options, version, synced_at, sync_error, created_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """, [b.env.path, b.uri, b.format, Self.optionsJSON(b.options), b.version, b.syncedAt.map(UTC.format), b.syncError,
                  UTC.format(b.createdAt), b.createdBy])
        var stored = b
        stored.id = r.int64(0, 0)
        return stored
    }

    func deleteBinding(id: Int64) {
        bindingsWritten()
        tx.defer_(PGStatement("DELETE FROM source_flag WHERE binding_id = $1", [String(id)]))
        tx.defer_(PGStatement("DELETE FROM source_binding WHERE id = $1", [String(id)]))
    }

    func save(_ record: SourceFlagRecord) {
        tx.defer_(PGStatement("""
            INSERT INTO source_flag (binding_id, flag, seen, pre_kill) VALUES ($1, $2, $3, $4)
            ON CONFLICT (binding_id, flag) DO UPDATE SET seen = excluded.seen, pre_kill = excluded.pre_kill
            """, [String(record.bindingID), record.flag, record.seen, record.preKill]))
    }

    func insert(_ i: PushIntent) {
        tx.defer_(PGStatement("""
            INSERT INTO push_intent (id, binding_id, created_at, operator, host, action, flag, env, reason, before, after, plan)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, [i.id, String(i.bindingID), UTC.format(i.createdAt), i.operator, i.host, i.action, i.flag, i.env.path, i.reason,
                  i.before, i.after, i.plan]))
    }

    func updatePlan(intent id: String, plan: String) {
        tx.defer_(PGStatement("UPDATE push_intent SET plan = $1 WHERE id = $2", [plan, id]))
    }

    func deleteIntent(id: String) {
        tx.defer_(PGStatement("DELETE FROM push_intent WHERE id = $1", [id]))
    }

    func recordSync(binding id: Int64, version: String?, at: Date, error: String?) {
        bindingsWritten()
        if let error {
            // A failed read keeps the last good version: the inventory still mirrors it.
            tx.defer_(PGStatement("UPDATE source_binding SET synced_at = $1, sync_error = $2 WHERE id = $3", [UTC.format(at), error, String(id)]))
        } else {
            tx.defer_(PGStatement("UPDATE source_binding SET version = $1, synced_at = $2, sync_error = NULL WHERE id = $3",
                                  [version, UTC.format(at), String(id)]))
        }
    }

    static func optionsJSON(_ o: [String: String]) -> String {
        JSONWriter.compact(.object(JSONObject(o.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
    }

    static func options(_ s: String) -> [String: String] {
        guard case .object(let o)? = try? JSONParser.parse(s) else { return [:] }
        var out: [String: String] = [:]
        for m in o.members { if let v = m.value.stringValue { out[m.key] = v } }
        return out
    }

    /// A text[] literal: `{"a","b\"c"}`.
    static func textArray(_ a: [String]) -> String {
        "{" + a.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}

/// The store protocols, implemented by `PostgresAccess` directly.
extension PostgresAccess: StoreWriting {
    func forEachEvent(_ body: (AuditEvent) throws -> Bool) throws { try forEachEvent(page: 5_000, body) }
    func forEachState(_ body: (FlagState) throws -> Void) throws { try forEachState(page: 20_000, body) }
}
