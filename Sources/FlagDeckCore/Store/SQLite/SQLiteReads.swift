import Foundation
import GRDB

extension SQLiteAccess {
    func environments() throws -> [Environment] {
        try rows("SELECT account, name, display_order, protected, version FROM environment ORDER BY display_order, account, name")
            .map(SQLiteRows.environment(from:))
    }

    func environment(_ id: EnvironmentID) throws -> Environment? {
        try row("SELECT id, account, name, display_order, protected, version FROM environment WHERE account = ? AND name = ?",
                [id.account, id.name]).map(rememberEnvironment)
    }

    func environments(named name: String) throws -> [Environment] {
        try rows("SELECT id, account, name, display_order, protected, version FROM environment WHERE name = ? ORDER BY account",
                 [name]).map(rememberEnvironment)
    }

    private func rememberEnvironment(_ r: Row) -> Environment {
        let e = SQLiteRows.environment(from: r)
        knownEnvIDs[e.id] = r["id"]
        return e
    }

    func flags() throws -> [Flag] {
        try flagRows("SELECT \(SQLiteRows.flagColumns) FROM flag ORDER BY key", [])
    }

    func flag(key: String) throws -> Flag? {
        try flagRows("SELECT \(SQLiteRows.flagColumns) FROM flag WHERE key = ?", [.text(key)]).first
    }

    private func flagRows(_ sql: String, _ values: [HotValue]) throws -> [Flag] {
        try HotStatement(db, sql).run(values) { r in
            let c = FlagColumns(r)
            var out: [Flag] = []
            while try r.step() { out.append(c.flag(r)) }
            return out
        }
    }

    /// Every event `sql` selects (`SQLiteRows.eventColumns`), in order, until `body` says stop.
    private func eventRows(_ sql: String, _ values: [HotValue], _ body: (AuditEvent) throws -> Bool) throws {
        try HotStatement(db, sql).run(values) { r in
            let c = EventColumns(r)
            while try r.step() { if try !body(c.event(r)) { break } }
        }
    }

