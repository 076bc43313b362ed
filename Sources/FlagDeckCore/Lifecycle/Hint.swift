/// The kinds of retirement hint, named as in the issue and in `review --json`.
public enum HintKind: String, CaseIterable, Sendable, Comparable {
    case retire
    case remove
    case overdue
    case expired
    case orphan
    case stuck
    case longKill = "long-kill"

    public var severity: HintSeverity {
        switch self {
        case .longKill, .expired: .high
        case .overdue, .stuck, .orphan: .medium
        case .retire, .remove: .low
        }
    }

    /// Tie-break among equal severities, most pressing first: a kill left in place is an
    /// open incident; an expired flag broke a promise; cleanup suggestions come last.
    public var rank: Int {
        switch self {
        case .longKill: 0
        case .expired: 1
        case .overdue: 2
        case .stuck: 3
        case .orphan: 4
        case .remove: 5
        case .retire: 6
        }
    }

    /// What to do about it (the "Advice" column, filled in where it had none).
    public var advice: String {
        switch self {
        case .retire: "Remove the flag from code and keep the new path"
        case .remove: "Delete the flag and its dead code"
        case .overdue: "Finish the rollout and retire it, or mark it keep with a reason"
        case .expired: "Retire it, or move its expiry date with a reason"
        case .orphan: "Assign an owner"
        case .stuck: "Finish the rollout everywhere or roll it back"
        case .longKill: "Fix it or remove it"
        }
    }

    /// Most pressing first: severity, then rank.
    public static func < (a: HintKind, b: HintKind) -> Bool {
        (b.severity, a.rank) < (a.severity, b.rank)
    }
}

/// How urgent a hint is; the review lists candidates by it.
public enum HintSeverity: Int, Comparable, Sendable, CaseIterable {
    case low = 1
    case medium = 2
    case high = 3

    public var name: String {
        switch self {
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        }
    }

    public static func < (a: HintSeverity, b: HintSeverity) -> Bool { a.rawValue < b.rawValue }
}

/// One hint about one flag: what, how urgent, the measured facts as a sentence, and advice.
public struct Hint: Hashable, Sendable {
    public var kind: HintKind
    public var severity: HintSeverity
    /// E.g. "at 100% in all 9 environments for 63 days; last change 2026-09-19 by alice".
    public var facts: String
    public var advice: String

    public init(kind: HintKind, facts: String, severity: HintSeverity? = nil, advice: String? = nil) {
        self.kind = kind
        self.severity = severity ?? kind.severity
        self.facts = facts
        self.advice = advice ?? kind.advice
    }
}
