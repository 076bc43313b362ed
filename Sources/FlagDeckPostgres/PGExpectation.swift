import FlagDeckCore

/// A read a write transaction answered from `PGSessionCache` instead of asking the
/// server: a boolean SQL condition (with `?` placeholders) that holds exactly when the
/// server, now, would have given the same answer. All of a transaction's expectations
/// are checked by one guard statement placed right after the append lock and before any
/// of its writes, so they are judged against the last commit and not against the
/// transaction's own changes.
struct PGExpectation {
    var condition: String
    var params: [String?]

    /// The chain head is still `head`: that event is there with that hash and nothing
    /// came after it (the log is append-only, so nothing before it can have changed).
    static func head(_ head: AuditHead?) -> PGExpectation {
        guard let head else { return PGExpectation(condition: "NOT EXISTS (SELECT 1 FROM audit_event)", params: []) }
        return PGExpectation(condition: "EXISTS (SELECT 1 FROM audit_event WHERE seq = ?::bigint AND hash = ?) "
                                + "AND NOT EXISTS (SELECT 1 FROM audit_event WHERE seq > ?::bigint)",
                             params: [String(head.seq), head.hash, String(head.seq)])
    }

    static func setting(_ key: String, _ value: String?) -> PGExpectation {
        PGExpectation(condition: "(SELECT value FROM setting WHERE key = ?) IS NOT DISTINCT FROM ?::text", params: [key, value])
    }

    static let noBindings = PGExpectation(condition: "NOT EXISTS (SELECT 1 FROM source_binding)", params: [])

    /// `envText` names exactly this one cell of `flag`, and every column of the cell and
    /// of its environment is as cached: the decision (version check, protected
    /// environment, the change itself, the event's before snapshot) rests on all of them.
    static func cell(flag: String, envText: String, _ c: PGSessionCache.Cell) -> PGExpectation {
        var condition = ""
        var params: [String?] = []
        if !envText.utf8.contains(UInt8(ascii: "/")) {
            // A bare name: no other account may have gained an environment of that name.
            condition = "(SELECT count(*) FROM flag_state s JOIN flag f ON f.id = s.flag_id JOIN environment e ON e.id = s.env_id "
                + "WHERE f.key = ? AND e.name = ?) = 1 AND "
            params = [flag, envText]
        }
        condition += """
            EXISTS (SELECT 1 FROM flag_state s JOIN flag f ON f.id = s.flag_id JOIN environment e ON e.id = s.env_id
                WHERE s.flag_id = ?::bigint AND s.env_id = ?::bigint AND f.key = ? AND e.account = ? AND e.name = ?
                  AND s.enabled = ?::boolean AND s.killed = ?::boolean AND s.rollout_bp = ?::integer AND s.rules = ?
                  AND s.default_value = ? AND s.version = ?::bigint AND s.changed_at = ? AND s.changed_by = ?
                  AND e.display_order = ?::integer AND e.protected = ?::boolean AND e.version = ?::bigint)
            """
        let s = c.state
        params += [String(c.flagID), String(c.envID), flag, c.env.id.account, c.env.id.name,
                   PostgresAccess.bool(s.enabled), PostgresAccess.bool(s.killed), String(s.rolloutBasisPoints), s.rules,
                   s.defaultValue, String(s.version), c.changedAtText, s.changedBy,
                   String(c.env.displayOrder), PostgresAccess.bool(c.env.isProtected), String(c.env.version)]
        return PGExpectation(condition: condition, params: params)
    }

    /// One statement checking them all. It fails — division by zero on an aggregate,
    /// which the planner cannot fold away, so it happens only at run time and only when
    /// some expectation is false — and that failure aborts the transaction before any of
    /// its writes and skips its COMMIT. `PGTransaction` recognises it by position.
    static func guardStatement(_ all: [PGExpectation]) -> PGStatement {
        var params: [String?] = []
        var parts: [String] = []
        for e in all {
            var sql = ""
            var pending = e.params[...]
            for ch in e.condition {
                if ch == "?" {
                    params.append(pending.removeFirst())
                    sql += "$\(params.count)"
                } else {
                    sql.append(ch)
                }
            }
            parts.append("(" + sql + ")")
        }
        return PGStatement("SELECT 1 / count(*) AS fresh FROM (SELECT 1 WHERE " + parts.joined(separator: " AND ") + ") checked", params)
    }
}
