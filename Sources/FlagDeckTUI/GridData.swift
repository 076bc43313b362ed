import FlagDeckCore
import Foundation

/// One flag's row: the flag, its cell in each displayed environment, and derived facts.
public struct GridRow: Sendable, Equatable {
    public var flag: Flag
    /// Aligned with `GridData.environments`; nil if the store has no cell (should not happen).
    public var cells: [FlagState?]
    /// When the flag last changed anywhere: the newest `changedAt` of its cells. Drives
    /// the stability age column and the "recent" sort.
    public var lastChanged: Date?
    /// A short advisory word (the top retirement hint kind, such as `stuck`), once judged.
    public var hint: String?
    /// Hints are judged for the rows that come into view (`GridData.judge`), not for
    /// 10,000 flags before the grid can be used: nothing else in the grid needs them.
    public var judged: Bool

    public init(flag: Flag, cells: [FlagState?], hint: String? = nil, judged: Bool = true) {
        self.flag = flag
        self.cells = cells
        self.lastChanged = cells.compactMap { $0?.changedAt }.max()
        self.hint = hint
        self.judged = judged
    }
}

/// Everything the grid shows, read from the store in one snapshot. Kept separate from
/// the view state (`GridModel`) so a reload swaps data without touching cursor or filter.
///
/// A first frame holds only the first rows (`firstPage`); the whole grid (`load`) follows
/// from a background thread. Either way `seq` is the audit head the data was read at, so
/// a live refresh reads only the events after it (`apply`).
public struct GridData: Sendable {
    public var location: String
    /// Grid column order: accounts in the order of their first environment, then
    /// environments by display order, so each account's columns sit together.
    public var environments: [Environment]
    /// Sorted by key (byte order, as the store pages them); `index` maps a key to its position.
    public var rows: [GridRow]
    public var index: [String: Int]
    /// The loaded flags in key order; every flag once `complete`.
    public var allFlags: [Flag]
    /// Who may change which environment; the dashboard hides what the operator may not do
    /// instead of letting them fill in a dialog that will be denied.
    public var policy: AccessPolicy
    /// The hint inputs besides the cells (thresholds, each flag's last kill and review
    /// mark), kept so a live refresh updates hints from new events, never rescanning the log.
    public var lifecycle: LifecycleContext
    /// False while only the first rows are loaded: sorts other than by key and filters
    /// wait for the rest.
    public var complete: Bool
    /// Every flag in the store, loaded or not (the header's count).
    public var flagCount: Int
    /// The audit head seq this data reflects.
    public var seq: Int64
    /// Where each bound environment's flags really live, with the last sync's version and
    /// error: the headings mark bound columns, the header names the cursor column's
    /// source, and the kill dialog says where a kill goes. Re-read on every live poll
    /// (a sync's bookkeeping writes no audit event).
    public var sources: [EnvironmentID: [SourceBinding]] = [:]
    /// Cells whose last change the dashboard saw come from outside flagdeck (a `sync`
    /// event), marked until their next change.
    public var external: Set<CellKey> = []
    /// Cells of flags gone from their bound document (shown `—`, history kept): the
    /// inventory still has the cell, the application no longer reads it.
    public var absent: Set<CellKey> = []
    /// How many jobs are on in each cell bound to a DynamoDB table (`JobsCellText`): read
    /// with the bindings, and again off the event loop after commits (`JobsSummaryLoader`).
    public var jobs: [CellKey: JobsCellSummary] = [:]

    /// An in-memory grid (tests): everything given is everything there is.
    public init(location: String, environments: [Environment], flags: [Flag], states: [FlagState],
                policy: AccessPolicy = AccessPolicy()) {
        var table = CellTable(environments: environments)
        for s in states { table.place(s) }
        table.finish()
        self.init(location: location, cells: table, flags: flags, policy: policy, lifecycle: LifecycleContext(),
                  complete: true, flagCount: flags.count, seq: 0)
    }

