import Foundation

/// How long something has been still: the basic measure behind every lifecycle hint.
/// A cell's age is the time since its `changedAt`; a flag's is the time since the most
/// recent change in any environment, so one tweak anywhere makes the whole flag "young".
public enum StabilityAge {
    /// Time since the cell last changed; never negative (a `--now` before the change reads 0).
    public static func of(_ cell: FlagState, now: Date) -> TimeInterval {
        max(0, now.timeIntervalSince(cell.changedAt))
    }

    /// Per-environment ages of one flag's cells.
    public static func perEnvironment(_ cells: [FlagState], now: Date) -> [EnvironmentID: TimeInterval] {
        Dictionary(cells.map { ($0.env, of($0, now: now)) }, uniquingKeysWith: { a, b in min(a, b) })
    }

    /// The flag's most recent change anywhere, or nil when it has no cells.
    public static func lastChange(_ cells: [FlagState], now: Date) -> LastChange? {
        guard let newest = cells.max(by: { $0.changedAt < $1.changedAt }) else { return nil }
        return LastChange(at: newest.changedAt, by: newest.changedBy, env: newest.env, age: of(newest, now: now))
    }
}

/// A flag's latest change: when, who and where, and how long ago relative to `now`.
public struct LastChange: Hashable, Sendable {
    public var at: Date
    public var by: String
    public var env: EnvironmentID
    public var age: TimeInterval

    public init(at: Date, by: String, env: EnvironmentID, age: TimeInterval) {
        self.at = at
        self.by = by
        self.env = env
        self.age = age
    }

    /// "2026-09-19 by alice": the phrase every hint sentence ends with.
    public var phrase: String { "\(UTC.formatDay(at)) by \(by)" }
}

/// Whole days, rounded down: "63 days" means at least 63 full days. Thresholds compare
/// exact seconds; this is only for sentences.
public enum Days {
    public static func count(_ seconds: TimeInterval) -> Int { Int((max(0, seconds) / 86_400).rounded(.down)) }

    public static func phrase(_ seconds: TimeInterval) -> String {
        let n = count(seconds)
        return n == 1 ? "1 day" : "\(n) days"
    }
}
