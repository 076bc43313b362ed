import Foundation
import GRDB

/// Source bindings, what the inventory last saw of each bound flag, and the push journal.
extension SQLiteAccess {
    func sourceBindings() throws -> [SourceBinding] {
        if let knownBindings { return knownBindings }
        let all = try rows("""
            SELECT id, env, uri, format, options, version, synced_at, sync_error, created_at, created_by
            FROM source_binding ORDER BY env, id
            """).map { r in
            SourceBinding(id: r["id"], env: (try? EnvironmentID(parsing: r["env"])) ?? EnvironmentID(account: "?", name: "?"),
                          uri: r["uri"], format: r["format"], options: Self.options(r["options"]), version: r["version"],
                          syncedAt: (r["synced_at"] as String?).flatMap(UTC.parseStored), syncError: r["sync_error"],
                          createdAt: UTC.parseStored(r["created_at"]) ?? .distantPast, createdBy: r["created_by"])
        }
        knownBindings = all
        return all
    }

    func sourceFlags(binding: Int64) throws -> [SourceFlagRecord] {
        try sourceFlagRecords("SELECT binding_id, flag, seen, pre_kill FROM source_flag WHERE binding_id = ? ORDER BY flag", [.int(binding)])
    }

    func sourceFlag(binding: Int64, flag: String) throws -> SourceFlagRecord? {
        try sourceFlagRecords("SELECT binding_id, flag, seen, pre_kill FROM source_flag WHERE binding_id = ? AND flag = ?",
                              [.int(binding), .text(flag)]).first
    }

    /// Through the C API: sync reads every record of a 5,000-flag binding, and GRDB's
    /// `Row`s cost more than the comparison they serve.
    private func sourceFlagRecords(_ sql: String, _ values: [HotValue]) throws -> [SourceFlagRecord] {
        try HotStatement(db, sql).run(values) { r in
            let (b, f, s, p) = (r.column("binding_id"), r.column("flag"), r.column("seen"), r.column("pre_kill"))
            var out: [SourceFlagRecord] = []
            while try r.step() {
                out.append(SourceFlagRecord(bindingID: r.int64(b), flag: r.text(f), seen: r.optionalText(s), preKill: r.optionalText(p)))
            }
            return out
        }
    }

    func pendingIntents() throws -> [PushIntent] {
        try rows("""
            SELECT id, binding_id, created_at, operator, host, action, flag, env, reason, before, after, plan
            FROM push_intent ORDER BY created_at, id
            """).map { r in
            PushIntent(id: r["id"], bindingID: r["binding_id"], createdAt: UTC.parseStored(r["created_at"]) ?? .distantPast,
                       operator: r["operator"], host: r["host"], action: r["action"], flag: r["flag"],
                       env: (try? EnvironmentID(parsing: r["env"])) ?? EnvironmentID(account: "?", name: "?"),
                       reason: r["reason"], before: r["before"], after: r["after"], plan: r["plan"])
        }
    }

    func insert(_ b: SourceBinding) throws -> SourceBinding {
        try exec("""
            INSERT INTO source_binding (env, uri, format, options, version, synced_at, sync_error, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [b.env.path, b.uri, b.format, Self.optionsJSON(b.options), b.version, b.syncedAt.map(UTC.format), b.syncError,
                  UTC.format(b.createdAt), b.createdBy])
        var stored = b
        stored.id = db.lastInsertedRowID
        knownBindings = nil
        return stored
    }

    func deleteBinding(id: Int64) throws {
        try exec("DELETE FROM source_flag WHERE binding_id = ?", [id])
        try exec("DELETE FROM source_binding WHERE id = ?", [id])
        knownBindings = nil
    }

    func save(_ record: SourceFlagRecord) throws {
        try exec("""
            INSERT INTO source_flag (binding_id, flag, seen, pre_kill) VALUES (?, ?, ?, ?)
            ON CONFLICT (binding_id, flag) DO UPDATE SET seen = excluded.seen, pre_kill = excluded.pre_kill
            """, [record.bindingID, record.flag, record.seen, record.preKill])
    }

    func insert(_ i: PushIntent) throws {
        try exec("""
            INSERT INTO push_intent (id, binding_id, created_at, operator, host, action, flag, env, reason, before, after, plan)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [i.id, i.bindingID, UTC.format(i.createdAt), i.operator, i.host, i.action, i.flag, i.env.path, i.reason,
                  i.before, i.after, i.plan])
    }

    func updatePlan(intent id: String, plan: String) throws {
        try exec("UPDATE push_intent SET plan = ? WHERE id = ?", [plan, id])
    }

    func deleteIntent(id: String) throws {
        try exec("DELETE FROM push_intent WHERE id = ?", [id])
    }

    func recordSync(binding id: Int64, version: String?, at: Date, error: String?) throws {
        knownBindings = nil
        if let error {
            // A failed read keeps the last good version: the inventory still mirrors it.
            try exec("UPDATE source_binding SET synced_at = ?, sync_error = ? WHERE id = ?", [UTC.format(at), error, id])
        } else {
            try exec("UPDATE source_binding SET version = ?, synced_at = ?, sync_error = NULL WHERE id = ?",
                     [version, UTC.format(at), id])
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
}