    init(location: String, cells table: CellTable, flags: [Flag], policy: AccessPolicy, lifecycle: LifecycleContext,
         complete: Bool, flagCount: Int, seq: Int64) {
        // `table` is finished by whoever filled it: finishing it here would copy its
        // 10,000 rows, since the thread that read it still holds them.
        self.location = location
        self.policy = policy
        self.lifecycle = lifecycle
        self.complete = complete
        self.flagCount = flagCount
        self.seq = seq
        environments = table.environments
        let sorted = flags.sorted { Self.keyOrder($0.key, $1.key) }
        allFlags = sorted
        let empty = Array<FlagState?>(repeating: nil, count: table.environments.count)
        rows = sorted.map { f in GridRow(flag: f, cells: table.byFlag[f.key] ?? empty, judged: false) }
        index = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.flag.key, $0) })
    }

    /// Judges row `i`'s hint as of `now` if it has not been.
    mutating func judge(_ i: Int, now: Date) {
        guard rows.indices.contains(i), !rows[i].judged else { return }
        rows[i].hint = lifecycle.gridHint(rows[i].flag, rows[i].cells, now: now)
        rows[i].judged = true
    }

    /// New thresholds: every hint is judged again when its row next shows.
    mutating func forgetHints() {
        for i in rows.indices { rows[i].judged = false }
    }

    /// Byte order, the order the store pages flags in.
    static func keyOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// The whole grid: every cell, and what the hints of every flag need — the flags,
    /// settings and each flag's last kill and review mark (one pass over the log) — each
    /// read in its own snapshot. The data takes the oldest snapshot's seq, so catching up
    /// from it re-reads whatever changed in between.
    ///
    /// On SQLite three connections of their own read at once, each on its own thread (a
    /// connection used by one thread only): the two halves of the cells, and the rest.
    /// The cells are the larger read by half, so splitting them is what shortens the
    /// load; on a machine with one core the threads simply take turns. Run through
    /// `concurrentPerform` on one shared store, the reads corrupted the heap in the
    /// tests; elsewhere they run in turn.
    public static func load(from store: any FlagStore, now: Date) throws -> GridData {
        let parts = LoadParts()
        @Sendable func part(_ n: Int, _ store: any FlagStore) {
            parts.run(n) {
                switch n {
                case 0, 2:
                    try store.read { r -> LoadParts.Part in
                        var table = CellTable(environments: try r.environments())
                        // forEachState scans cells without joins; `states()` sorts 500,000 rows first.
                        try r.forEachState(part: n / 2, of: 2) { table.place($0) }
                        table.finish()
                        return .cells(table, seq: try r.head()?.seq ?? 0)
                    }
                default:
                    try store.read { r -> LoadParts.Part in
                        let latest = try r.latestEventPerFlag(actions: [AuditAction.kill, AuditAction.reviewMark])
                        var lifecycle = LifecycleContext(settings: try LifecycleSettings.load(from: r))
                        for e in (latest[AuditAction.kill] ?? [:]).values { lifecycle.record(e) }
                        for e in (latest[AuditAction.reviewMark] ?? [:]).values { lifecycle.record(e) }
                        return .flags(try r.flags(), policy: AccessPolicy.decode(try r.setting(AccessPolicy.settingKey)),
                                      lifecycle: lifecycle, seq: try r.head()?.seq ?? 0)
                    }
                }
            }
        }
        if store is SQLiteStore, var connections = Self.connections(to: store.location, count: 2) {
            let done = DispatchSemaphore(value: 0)
            // Each connection is handed to its thread and closed there, after the thread
            // has signalled: closing one (its page cache, its mapping) is not load time.
            for (n, connection) in zip(1..., connections) {
                Thread {
                    part(n, connection)
                    done.signal()
                }.start()
            }
            connections.removeAll()
            part(0, store)
            done.wait()
            done.wait()
        } else {
            for n in 0..<3 { part(n, store) }
        }
        var data = try parts.assemble(location: store.location)
        parts.releaseElsewhere()
        try store.read { r in
            data.sources = bySource(try r.sourceBindings())
            data.absent = try absentCells(r, data.sources)
            data.jobs = try JobsSummaryLoader.summaries(r)
        }
        return data
    }

    /// `count` more connections to the database, or nil if any cannot be opened.
    static func connections(to path: String, count: Int) -> [SQLiteStore]? {
        var out: [SQLiteStore] = []
        for _ in 0..<count {
            guard let c = try? SQLiteStore(path: path) else { return nil }
            out.append(c)
        }
        return out
    }

    /// Flags a first frame loads: more than a tall terminal shows, a fraction of a big
    /// inventory, so the first frame costs the same at 100 flags or 10,000.
    public static let firstPageFlags = 100

    /// The first `limit` flags by key with their cells and hints, the counts, the
    /// columns and the policy: what the first frame shows, and nothing it does not.
    public static func firstPage(from store: any FlagStore, now: Date, limit: Int = firstPageFlags) throws -> GridData {
        var data = try store.read { r in
            let count = try r.flagCount()
            let flags = try r.flags(after: nil, limit: limit)
            let keys = flags.map(\.key)
            var table = CellTable(environments: try r.environments())
            for s in try r.states(flags: keys) { table.place(s) }
            table.finish()
            var data = GridData(location: store.location, cells: table, flags: flags,
                                policy: AccessPolicy.decode(try r.setting(AccessPolicy.settingKey)),
                                lifecycle: try LifecycleContext.load(flags: keys, from: r),
                                complete: flags.count >= count, flagCount: count, seq: try r.head()?.seq ?? 0)
            data.sources = bySource(try r.sourceBindings())
            data.absent = try absentCells(r, data.sources, only: Set(keys))
            // The jobs counts (every per-job override of every bound table) come after the
            // first frame, from a thread (`DashboardApp.startLoading`).
            return data
        }
        for i in data.rows.indices { data.judge(i, now: now) }
        return data
    }

    /// The cells whose flag the inventory saw in a bound document and that is gone from it.
    static func absentCells(_ r: any StoreReading, _ sources: [EnvironmentID: [SourceBinding]],
                            only: Set<String>? = nil) throws -> Set<CellKey> {
        var out: Set<CellKey> = []
        for (env, bindings) in sources {
            for b in bindings {
                for f in try r.sourceFlags(binding: b.id) where f.seen == nil && (only?.contains(f.flag) ?? true) {
                    out.insert(CellKey(flag: f.flag, env: env))
                }
            }
        }
        return out
    }

    public func isAbsent(flag: String, envIndex: Int) -> Bool {
        !absent.isEmpty && environments.indices.contains(envIndex)
            && absent.contains(CellKey(flag: flag, env: environments[envIndex].id))
    }

    /// Bindings by environment, as the store lists them.
    static func bySource(_ bindings: [SourceBinding]) -> [EnvironmentID: [SourceBinding]] {
        Dictionary(grouping: bindings, by: \.env)
    }

    /// The bindings of one column's environment.
    public func sources(of envIndex: Int) -> [SourceBinding] {
        environments.indices.contains(envIndex) ? sources[environments[envIndex].id] ?? [] : []
    }

    public func isExternal(flag: String, envIndex: Int) -> Bool {
        !external.isEmpty && environments.indices.contains(envIndex)
            && external.contains(CellKey(flag: flag, env: environments[envIndex].id))
    }

    static func columnOrder(_ envs: [Environment]) -> [Environment] {
        var firstOrder: [String: Int] = [:]
        for e in envs { firstOrder[e.id.account] = min(firstOrder[e.id.account] ?? Int.max, e.displayOrder) }
        return envs.sorted {
            let a = firstOrder[$0.id.account]!, b = firstOrder[$1.id.account]!
            if a != b { return a < b }
            if $0.id.account != $1.id.account { return $0.id.account < $1.id.account }
            if $0.displayOrder != $1.displayOrder { return $0.displayOrder < $1.displayOrder }
            return $0.id < $1.id
        }
    }
}

