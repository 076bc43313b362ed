import Foundation
import GRDB

extension SQLiteAccess {
    func insert(_ env: Environment) throws {
        try exec("INSERT INTO environment (account, name, display_order, protected, version) VALUES (?, ?, ?, ?, ?)",
                 [env.id.account, env.id.name, env.displayOrder, env.isProtected, env.version])
        knownEnvIDs[env.id] = db.lastInsertedRowID
    }

    func update(_ env: Environment) throws {
        try exec("UPDATE environment SET display_order = ?, protected = ?, version = ? WHERE account = ? AND name = ?",
                 [env.displayOrder, env.isProtected, env.version, env.id.account, env.id.name])
    }

    func insert(_ f: Flag) throws {
        try exec("INSERT INTO flag (\(SQLiteRows.flagColumns)) VALUES (?,?,?,?,?,?,?,?,?,?,?)", SQLiteRows.flagArguments(f))
    }

    func update(_ f: Flag) throws {
        var args = SQLiteRows.flagArguments(f)
        args += [f.key]
        try exec("""
            UPDATE flag SET key = ?, description = ?, owner = ?, type = ?, tags = ?, created_at = ?, expires_at = ?,
                depends_on = ?, value_kind = ?, variants = ?, version = ? WHERE key = ?
            """, args)
    }

    func save(_ s: FlagState) throws {
        let fid = try flagID(s.flagKey)
        let eid = try envID(s.env)
        try HotStatement(db, """
            INSERT INTO flag_state (flag_id, env_id, enabled, killed, rollout_bp, rules, default_value, version, changed_at, changed_by)
            VALUES (?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT (flag_id, env_id) DO UPDATE SET enabled = excluded.enabled, killed = excluded.killed,
                rollout_bp = excluded.rollout_bp, rules = excluded.rules, default_value = excluded.default_value,
                version = excluded.version, changed_at = excluded.changed_at, changed_by = excluded.changed_by
            """).execute([.int(fid), .int(eid), .bool(s.enabled), .bool(s.killed), .int(Int64(s.rolloutBasisPoints)), .text(s.rules),
                          .text(s.defaultValue), .int(s.version), .text(UTC.format(s.changedAt)), .text(s.changedBy)])
    }

    func setSetting(_ key: String, _ value: String?) throws {
        if let value {
            try exec("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", [key, value])
        } else {
            try exec("DELETE FROM setting WHERE key = ?", [key])
        }
        knownSettings[key] = .some(value)
    }

    @discardableResult
    func append(_ draft: AuditDraft) throws -> AuditEvent {
        let e = AuditChain.seal(draft, after: try head())
        try HotStatement(db, """
            INSERT INTO audit_event (seq, at, operator, host, action, flag, env, before, after, reason, prev_hash, hash)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
            """).execute([.int(e.seq), .text(e.at), .text(e.operator), .text(e.host), .text(e.action), .optional(e.flag),
                          .optional(e.env), .optional(e.before), .optional(e.after), .text(e.reason), .text(e.prevHash),
                          .text(e.hash)])
        cachedHead = .some(AuditHead(seq: e.seq, hash: e.hash))
        appendedEvents += 1
        return e
    }
}
