import FlagDeckCore
import Foundation

/// Reads and writes inside one PostgreSQL transaction, the same queries with the same
/// ordering as `SQLiteAccess`. Text ordering uses `COLLATE "C"` so lists sort by bytes
/// exactly as SQLite's BINARY collation does, whatever locale the server was made with.
///
/// Writes are queued on the transaction (see `PGTransaction`); ids of flags and
/// environments read here are remembered so a cell upsert needs no lookups. On an audited
/// write, reads the connection's cache can answer (`session`) cost no round trip: each
/// becomes an expectation the server checks before the writes (see `PGExpectation`).
final class PostgresAccess {
    let tx: PGTransaction
    private(set) var appendedEvents: [AuditEvent] = []
    /// The chain head as of the append lock (writes) or the snapshot (reads).
    var cachedHead: AuditHead??
    var knownSettings: [String: String?] = [:]
    /// The source bindings as of this transaction (read, or known to be none).
    var knownBindings: [SourceBinding]?
    /// The connection's cache, set only on audited write transactions allowed to use it.
    var session: PGSessionCache?
    /// The same cache on a read transaction: never answers a read, only takes what the
    /// snapshot showed (the dashboard's visible cells, the head, the policy) as hints, so
    /// a kill of a cell on screen is one round trip too.
    var hints: PGSessionCache?
    /// Cells of whole flags this read saw, for `hints`.
    private var seenFlags: [String: [PGSessionCache.Cell]] = [:]
    /// What this transaction wrote that the cache describes, applied to it after the commit.
    private var savedCells: [(state: FlagState, flagID: Int64, envID: Int64)] = []
    private var cellsOfFlagsDropped: Set<String> = []
    private var structureChanged = false
    private var bindingsChanged = false
    private var envIDs: [EnvironmentID: Int64] = [:]
    private var flagIDs: [String: Int64] = [:]

    /// Set on a write transaction: the first statement also reads the chain head and the
    /// access policy, which every mutation needs, so they cost no round trip of their own.
    var prefetchForWrite = false

    init(tx: PGTransaction) { self.tx = tx }

    private func rows(_ sql: String, _ params: [String?] = []) throws(PGError) -> PGResult {
        guard prefetchForWrite else { return try tx.one(sql, params) }
        prefetchForWrite = false
        let r = try tx.run([PGStatement(Self.headSQL), PGStatement("SELECT value FROM setting WHERE key = $1", [AccessPolicy.settingKey]),
                            PGStatement(Self.bindingsSQL), PGStatement(sql, params)])
        if cachedHead == nil { cachedHead = .some(Self.head(r[0])) }
        if knownSettings[AccessPolicy.settingKey] == nil {
            knownSettings[AccessPolicy.settingKey] = .some(r[1].rowCount > 0 ? r[1].string(0, 0) : nil)
        }
        if knownBindings == nil { knownBindings = Self.bindings(r[2]) }
        return r[3]
    }

    /// The cache, when a read may still be answered from it: nothing sent yet (so its
    /// check can precede every write) and, with `beforeWrites`, nothing queued that could
    /// change the answer.
    private func cache(beforeWrites: Bool) -> PGSessionCache? {
        guard let session, tx.mayExpect, !(beforeWrites && tx.hasQueuedWrites) else { return nil }
        return session
    }

    /// After a read: what the snapshot showed becomes the connection's hints.
    func publishHints() {
        guard let hints else { return }
        if case .some(.some(let h)) = cachedHead { hints.head = h }
        for (k, v) in knownSettings { hints.settings[k] = .some(v) }
        if let knownBindings { hints.noBindings = knownBindings.isEmpty }
        for (flag, cells) in seenFlags { hints.setCells(cells, flag: flag) }
    }

