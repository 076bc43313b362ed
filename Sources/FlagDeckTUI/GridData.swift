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
    /// A short advisory word (the top retirement hint kind, such as `stuck`).
    public var hint: String?

    public init(flag: Flag, cells: [FlagState?], hint: String? = nil) {
        self.flag = flag
        self.cells = cells
        self.lastChanged = cells.compactMap { $0?.changedAt }.max()
        self.hint = hint
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

    /// An in-memory grid (tests): everything given is everything there is.
    public init(location: String, environments: [Environment], flags: [Flag], states: [FlagState],
                policy: AccessPolicy = AccessPolicy()) {
        self.init(location: location, environments: environments, flags: flags, policy: policy,
                  lifecycle: LifecycleContext(), now: Date(), complete: true, flagCount: flags.count, seq: 0) { place in
            for s in states { place(s) }
        }
    }

    /// `states` streams every cell into `place`, so a 500,000-cell grid never needs a
    /// second array of all its states.
    init(location: String, environments: [Environment], flags: [Flag], policy: AccessPolicy, lifecycle: LifecycleContext,
         now: Date, complete: Bool, flagCount: Int, seq: Int64, states: ((FlagState) -> Void) throws -> Void) rethrows {
        self.location = location
        self.policy = policy
        self.lifecycle = lifecycle
        self.complete = complete
        self.flagCount = flagCount
        self.seq = seq
        self.environments = GridData.columnOrder(environments)
        let envIndex = Dictionary(uniqueKeysWithValues: self.environments.enumerated().map { ($1.id, $0) })
        let width = envIndex.count
        var byFlag: [String: [FlagState?]] = [:]
        byFlag.reserveCapacity(flags.count)
        // Cells arrive clustered by flag: fill one row at a time and hash its key once.
        var runKey: String?
        var run: [FlagState?] = []
        func flush() {
            guard let key = runKey else { return }
            if var existing = byFlag[key] {
                for (i, c) in run.enumerated() where c != nil { existing[i] = c }
                byFlag[key] = existing
            } else {
                byFlag[key] = run
            }
        }
        try states { s in
            guard let i = envIndex[s.env] else { return }
            if s.flagKey != runKey {
                flush()
                runKey = s.flagKey
                run = Array(repeating: nil, count: width)
            }
            run[i] = s
        }
        flush()
        let sorted = flags.sorted { Self.keyOrder($0.key, $1.key) }
        allFlags = sorted
        rows = sorted.map { f in
            let cells = byFlag[f.key] ?? Array(repeating: nil, count: width)
            return GridRow(flag: f, cells: cells, hint: lifecycle.gridHint(f, cells, now: now))
        }
        index = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.flag.key, $0) })
    }

    /// Byte order, the order the store pages flags in.
    static func keyOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// The whole grid: every cell, every flag's hint as of `now`.
    public static func load(from store: any FlagStore, now: Date) throws -> GridData {
        try store.read { r in
            let flags = try r.flags()
            // forEachState scans cells without joins; `states()` sorts 500,000 rows first.
            return try GridData(location: store.location, environments: try r.environments(), flags: flags,
                                policy: AccessPolicy.decode(try r.setting(AccessPolicy.settingKey)),
                                lifecycle: try LifecycleContext.load(from: r), now: now, complete: true,
                                flagCount: flags.count, seq: try r.head()?.seq ?? 0) { place in
                try r.forEachState { place($0) }
            }
        }
    }

    /// Flags a first frame loads: more than a tall terminal shows, a fraction of a big
    /// inventory, so the first frame costs the same at 100 flags or 10,000.
    public static let firstPageFlags = 100

    /// The first `limit` flags by key with their cells and hints, the counts, the
    /// columns and the policy: what the first frame shows, and nothing it does not.
    public static func firstPage(from store: any FlagStore, now: Date, limit: Int = firstPageFlags) throws -> GridData {
        try store.read { r in
            let count = try r.flagCount()
            let flags = try r.flags(after: nil, limit: limit)
            let keys = flags.map(\.key)
            let states = try r.states(flags: keys)
            return GridData(location: store.location, environments: try r.environments(), flags: flags,
                            policy: AccessPolicy.decode(try r.setting(AccessPolicy.settingKey)),
                            lifecycle: try LifecycleContext.load(flags: keys, from: r), now: now,
                            complete: flags.count >= count, flagCount: count, seq: try r.head()?.seq ?? 0) { place in
                for s in states { place(s) }
            }
        }
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
