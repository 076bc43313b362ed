import Foundation

/// What the hints need besides the flags and cells a screen already holds: the
/// thresholds and each flag's audit activity. Cheap to load (the settings table and two
/// index-backed aggregate queries), so the grid can refresh its hint column with it
/// whenever the change token moves.
public struct LifecycleContext: Sendable {
    public var settings: LifecycleSettings
    public var activity: [String: FlagActivity]

    public init(settings: LifecycleSettings = .defaults, activity: [String: FlagActivity] = [:]) {
        self.settings = settings
        self.activity = activity
    }

    public static func load(from r: any StoreReading) throws -> LifecycleContext {
        LifecycleContext(settings: try LifecycleSettings.load(from: r), activity: try FlagActivity.load(from: r))
    }

    public func activity(of flag: String) -> FlagActivity { activity[flag] ?? .none }

    /// All hints of one flag, with its mark and whether the mark silences it.
    public func hints(for flag: Flag, cells: [FlagState], now: Date) -> FlagHints {
        let a = activity(of: flag.key)
        let hints = RetirementHints.evaluate(flag: flag, cells: cells, activity: a, settings: settings, now: now)
        return FlagHints(flag: flag, hints: hints, mark: a.mark, silenced: a.mark?.silences(at: now) ?? false,
                         lastChange: StabilityAge.lastChange(cells, now: now))
    }

    /// The grid's hint column: the most pressing hint, nil when none or silenced.
    public func topHint(for flag: Flag, cells: [FlagState], now: Date) -> Hint? {
        RetirementHints.topHint(flag: flag, cells: cells, activity: activity(of: flag.key), settings: settings, now: now)
    }
}

/// One flag's hints as the review sees them.
public struct FlagHints: Hashable, Sendable {
    public var flag: Flag
    /// Most pressing first.
    public var hints: [Hint]
    public var mark: ReviewMark?
    /// A current keep or snooze: the hints stay visible but the flag is not a candidate.
    public var silenced: Bool
    public var lastChange: LastChange?

    public init(flag: Flag, hints: [Hint], mark: ReviewMark?, silenced: Bool, lastChange: LastChange?) {
        self.flag = flag
        self.hints = hints
        self.mark = mark
        self.silenced = silenced
        self.lastChange = lastChange
    }

    /// Hints that nag: none while silenced.
    public var active: [Hint] { silenced ? [] : hints }
    public var top: Hint? { active.first }
    public var isCandidate: Bool { !active.isEmpty }
}

/// The whole inventory plus context, read in one transaction: the input of the review
/// and of `hints_all_ms`.
public struct LifecycleInput: Sendable {
    public var flags: [Flag]
    public var environments: [Environment]
    public var cellsByFlag: [String: [FlagState]]
    public var context: LifecycleContext

    public init(flags: [Flag], environments: [Environment], cellsByFlag: [String: [FlagState]], context: LifecycleContext) {
        self.flags = flags
        self.environments = environments
        self.cellsByFlag = cellsByFlag
        self.context = context
    }

    /// One pass over the cells and the two aggregate queries; never the audit log itself.
    public static func load(from r: any StoreReading) throws -> LifecycleInput {
        let flags = try r.flags()
        let envs = try r.environments()
        var byFlag: [String: [FlagState]] = [:]
        byFlag.reserveCapacity(flags.count)
        // Cells usually arrive clustered by flag: collect runs, hash each key once per run.
        var run: [FlagState] = []
        func flush() {
            guard let key = run.first?.flagKey else { return }
            byFlag[key, default: []].append(contentsOf: run)
            run.removeAll(keepingCapacity: true)
        }
        try r.forEachState { s in
            if let first = run.first, first.flagKey != s.flagKey { flush() }
            run.append(s)
        }
        flush()
        // Grid order within each flag, so sentences list environments as the grid does;
        // storage order usually is grid order already, so check before sorting.
        let position = Dictionary(uniqueKeysWithValues: envs.enumerated().map { ($1.id, $0) })
        for i in byFlag.values.indices {
            let ranks = byFlag.values[i].map { position[$0.env] ?? .max }
            if zip(ranks, ranks.dropFirst()).contains(where: { $0 > $1 }) {
                byFlag.values[i].sort { (position[$0.env] ?? .max) < (position[$1.env] ?? .max) }
            }
        }
        return LifecycleInput(flags: flags, environments: envs, cellsByFlag: byFlag, context: try LifecycleContext.load(from: r))
    }

    /// Hints for every flag, in key order.
    public func allHints(now: Date) -> [FlagHints] {
        flags.map { context.hints(for: $0, cells: cellsByFlag[$0.key] ?? [], now: now) }
    }
}