    /// After the commit: what this transaction read under the lock or wrote is what the
    /// server now holds, so the cache takes it (still only as a hint for the next write).
    func publishCommitted() {
        guard let session else { return }
        if case .some(.some(let h)) = cachedHead { session.head = h }
        for (k, v) in knownSettings { session.settings[k] = .some(v) }
        if bindingsChanged {
            session.noBindings = false
        } else if let knownBindings {
            session.noBindings = knownBindings.isEmpty
        }
        if structureChanged { session.dropAllCells() }
        for c in savedCells { session.committed(c.state, flagID: c.flagID, envID: c.envID) }
        for f in cellsOfFlagsDropped { session.dropCells(flag: f) }
    }

    // MARK: Reading

    func environments() throws(PGError) -> [Environment] {
        let r = try rows("SELECT id, account, name, display_order, protected, version FROM environment ORDER BY display_order, account COLLATE \"C\", name COLLATE \"C\"")
        return envs(r)
    }

    func environment(_ id: EnvironmentID) throws(PGError) -> Environment? {
        envs(try rows("SELECT id, account, name, display_order, protected, version FROM environment WHERE account = $1 AND name = $2",
                      [id.account, id.name])).first
    }

    func environments(named name: String) throws(PGError) -> [Environment] {
        envs(try rows("SELECT id, account, name, display_order, protected, version FROM environment WHERE name = $1 ORDER BY account COLLATE \"C\"",
                      [name]))
    }

    private func envs(_ r: PGResult) -> [Environment] {
        let (cid, ca, cn, co, cp, cv) = (r.column("id"), r.column("account"), r.column("name"), r.column("display_order"),
                                         r.column("protected"), r.column("version"))
        return (0..<r.rowCount).map { i in
            let e = Environment(id: EnvironmentID(account: r.string(i, ca), name: r.string(i, cn)), displayOrder: r.int(i, co),
                                isProtected: r.bool(i, cp), version: r.int64(i, cv))
            envIDs[e.id] = r.int64(i, cid)
            return e
        }
    }

    func flags() throws(PGError) -> [Flag] {
        Self.flags(try rows("SELECT \(Self.flagColumns) FROM flag ORDER BY key COLLATE \"C\""))
    }

    func flag(key: String) throws(PGError) -> Flag? {
        Self.flags(try rows("SELECT \(Self.flagColumns) FROM flag WHERE key = $1", [key])).first
    }

    func states() throws(PGError) -> [FlagState] {
        try cellRows("TRUE ORDER BY f.key COLLATE \"C\", e.display_order, e.account COLLATE \"C\", e.name COLLATE \"C\"", []).map(\.1)
    }

    func states(flag: String) throws(PGError) -> [FlagState] {
        try cellRows("f.key = $1 ORDER BY e.display_order, e.account COLLATE \"C\", e.name COLLATE \"C\"", [flag]).map(\.1)
    }

    func state(flag: String, env: EnvironmentID) throws(PGError) -> FlagState? {
        try cellRows("f.key = $1 AND e.name = $2 AND e.account = $3", [flag, env.name, env.account]).first?.1
    }

    func cells(flag: String, envMatching envText: String) throws -> [(Environment, FlagState)] {
        if session != nil { return try cachedCells(flag: flag, envMatching: envText) }
        guard envText.utf8.contains(UInt8(ascii: "/")) else {
            return try cellRows("f.key = $1 AND e.name = $2 ORDER BY e.account COLLATE \"C\"", [flag, envText])
        }
        let id = try EnvironmentID(parsing: envText)
        return try cellRows("f.key = $1 AND e.name = $2 AND e.account = $3", [flag, id.name, id.account])
    }

