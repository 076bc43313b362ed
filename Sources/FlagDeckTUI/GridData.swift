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
    /// A short advisory word (a retirement hint kind such as `stuck`), from
    /// `GridData.HintProvider`.
    public var hint: String?

    public init(flag: Flag, cells: [FlagState?], hint: String? = nil) {
        self.flag = flag
        self.cells = cells
        self.lastChanged = cells.compactMap { $0?.changedAt }.max()
        self.hint = hint
    }
}

/// Everything the grid shows, read from the store in one transaction. Kept separate from
/// the view state (`GridModel`) so a reload swaps data without touching cursor or filter.
public struct GridData: Sendable, Equatable {
    /// Computes a row's hint; by default the lifecycle analytics' top retirement hint.
    public typealias HintProvider = @Sendable (Flag, [FlagState?]) -> String?

    public var location: String
    /// Grid column order: accounts in the order of their first environment, then
    /// environments by display order, so each account's columns sit together.
    public var environments: [Environment]
    /// Sorted by key; `index` maps a key to its position.
    public var rows: [GridRow]
    public var index: [String: Int]
    public var allFlags: [Flag]
    /// Who may change which environment; the dashboard hides what the operator may not do
    /// instead of letting them fill in a dialog that will be denied.
    public var policy: AccessPolicy

    public init(location: String, environments: [Environment], flags: [Flag], states: [FlagState],
                policy: AccessPolicy = AccessPolicy(), hint: HintProvider? = nil) {
        self.init(location: location, environments: environments, flags: flags, policy: policy, hint: hint) { place in
            for s in states { place(s) }
        }
    }

    /// `states` streams every cell into `place`, so a 500,000-cell grid never needs a
    /// second array of all its states.
    init(location: String, environments: [Environment], flags: [Flag], policy: AccessPolicy, hint: HintProvider?,
         states: ((FlagState) -> Void) throws -> Void) rethrows {
        self.location = location
        self.policy = policy
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
        let sorted = flags.sorted { $0.key < $1.key }
        allFlags = sorted
        rows = sorted.map { f in
            let cells = byFlag[f.key] ?? Array(repeating: nil, count: width)
            return GridRow(flag: f, cells: cells, hint: hint?(f, cells))
        }
        index = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.flag.key, $0) })
    }

    /// `hint` overrides the hint column; by default it shows the lifecycle analytics' most
    /// pressing retirement hint for the flag as of `now`.
    public static func load(from store: any FlagStore, now: Date, hint: HintProvider? = nil) throws -> GridData {
        try store.read { r in
            // forEachState scans cells without joins; `states()` sorts 500,000 rows first.
            try GridData(location: store.location, environments: try r.environments(), flags: try r.flags(),
                         policy: AccessPolicy.decode(try r.settings()[AccessPolicy.settingKey]),
                         hint: try hint ?? lifecycleHints(r, now: now)) { place in
                try r.forEachState { place($0) }
            }
        }
    }

    /// The lifecycle context is re-read with the data so hints follow new audit activity.
    static func lifecycleHints(_ r: any StoreReading, now: Date) throws -> HintProvider {
        let lifecycle = try LifecycleContext.load(from: r)
        return { flag, cells in lifecycle.topHint(for: flag, cells: cells.compactMap { $0 }, now: now)?.kind.rawValue }
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

    /// Re-reads only the named flags (from the audit change feed). Returns false when the
    /// change is structural (a new flag or environment), so the caller reloads everything.
    public mutating func refresh(flags keys: Set<String>, from store: any FlagStore, now: Date,
                                 hint: HintProvider? = nil) throws -> Bool {
        try store.read { r in
            let hint = try hint ?? GridData.lifecycleHints(r, now: now)
            for key in keys {
                guard let i = index[key], let flag = try r.flag(key: key) else { return false }
                var cells = Array<FlagState?>(repeating: nil, count: environments.count)
                let envIndex = Dictionary(uniqueKeysWithValues: environments.enumerated().map { ($1.id, $0) })
                for s in try r.states(flag: key) {
                    guard let j = envIndex[s.env] else { return false }
                    cells[j] = s
                }
                rows[i] = GridRow(flag: flag, cells: cells, hint: hint(flag, cells))
                allFlags[i] = flag
            }
            return true
        }
    }
}