/// One cell of the grid.
public struct CellKey: Hashable, Sendable {
    public var flag: String
    public var env: EnvironmentID
    public init(flag: String, env: EnvironmentID) {
        self.flag = flag
        self.env = env
    }
}

/// Cells by flag as they stream out of the store, in the grid's column order. Cells
/// arrive clustered by flag: one row is filled at a time and its key hashed once.
struct CellTable: Sendable {
    let environments: [Environment]
    let envIndex: [EnvironmentID: Int]
    var byFlag: [String: [FlagState?]] = [:]
    private var runKey: String?
    private var run: [FlagState?] = []
    private var position = 0
    private var seen: [(env: EnvironmentID, column: Int)] = []

    init(environments: [Environment]) {
        self.environments = GridData.columnOrder(environments)
        envIndex = Dictionary(uniqueKeysWithValues: self.environments.enumerated().map { ($1.id, $0) })
    }

    mutating func place(_ s: FlagState) {
        if s.flagKey != runKey {
            flush()
            runKey = s.flagKey
            run = byFlag.removeValue(forKey: s.flagKey) ?? Array(repeating: nil, count: environments.count)
            position = 0
        }
        // Every flag's cells come in the same environment order: compare with where the
        // previous flag's n-th cell went before hashing the environment.
        let i: Int
        if position < seen.count, seen[position].env == s.env {
            i = seen[position].column
        } else {
            guard let found = envIndex[s.env] else { return }
            i = found
            if position < seen.count { seen[position] = (s.env, i) } else { seen.append((s.env, i)) }
        }
        position += 1
        run[i] = s
    }

    mutating func finish() { flush() }

    /// Takes in the rows of another table of the same columns, read from another slice
    /// of the flags (so no flag is in both).
    /// An environment added between the two snapshots changes the columns: then the
    /// other table's cells are placed again by their environment (the catch-up from the
    /// oldest snapshot's seq brings the new column).
    mutating func absorb(_ other: CellTable) {
        if other.environments.map(\.id) == environments.map(\.id) {
            byFlag.merge(other.byFlag) { mine, _ in mine }
            return
        }
        for (_, run) in other.byFlag {
            for case let s? in run { place(s) }
        }
        finish()
    }

    private mutating func flush() {
        guard let key = runKey else { return }
        byFlag[key] = run
        runKey = nil
    }
}