    /// The hot path of a kill on a write transaction: the cell from the cache with an
    /// expectation when it names exactly one cached cell; otherwise every cell of the
    /// flag from the server (the same snapshot answers `envText`), kept for the next one.
    private func cachedCells(flag: String, envMatching envText: String) throws -> [(Environment, FlagState)] {
        if let known = cache(beforeWrites: true), let list = known.cells[flag] {
            let m = try PGSessionCache.matching(list, envText: envText)
            if m.count == 1, let c = m.first {
                tx.expect(.cell(flag: flag, envText: envText, c))
                flagIDs[flag] = c.flagID
                envIDs[c.env.id] = c.envID
                return [(c.env, c.state)]
            }
        }
        let all = cacheCells(try rows(Self.cellSelect + " WHERE f.key = $1", [flag]))
        session?.setCells(all, flag: flag)
        return try PGSessionCache.matching(all, envText: envText).map { ($0.env, $0.state) }
    }

    /// Whole flags' cells (every environment of each), remembered for the cache.
    func cellsOfFlags(_ keys: [String]) throws(PGError) -> [FlagState] {
        let all = cacheCells(try rows(Self.cellSelect + " WHERE f.key = ANY($1::text[]) ORDER BY f.key, e.display_order",
                                      [Self.textArray(keys)]))
        if hints != nil { for (flag, cells) in Dictionary(grouping: all, by: { $0.state.flagKey }) { seenFlags[flag] = cells } }
        return all.map(\.state)
    }

    /// Cells of a `cellSelect` result with their ids and stored `changed_at`; the ids are
    /// remembered for `save`.
    private func cacheCells(_ r: PGResult) -> [PGSessionCache.Cell] {
        var all: [PGSessionCache.Cell] = []
        for i in 0..<r.rowCount {
            let id = EnvironmentID(account: r.string(i, 1), name: r.string(i, 2))
            let s = FlagState(flagKey: r.string(i, 0), env: id, enabled: r.bool(i, 3), killed: r.bool(i, 4),
                              rolloutBasisPoints: r.int(i, 5), rules: r.string(i, 6), defaultValue: r.string(i, 7),
                              version: r.int64(i, 8), changedAt: UTC.parseStored(r.string(i, 9)) ?? .distantPast,
                              changedBy: r.string(i, 10))
            let c = PGSessionCache.Cell(env: Environment(id: id, displayOrder: r.int(i, 13), isProtected: r.bool(i, 14), version: r.int64(i, 15)),
                                        state: s, flagID: r.int64(i, 11), envID: r.int64(i, 12), changedAtText: r.string(i, 9))
            flagIDs[s.flagKey] = c.flagID
            envIDs[id] = c.envID
            all.append(c)
        }
        return all
    }

    /// Cells with their environments; their row ids are remembered for `save`.
    private func cellRows(_ condition: String, _ params: [String?]) throws(PGError) -> [(Environment, FlagState)] {
        cacheCells(try rows(Self.cellSelect + " WHERE " + condition, params)).map { ($0.env, $0.state) }
    }

    func events(_ q: AuditQuery) throws(PGError) -> [AuditEvent] {
        var clauses: [String] = []
        var params: [String?] = []
        func add(_ clause: String, _ value: String) {
            params.append(value)
            clauses.append(clause.replacingOccurrences(of: "?", with: "$\(params.count)"))
        }
        if let f = q.flag { add("flag = ?", f) }
        if let e = q.env { add("env = ?", e) }
        if let s = q.since { add("at COLLATE \"C\" >= ?", UTC.format(s)) }
        if let o = q.operator { add("operator = ?", o) }
        if let a = q.action { add("action = ?", a) }
        if let c = q.afterCursor { add(q.ascending ? "seq > ?" : "seq < ?", String(c)) }
        var sql = "SELECT \(Self.eventColumns) FROM audit_event"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += q.ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC"
        if let l = q.limit { sql += " LIMIT \(max(0, l))" }
        return Self.events(try rows(sql, params))
    }

    /// Keyset pages of `page` events in seq order, inside the caller's snapshot, so a
    /// million events stream in bounded memory.
    func forEachEvent(page: Int = 5_000, _ body: (AuditEvent) throws -> Bool) throws {
        var after: Int64 = 0
        while true {
            let batch = Self.events(try rows("SELECT \(Self.eventColumns) FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT \(page)",
                                             [String(after)]))
            for e in batch { if try !body(e) { return } }
            guard batch.count == page, let last = batch.last else { return }
            after = last.seq
        }
    }

