import Foundation

/// The monthly review: which flags need a decision, why, and what was decided lately.
///
/// "Since the last review" is a time window, not a stored bookmark: the report lists the
/// marks made from `since` (default: `now` minus the review period setting, 30 days) up
/// to `now`. Running a report therefore never writes to the database (the review is a
/// read you can repeat, pipe and diff), and a team reviewing monthly gets exactly the
/// decisions of the past month; `--since` covers irregular schedules.
public struct ReviewReport: Sendable {
    public var now: Date
    public var since: Date
    public var settings: LifecycleSettings
    public var flagCount: Int
    public var environmentCount: Int
    /// Flags with at least one nagging hint, most pressing first.
    public var candidates: [FlagHints]
    /// Flags that have hints but a current keep or snooze silences them.
    public var silenced: [FlagHints]
    /// Marks recorded in `since...now`, newest first.
    public var marks: [ReviewMark]

    /// Candidate flags per hint kind, in the order (a flag with two kinds counts
    /// under both); every kind is present, zero included, so the shape never changes.
    public var counts: [(kind: HintKind, flags: Int)] {
        HintKind.allCases.map { k in (k, candidates.filter { $0.active.contains { $0.kind == k } }.count) }
    }

    /// Candidates having a hint of `kind`, with that hint, in candidate order.
    public func candidates(of kind: HintKind) -> [(flag: FlagHints, hint: Hint)] {
        candidates.compactMap { c in c.active.first { $0.kind == kind }.map { (c, $0) } }
    }

    /// Kinds in the order the report sections appear: most pressing first.
    public static var sectionOrder: [HintKind] { HintKind.allCases.sorted() }

    public static func build(_ input: LifecycleInput, marks: [ReviewMark], now: Date, since: Date) -> ReviewReport {
        let all = input.allHints(now: now)
        let candidates = all.filter(\.isCandidate).sorted(by: mostPressingFirst)
        let silenced = all.filter { $0.silenced && !$0.hints.isEmpty }.sorted { $0.flag.key < $1.flag.key }
        return ReviewReport(now: now, since: since, settings: input.context.settings, flagCount: input.flags.count,
                            environmentCount: input.environments.count, candidates: candidates, silenced: silenced,
                            marks: marks.filter { $0.at <= now })
    }

    /// Reads everything in one transaction and builds the report.
    public static func load(from store: any FlagStore, now: Date, since: Date? = nil) throws -> ReviewReport {
        try store.read { r in
            let input = try LifecycleInput.load(from: r)
            let from = since ?? now.addingTimeInterval(-LifecycleSettings.seconds(days: input.context.settings.reviewPeriodDays))
            return build(input, marks: try ReviewMark.recorded(since: from, in: r), now: now, since: from)
        }
    }

    /// Severity of the top hint, then its kind, then the number of hints, then the key.
    static func mostPressingFirst(_ a: FlagHints, _ b: FlagHints) -> Bool {
        guard let ta = a.top, let tb = b.top else { return a.top != nil }
        if ta.kind != tb.kind { return ta.kind < tb.kind }
        if a.active.count != b.active.count { return a.active.count > b.active.count }
        return a.flag.key < b.flag.key
    }
}
