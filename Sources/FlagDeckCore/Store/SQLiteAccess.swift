import Foundation
import GRDB

/// Reads and writes on one connection inside one transaction. Created per transaction
/// so it can cache the chain head and settings and count appended events.
final class SQLiteAccess: StoreWriting {
    let db: Database
    private(set) var appendedEvents = 0
    private(set) var cachedHead: AuditHead??
    private(set) var knownSettings: [String: String?] = [:]
    private var knownEnvIDs: [EnvironmentID: Int64] = [:]
    private var flagIDs: [String: Int64] = [:]

    /// `memo` must be valid for the transaction this access runs in (see `CommitMemo`).
    init(db: Database, memo: CommitMemo? = nil) {
        self.db = db
        if let memo {
            cachedHead = .some(memo.head)
            knownSettings = memo.settings
        }
    }

    // Cached prepared statements, so no statement is parsed twice on one connection.
    // The few every mutation runs go through `HotStatement` instead.
    private func rows(_ sql: String, _ args: StatementArguments = []) throws -> [Row] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: args)
    }

    private func row(_ sql: String, _ args: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: args)
    }

    private func exec(_ sql: String, _ args: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: args)
    }

    // MARK: Reading

    func environments() throws -> [Environment] {
        try rows("SELECT account, name, display_order, protected, version FROM environment ORDER BY display_order, account, name")
            .map { Environment(id: EnvironmentID(account: $0[0], name: $0[1]), displayOrder: $0[2], isProtected: $0[3], version: $0[4]) }
    }

    func environment(_ id: EnvironmentID) throws -> Environment? {
        try row("SELECT account, name, display_order, protected, version, id FROM environment WHERE account = ? AND name = ?",
                [id.account, id.name]).map(rememberEnvironment)
    }

    func environments(named name: String) throws -> [Environment] {
        try rows("SELECT account, name, display_order, protected, version, id FROM environment WHERE name = ? ORDER BY account",
                 [name]).map(rememberEnvironment)
    }

    private func rememberEnvironment(_ r: Row) -> Environment {
        let e = Environment(id: EnvironmentID(account: r[0], name: r[1]), displayOrder: r[2], isProtected: r[3], version: r[4])
        knownEnvIDs[e.id] = r[5]
        return e
    }

    func flags() throws -> [Flag] {
        try rows("SELECT \(Self.flagColumns) FROM flag ORDER BY key").map(Self.flag(from:))
    }

    func flag(key: String) throws -> Flag? {
        try row("SELECT \(Self.flagColumns) FROM flag WHERE key = ?", [key]).map(Self.flag(from:))
    }

    func states() throws -> [FlagState] {
        // Walk flags in key order (their unique index) and each flag's cells by primary
        // key, so SQLite only sorts the cells within one flag by display order instead of
        // all 500,000 at once (10,000 flags × 50 environments: 2.9 s → 1.5 s).
        try rows(Self.stateSelectByFlagKey + " ORDER BY f.key, e.display_order").map(Self.state(from:))
    }

    func states(flag: String) throws -> [FlagState] {
        try cellRows("f.key = ? ORDER BY e.display_order", [.text(flag)]).map(\.1)
    }

    func state(flag: String, env: EnvironmentID) throws -> FlagState? {
        try cellRows("f.key = ? AND e.name = ? AND e.account = ?", [.text(flag), .text(env.name), .text(env.account)]).first?.1
    }

    func cells(flag: String, envMatching envText: String) throws -> [(Environment, FlagState)] {
        guard envText.utf8.contains(UInt8(ascii: "/")) else {
            return try cellRows("f.key = ? AND e.name = ?", [.text(flag), .text(envText)])
        }
        let id = try EnvironmentID(parsing: envText)
        return try cellRows("f.key = ? AND e.name = ? AND e.account = ?", [.text(flag), .text(id.name), .text(id.account)])
    }

    /// Cells with their environments. Every cell read here is one a mutation may save
    /// next, so its row ids are remembered and `save` needs no lookups of its own.
    private func cellRows(_ condition: String, _ values: [HotValue]) throws -> [(Environment, FlagState)] {
        try HotStatement(db, Self.cellSelect + " WHERE " + condition).run(values) { r in
            var out: [(Environment, FlagState)] = []
            while try r.step() {
                let id = EnvironmentID(account: r.text(1), name: r.text(2))
                let state = FlagState(flagKey: r.text(0), env: id, enabled: r.bool(3), killed: r.bool(4),
                                      rolloutBasisPoints: r.int(5), rules: r.text(6), defaultValue: r.text(7), version: r.int64(8),
                                      changedAt: UTC.parseStored(r.text(9)) ?? .distantPast, changedBy: r.text(10))
                flagIDs[state.flagKey] = r.int64(11)
                knownEnvIDs[id] = r.int64(12)
                out.append((Environment(id: id, displayOrder: r.int(13), isProtected: r.bool(14), version: r.int64(15)), state))
            }
            return out
        }
    }

    func events(_ q: AuditQuery) throws -> [AuditEvent] {
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let f = q.flag { clauses.append("flag = ?"); args.append(f) }
        if let e = q.env { clauses.append("env = ?"); args.append(e) }
        if let s = q.since { clauses.append("at >= ?"); args.append(UTC.format(s)) }
        if let o = q.operator { clauses.append("operator = ?"); args.append(o) }
        if let a = q.action { clauses.append("action = ?"); args.append(a) }
        if let c = q.afterCursor { clauses.append(q.ascending ? "seq > ?" : "seq < ?"); args.append(c) }
        var sql = "SELECT \(Self.eventColumns) FROM audit_event"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += q.ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC"
        if let l = q.limit { sql += " LIMIT \(max(0, l))" }
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.event(from:))
    }

    func forEachEvent(_ body: (AuditEvent) throws -> Bool) throws {
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.eventColumns) FROM audit_event ORDER BY seq")
        while let row = try cursor.next() {
            if try !body(Self.event(from: row)) { break }
        }
    }

    func eventCount() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT count(*) FROM audit_event") ?? 0
    }

    func head() throws -> AuditHead? {
        if let cachedHead { return cachedHead }
        let h = try HotStatement(db, "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").run([]) { r in
            try r.step() ? AuditHead(seq: r.int64(0), hash: r.text(1)) : nil
        }
        cachedHead = .some(h)
        return h
    }

    func setting(_ key: String) throws -> String? {
        if let known = knownSettings[key] { return known }
        let value = try HotStatement(db, "SELECT value FROM setting WHERE key = ?").run([.text(key)]) { r in
            try r.step() ? r.text(0) : nil
        }
        knownSettings[key] = .some(value)
        return value
    }

    func settings() throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting") { out[row[0]] = row[1] }
        return out
    }

    func forEachState(_ body: (FlagState) throws -> Void) throws {
        // Scan flag_state alone and resolve ids from two small maps: joining flag and
        // environment per row costs a b-tree search each, 15× the scan at 500,000 cells.
        var keys: [Int64: String] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT id, key FROM flag") { keys[r[0]] = r[1] }
        var envs: [Int64: EnvironmentID] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT id, account, name FROM environment") {
            envs[r[0]] = EnvironmentID(account: r[1], name: r[2])
        }
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT flag_id, env_id, enabled, killed, rollout_bp, rules, default_value, version, changed_at, changed_by
            FROM flag_state
            """)
        while let r = try cursor.next() {
            guard let key = keys[r[0]], let env = envs[r[1]] else { continue }
            try body(FlagState(flagKey: key, env: env, enabled: r[2], killed: r[3], rolloutBasisPoints: r[4], rules: r[5],
                               defaultValue: r[6], version: r[7], changedAt: UTC.parseStored(r[8]) ?? .distantPast,
                               changedBy: r[9]))
        }
    }

    func latestEventPerFlag(action: String) throws -> [String: AuditEvent] {
        // The subquery is covered by audit_event(flag, seq, action): a scan of index
        // entries only, already grouped by flag; only the winning rows are then read
        // from the table.
        let sql = "SELECT \(Self.eventColumns) FROM audit_event WHERE seq IN "
            + "(SELECT max(seq) FROM audit_event WHERE action = ? AND flag IS NOT NULL GROUP BY flag)"
        var out: [String: AuditEvent] = [:]
        for row in try Row.fetchAll(db, sql: sql, arguments: [action]) {
            let e = Self.event(from: row)
            if let f = e.flag { out[f] = e }
        }
        return out
    }

    // MARK: Writing

    func insert(_ env: Environment) throws {
        try exec("INSERT INTO environment (account, name, display_order, protected, version) VALUES (?, ?, ?, ?, ?)", [env.id.account, env.id.name, env.displayOrder, env.isProtected, env.version])
        knownEnvIDs[env.id] = db.lastInsertedRowID
    }

    func update(_ env: Environment) throws {
        try exec("UPDATE environment SET display_order = ?, protected = ?, version = ? WHERE account = ? AND name = ?", [env.displayOrder, env.isProtected, env.version, env.id.account, env.id.name])
    }

    func insert(_ f: Flag) throws {
        try exec("INSERT INTO flag (key, description, owner, type, tags, created_at, expires_at, depends_on, value_kind, variants, version) VALUES (?,?,?,?,?,?,?,?,?,?,?)", Self.flagArguments(f))
    }

    func update(_ f: Flag) throws {
        var args = Self.flagArguments(f)
        args.append(contentsOf: [f.key])
        try exec("UPDATE flag SET key = ?, description = ?, owner = ?, type = ?, tags = ?, created_at = ?, expires_at = ?, depends_on = ?, value_kind = ?, variants = ?, version = ? WHERE key = ?", args)
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
        try HotStatement(db, "INSERT INTO audit_event (seq, at, operator, host, action, flag, env, before, after, reason, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
            .execute([.int(e.seq), .text(e.at), .text(e.operator), .text(e.host), .text(e.action), .optional(e.flag), .optional(e.env),
                      .optional(e.before), .optional(e.after), .text(e.reason), .text(e.prevHash), .text(e.hash)])
        cachedHead = .some(AuditHead(seq: e.seq, hash: e.hash))
        appendedEvents += 1
        return e
    }

    // MARK: Row mapping

    private func flagID(_ key: String) throws -> Int64 {
        if let id = flagIDs[key] { return id }
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM flag WHERE key = ?"), arguments: [key]) else {
            throw FlagDeckError.unknownFlag(key)
        }
        flagIDs[key] = id
        return id
    }

    private func envID(_ env: EnvironmentID) throws -> Int64 {
        if let id = knownEnvIDs[env] { return id }
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM environment WHERE account = ? AND name = ?"),
                                          arguments: [env.account, env.name]) else {
            throw FlagDeckError.unknownEnvironment(env.path, known: [])
        }
        knownEnvIDs[env] = id
        return id
    }

    static let flagColumns = "key, description, owner, type, tags, created_at, expires_at, depends_on, value_kind, variants, version"
    static let eventColumns = "seq, at, operator, host, action, flag, env, before, after, reason, prev_hash, hash"
    /// A cell's columns (0–10, as `state(from:)` reads them), its row ids (11–12) and its
    /// environment's own columns (13–15).
    static let cellSelect = """
        SELECT f.key, e.account, e.name, s.enabled, s.killed, s.rollout_bp, s.rules, s.default_value, s.version, s.changed_at, s.changed_by,
               s.flag_id, s.env_id, e.display_order, e.protected, e.version
        FROM flag_state s JOIN flag f ON f.id = s.flag_id JOIN environment e ON e.id = s.env_id
        """

    /// A cell's columns (0–10) with the flag table as the outer loop (CROSS JOIN fixes the order).
    static let stateSelectByFlagKey = """
        SELECT f.key, e.account, e.name, s.enabled, s.killed, s.rollout_bp, s.rules, s.default_value, s.version, s.changed_at, s.changed_by
        FROM flag f CROSS JOIN flag_state s ON s.flag_id = f.id JOIN environment e ON e.id = s.env_id
        """

    static func flagArguments(_ f: Flag) -> StatementArguments {
        [f.key, f.description, f.owner, f.type.rawValue, jsonArray(f.tags), UTC.format(f.createdAt),
         f.expiresAt.map(UTC.format), jsonArray(f.dependsOn), f.valueKind.rawValue, variantsJSON(f.variants), f.version]
    }

    static func flag(from r: Row) -> Flag {
        Flag(key: r[0], description: r[1], owner: r[2], type: FlagType(rawValue: r[3]) ?? .release,
             tags: decodeArray(r[4]), createdAt: UTC.parseStored(r[5]) ?? .distantPast,
             expiresAt: (r[6] as String?).flatMap(UTC.parseStored), dependsOn: decodeArray(r[7]),
             valueKind: ValueKind(rawValue: r[8]) ?? .boolean, variants: decodeVariants(r[9]), version: r[10])
    }

    static func state(from r: Row) -> FlagState {
        FlagState(flagKey: r[0], env: EnvironmentID(account: r[1], name: r[2]), enabled: r[3], killed: r[4],
                  rolloutBasisPoints: r[5], rules: r[6], defaultValue: r[7], version: r[8],
                  changedAt: UTC.parseStored(r[9]) ?? .distantPast, changedBy: r[10])
    }

    static func event(from r: Row) -> AuditEvent {
        AuditEvent(seq: r[0], at: r[1], operator: r[2], host: r[3], action: r[4], flag: r[5], env: r[6],
                   before: r[7], after: r[8], reason: r[9], prevHash: r[10], hash: r[11])
    }

    static func jsonArray(_ a: [String]) -> String { "[" + a.map(JSONText.quote).joined(separator: ",") + "]" }

    static func decodeArray(_ s: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(s.utf8))) ?? []
    }

    static func variantsJSON(_ v: [Variant]) -> String {
        guard !v.isEmpty else { return "[]" }
        return String(decoding: (try? JSONEncoder().encode(v)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decodeVariants(_ s: String) -> [Variant] {
        s == "[]" ? [] : ((try? JSONDecoder().decode([Variant].self, from: Data(s.utf8))) ?? [])
    }
}