    func eventCount() throws(PGError) -> Int64 {
        try rows("SELECT count(*) AS n FROM audit_event").int64(0, "n")
    }

    func head() throws(PGError) -> AuditHead? {
        if let cachedHead { return cachedHead }
        // Only this transaction's own appends move the head it sees, and they set
        // `cachedHead`, so queued writes do not stop the cache from answering.
        if let known = cache(beforeWrites: false), let h = known.head {
            tx.expect(.head(h))
            cachedHead = .some(h)
            return h
        }
        let h = Self.head(try rows(Self.headSQL))
        cachedHead = .some(h)
        return h
    }

    func setting(_ key: String) throws(PGError) -> String? {
        if let known = knownSettings[key] { return known }
        if let cached = cache(beforeWrites: false), let v = cached.settings[key] {  // only `setSetting` moves it, and it sets knownSettings
            tx.expect(.setting(key, v))
            knownSettings[key] = .some(v)
            return v
        }
        let r = try rows("SELECT value FROM setting WHERE key = $1", [key])
        let v = r.rowCount > 0 ? r.string(0, 0) : nil
        knownSettings[key] = .some(v)
        return v
    }

    func settings() throws(PGError) -> [String: String] {
        let r = try rows("SELECT key, value FROM setting")
        var out: [String: String] = [:]
        for i in 0..<r.rowCount { out[r.string(i, 0)] = r.string(i, 1) }
        return out
    }

    func forEachState(page: Int = 20_000, _ body: (FlagState) throws -> Void) throws {
        var keys: [Int64: String] = [:]
        let f = try rows("SELECT id, key FROM flag")
        for i in 0..<f.rowCount { keys[f.int64(i, 0)] = f.string(i, 1) }
        var envs: [Int64: EnvironmentID] = [:]
        let e = try rows("SELECT id, account, name FROM environment")
        for i in 0..<e.rowCount { envs[e.int64(i, 0)] = EnvironmentID(account: e.string(i, 1), name: e.string(i, 2)) }
        var after: (Int64, Int64) = (0, 0)
        while true {
            let r = try rows("""
                SELECT flag_id, env_id, enabled, killed, rollout_bp, rules, default_value, version, changed_at, changed_by
                FROM flag_state WHERE (flag_id, env_id) > ($1::bigint, $2::bigint) ORDER BY flag_id, env_id LIMIT \(page)
                """, [String(after.0), String(after.1)])
            for i in 0..<r.rowCount {
                guard let key = keys[r.int64(i, 0)], let env = envs[r.int64(i, 1)] else { continue }
                try body(FlagState(flagKey: key, env: env, enabled: r.bool(i, 2), killed: r.bool(i, 3), rolloutBasisPoints: r.int(i, 4),
                                   rules: r.string(i, 5), defaultValue: r.string(i, 6), version: r.int64(i, 7),
                                   changedAt: UTC.parseStored(r.string(i, 8)) ?? .distantPast, changedBy: r.string(i, 9)))
            }
            guard r.rowCount == page else { return }
            after = (r.int64(r.rowCount - 1, 0), r.int64(r.rowCount - 1, 1))
        }
    }

    func latestEventPerFlag(action: String) throws(PGError) -> [String: AuditEvent] {
        let r = try rows("""
            SELECT DISTINCT ON (flag) \(Self.eventColumns) FROM audit_event
            WHERE action = $1 AND flag IS NOT NULL ORDER BY flag, seq DESC
            """, [action])
        var out: [String: AuditEvent] = [:]
        for e in Self.events(r) { if let f = e.flag { out[f] = e } }
        return out
    }

    // MARK: Writing (queued; see PGTransaction)