    func flagCount() throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM flag")) ?? 0
    }

    func flags(after key: String?, limit: Int) throws -> [Flag] {
        try flagRows("SELECT \(SQLiteRows.flagColumns) FROM flag WHERE key > ? ORDER BY key LIMIT ?",
                     [.text(key ?? ""), .int(Int64(max(0, limit)))])
    }

    func states() throws -> [FlagState] {
        // Walk flags in key order (their unique index) and each flag's cells by primary
        // key, so SQLite only sorts the cells within one flag by display order instead of
        // all 500,000 at once (10,000 flags × 50 environments: 2.9 s → 1.5 s).
        try cellRows("""
            SELECT f.key AS key, e.account AS account, e.name AS name, \(SQLiteRows.cellColumns),
                   s.flag_id AS flag_id, s.env_id AS env_id, e.display_order AS display_order, e.protected AS protected,
                   e.version AS env_version
            FROM flag f CROSS JOIN flag_state s ON s.flag_id = f.id JOIN environment e ON e.id = s.env_id
            ORDER BY f.key, e.display_order
            """, []).map(\.1)
    }

    func states(flag: String) throws -> [FlagState] {
        try cellRows(SQLiteRows.cellSelect + " WHERE f.key = ? ORDER BY e.display_order", [.text(flag)]).map(\.1)
    }

    func states(flags keys: [String]) throws -> [FlagState] {
        var out: [FlagState] = []
        for chunk in stride(from: 0, to: keys.count, by: 500).map({ Array(keys[$0..<min(keys.count, $0 + 500)]) }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            out += try cellRows(SQLiteRows.cellSelect + " WHERE f.key IN (\(marks)) ORDER BY f.key, e.display_order",
                                chunk.map { .text($0) }).map(\.1)
        }
        return out
    }

    func state(flag: String, env: EnvironmentID) throws -> FlagState? {
        try cellRows(SQLiteRows.cellSelect + " WHERE f.key = ? AND e.name = ? AND e.account = ?",
                     [.text(flag), .text(env.name), .text(env.account)]).first?.1
    }

    func cells(flag: String, envMatching envText: String) throws -> [(Environment, FlagState)] {
        guard envText.utf8.contains(UInt8(ascii: "/")) else {
            return try cellRows(SQLiteRows.cellSelect + " WHERE f.key = ? AND e.name = ?", [.text(flag), .text(envText)])
        }
        let id = try EnvironmentID(parsing: envText)
        return try cellRows(SQLiteRows.cellSelect + " WHERE f.key = ? AND e.name = ? AND e.account = ?",
                            [.text(flag), .text(id.name), .text(id.account)])
    }

    /// Cells with their environments. Every cell read here is one a mutation may save
    /// next, so its row ids are remembered and `save` needs no lookups of its own.
    private func cellRows(_ sql: String, _ values: [HotValue]) throws -> [(Environment, FlagState)] {
        try HotStatement(db, sql).run(values) { r in
            let cell = CellColumns(r)
            let key = r.column("key"), account = r.column("account"), name = r.column("name")
            let flagID = r.column("flag_id"), envID = r.column("env_id")
            let order = r.column("display_order"), protected = r.column("protected"), envVersion = r.column("env_version")
            var out: [(Environment, FlagState)] = []
            while try r.step() {
                let id = EnvironmentID(account: r.text(account), name: r.text(name))
                let state = cell.state(r, flag: r.text(key), env: id)
                flagIDs[state.flagKey] = r.int64(flagID)
                knownEnvIDs[id] = r.int64(envID)
                out.append((Environment(id: id, displayOrder: r.int(order), isProtected: r.bool(protected),
                                        version: r.int64(envVersion)), state))
            }
            return out
        }
    }

    func forEachState(_ body: (FlagState) throws -> Void) throws { try forEachState(part: 0, of: 1, body) }

    /// Slices are ranges of flag ids: `flag_state` is keyed by (flag_id, env_id) without a
    /// rowid, so each slice is one contiguous range of its b-tree.
    func forEachState(part: Int, of parts: Int, _ body: (FlagState) throws -> Void) throws {
        // Scan flag_state alone and resolve ids from two small maps: joining flag and
        // environment per row costs a b-tree search each, 15× the scan at 500,000 cells.
        let flags = try Row.fetchAll(db, sql: "SELECT id, key FROM flag ORDER BY id").map { ($0["id"] as Int64, $0["key"] as String) }
        let keys = RowIDMap(flags)
        let envs = RowIDMap(try Row.fetchAll(db, sql: "SELECT id, account, name FROM environment").map {
            ($0["id"], EnvironmentID(account: $0["account"], name: $0["name"]))
        })
        var sql = "SELECT s.flag_id AS flag_id, s.env_id AS env_id, \(SQLiteRows.cellColumns) FROM flag_state s"
        var bounds: [HotValue] = []
        if parts > 1 {
            // The slice's first flag id, and the next slice's (none for the last).
            let start = flags.count * part / parts, end = flags.count * (part + 1) / parts
            guard start < end else { return }
            sql += " WHERE s.flag_id >= ?"
            bounds.append(.int(flags[start].0))
            if end < flags.count {
                sql += " AND s.flag_id < ?"
                bounds.append(.int(flags[end].0))
            }
        }
        try HotStatement(db, sql)
            .run(bounds) { r in
                let cell = CellColumns(r)
                let flagID = r.column("flag_id"), envID = r.column("env_id")
                var recent = CellColumns.Recent()
                while try r.step() {
                    guard let key = keys[r.int64(flagID)], let env = envs[r.int64(envID)] else { continue }
                    try body(cell.state(r, flag: key, env: env, recent: &recent))
                }
            }
    }

    func events(_ q: AuditQuery) throws -> [AuditEvent] {
        var clauses: [String] = []
        var args: [HotValue] = []
        if let f = q.flag { clauses.append("flag = ?"); args.append(.text(f)) }
        if let e = q.env { clauses.append("env = ?"); args.append(.text(e)) }
        if let s = q.since { clauses.append("at >= ?"); args.append(.text(UTC.format(s))) }
        if let o = q.operator { clauses.append("operator = ?"); args.append(.text(o)) }
        if let a = q.action { clauses.append("action = ?"); args.append(.text(a)) }
        if let c = q.afterCursor { clauses.append(q.ascending ? "seq > ?" : "seq < ?"); args.append(.int(c)) }
        var sql = "SELECT \(SQLiteRows.eventColumns) FROM audit_event"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += q.ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC"
        if let l = q.limit { sql += " LIMIT \(max(0, l))" }
        var out: [AuditEvent] = []
        try eventRows(sql, args) { out.append($0); return true }
        return out
    }

    func forEachEvent(_ body: (AuditEvent) throws -> Bool) throws {
        try eventRows("SELECT \(SQLiteRows.eventColumns) FROM audit_event ORDER BY seq", [], body)
    }

    func eventCount() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT count(*) FROM audit_event") ?? 0
    }

    func head() throws -> AuditHead? {
        if let cachedHead { return cachedHead }
        let h = try HotStatement(db, "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").run([]) { r in
            try r.step() ? AuditHead(seq: r.int64(r.column("seq")), hash: r.text(r.column("hash"))) : nil
        }
        cachedHead = .some(h)
        return h
    }

    func latestEventPerFlag(action: String) throws -> [String: AuditEvent] {
        // The subquery is covered by audit_event(flag, seq, action): a scan of index
        // entries only, already grouped by flag; only the winning rows are then read
        // from the table.
        let sql = "SELECT \(SQLiteRows.eventColumns) FROM audit_event WHERE seq IN "
            + "(SELECT max(seq) FROM audit_event WHERE action = ? AND flag IS NOT NULL GROUP BY flag)"
        var out: [String: AuditEvent] = [:]
        try eventRows(sql, [.text(action)]) { e in
            if let f = e.flag { out[f] = e }
            return true
        }
        return out
    }

    func latestEventPerFlag(actions: [String]) throws -> [String: [String: AuditEvent]] {
        // One covering scan of audit_event(flag, seq, action) for every action, instead of
        // one per action: at a million events each scan is most of the read.
        let marks = actions.map { _ in "?" }.joined(separator: ", ")
        let sql = "SELECT \(SQLiteRows.eventColumns) FROM audit_event WHERE seq IN "
            + "(SELECT max(seq) FROM audit_event WHERE action IN (\(marks)) AND flag IS NOT NULL GROUP BY flag, action)"
        var out: [String: [String: AuditEvent]] = Dictionary(uniqueKeysWithValues: actions.map { ($0, [:]) })
        try eventRows(sql, actions.map { .text($0) }) { e in
            if let f = e.flag { out[e.action, default: [:]][f] = e }
            return true
        }
        return out
    }

    func latestEvents(flags keys: [String], action: String) throws -> [String: AuditEvent] {
        var out: [String: AuditEvent] = [:]
        let sql = "SELECT \(SQLiteRows.eventColumns) FROM audit_event WHERE flag = ? AND action = ? ORDER BY seq DESC LIMIT 1"
        for key in keys {
            try eventRows(sql, [.text(key), .text(action)]) { out[key] = $0; return false }
        }
        return out
    }

    func setting(_ key: String) throws -> String? {
        if let known = knownSettings[key] { return known }
        let value = try HotStatement(db, "SELECT value FROM setting WHERE key = ?").run([.text(key)]) { r in
            try r.step() ? r.text(r.column("value")) : nil
        }
        knownSettings[key] = .some(value)
        return value
    }

    func settings() throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting") { out[row["key"]] = row["value"] }
        return out
    }
}