    func insert(_ env: Environment) {
        structureChanged = true
        tx.defer_(PGStatement("INSERT INTO environment (account, name, display_order, protected, version) VALUES ($1, $2, $3, $4, $5)",
                              [env.id.account, env.id.name, String(env.displayOrder), Self.bool(env.isProtected), String(env.version)]))
    }

    func update(_ env: Environment) {
        structureChanged = true
        tx.defer_(PGStatement("UPDATE environment SET display_order = $1, protected = $2, version = $3 WHERE account = $4 AND name = $5",
                              [String(env.displayOrder), Self.bool(env.isProtected), String(env.version), env.id.account, env.id.name]),
                  expectRows: 1, else: .unknownEnvironment(env.id.path, known: []))
    }

    func insert(_ f: Flag) {
        structureChanged = true
        tx.defer_(PGStatement("INSERT INTO flag (key, description, owner, type, tags, created_at, expires_at, depends_on, value_kind, variants, version) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
                              Self.flagParams(f)))
    }

    func update(_ f: Flag) {
        structureChanged = true
        tx.defer_(PGStatement("UPDATE flag SET key = $1, description = $2, owner = $3, type = $4, tags = $5, created_at = $6, expires_at = $7, depends_on = $8, value_kind = $9, variants = $10, version = $11 WHERE key = $12",
                              Self.flagParams(f) + [f.key]),
                  expectRows: 1, else: .unknownFlag(f.key))
    }

    func save(_ s: FlagState) {
        let values: [String?] = [Self.bool(s.enabled), Self.bool(s.killed), String(s.rolloutBasisPoints), s.rules, s.defaultValue,
                                 String(s.version), UTC.format(s.changedAt), s.changedBy]
        if let fid = flagIDs[s.flagKey], let eid = envIDs[s.env] {
            tx.defer_(PGStatement(Self.saveByID, [String(fid), String(eid)] + values))
            savedCells.append((s, fid, eid))
        } else {
            cellsOfFlagsDropped.insert(s.flagKey)
            // Ids unknown (a flag or environment inserted in this transaction): resolve them
            // in the statement; no row means the flag or environment does not exist.
            tx.defer_(PGStatement(Self.saveByKey, [s.flagKey, s.env.account, s.env.name] + values),
                      expectRows: 1, else: .unknownFlag(s.flagKey))
        }
    }

    func setSetting(_ key: String, _ value: String?) {
        if let value {
            tx.defer_(PGStatement("INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                  [key, value]))
        } else {
            tx.defer_(PGStatement("DELETE FROM setting WHERE key = $1", [key]))
        }
        knownSettings[key] = .some(value)
    }

    /// The bindings changed in this transaction: read them afresh, and forget "none".
    func bindingsWritten() {
        knownBindings = nil
        bindingsChanged = true
    }

    /// Seals the draft after the head read under the append lock and queues its insert.
    func append(_ draft: AuditDraft) throws(PGError) -> AuditEvent {
        let e = AuditChain.seal(draft, after: try head())
        tx.defer_(PGStatement("INSERT INTO audit_event (seq, at, operator, host, action, flag, env, before, after, reason, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
                              Self.eventParams(e)))
        cachedHead = .some(AuditHead(seq: e.seq, hash: e.hash))
        appendedEvents.append(e)
        return e
    }

    // MARK: SQL and row mapping

    static let headSQL = "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1"
    static let bindingsSQL = """
        SELECT id, env, uri, format, options, version, synced_at, sync_error, created_at, created_by
        FROM source_binding ORDER BY env, id
        """
    static let flagColumns = "key, description, owner, type, tags, created_at, expires_at, depends_on, value_kind, variants, version"
    static let eventColumns = "seq, at, operator, host, action, flag, env, before, after, reason, prev_hash, hash"
    static let cellSelect = """
        SELECT f.key, e.account, e.name, s.enabled, s.killed, s.rollout_bp, s.rules, s.default_value, s.version, s.changed_at, s.changed_by,
               s.flag_id, s.env_id, e.display_order, e.protected, e.version
        FROM flag_state s JOIN flag f ON f.id = s.flag_id JOIN environment e ON e.id = s.env_id
        """
    static let saveColumns = "enabled, killed, rollout_bp, rules, default_value, version, changed_at, changed_by"
    static let saveUpdate = """
        ON CONFLICT (flag_id, env_id) DO UPDATE SET enabled = excluded.enabled, killed = excluded.killed,
            rollout_bp = excluded.rollout_bp, rules = excluded.rules, default_value = excluded.default_value,
            version = excluded.version, changed_at = excluded.changed_at, changed_by = excluded.changed_by
        """
    static let saveByID = "INSERT INTO flag_state (flag_id, env_id, \(saveColumns)) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) " + saveUpdate
    static let saveByKey = """
        INSERT INTO flag_state (flag_id, env_id, \(saveColumns))
        SELECT f.id, e.id, $4::boolean, $5::boolean, $6::integer, $7, $8, $9::bigint, $10, $11
        FROM flag f, environment e WHERE f.key = $1 AND e.account = $2 AND e.name = $3
        """ + " " + saveUpdate

    static func bool(_ b: Bool) -> String { b ? "true" : "false" }

    static func head(_ r: PGResult) -> AuditHead? {
        r.rowCount > 0 ? AuditHead(seq: r.int64(0, 0), hash: r.string(0, 1)) : nil
    }

    static func flagParams(_ f: Flag) -> [String?] {
        [f.key, f.description, f.owner, f.type.rawValue, jsonArray(f.tags), UTC.format(f.createdAt), f.expiresAt.map(UTC.format),
         jsonArray(f.dependsOn), f.valueKind.rawValue, variantsJSON(f.variants), String(f.version)]
    }

    static func eventParams(_ e: AuditEvent) -> [String?] {
        [String(e.seq), e.at, e.operator, e.host, e.action, e.flag, e.env, e.before, e.after, e.reason, e.prevHash, e.hash]
    }

    static func flags(_ r: PGResult) -> [Flag] {
        (0..<r.rowCount).map { i in
            Flag(key: r.string(i, 0), description: r.string(i, 1), owner: r.text(i, 2), type: FlagType(rawValue: r.string(i, 3)) ?? .release,
                 tags: decodeArray(r.string(i, 4)), createdAt: UTC.parseStored(r.string(i, 5)) ?? .distantPast,
                 expiresAt: r.text(i, 6).flatMap(UTC.parseStored), dependsOn: decodeArray(r.string(i, 7)),
                 valueKind: ValueKind(rawValue: r.string(i, 8)) ?? .boolean, variants: decodeVariants(r.string(i, 9)),
                 version: r.int64(i, 10))
        }
    }

    static func events(_ r: PGResult) -> [AuditEvent] {
        (0..<r.rowCount).map { i in
            AuditEvent(seq: r.int64(i, 0), at: r.string(i, 1), operator: r.string(i, 2), host: r.string(i, 3), action: r.string(i, 4),
                       flag: r.text(i, 5), env: r.text(i, 6), before: r.text(i, 7), after: r.text(i, 8), reason: r.string(i, 9),
                       prevHash: r.string(i, 10), hash: r.string(i, 11))
        }
    }

    // The same encodings as SQLite's rows (SQLiteRows), so a migrated row reads back equal.
    static func jsonArray(_ a: [String]) -> String { JSONWriter.compact(.array(a.map { .string($0) })) }

    static func decodeArray(_ s: String) -> [String] {
        guard case .array(let a)? = try? JSONParser.parse(s) else { return [] }
        return a.compactMap(\.stringValue)
    }

    static func variantsJSON(_ v: [Variant]) -> String { Variant.encodeList(v) }

    static func decodeVariants(_ s: String) -> [Variant] { Variant.decodeList(s) }
}
