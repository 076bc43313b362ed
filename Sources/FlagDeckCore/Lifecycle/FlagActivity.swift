import Foundation

/// The audit-log facts the hints need beyond the current cells, summarised per flag so
/// the analytics never load the log itself: the most recent kill (for "no kill in the
/// window", which an unkill followed by later edits would otherwise hide) and the
/// reviewer's current mark. Both come from `StoreReading.latestEventPerFlag`, one
/// index-backed aggregate query each.
public struct FlagActivity: Hashable, Sendable {
    public var lastKill: KillFact?
    public var mark: ReviewMark?

    public init(lastKill: KillFact? = nil, mark: ReviewMark? = nil) {
        self.lastKill = lastKill
        self.mark = mark
    }

    public static let none = FlagActivity()

    /// Activity of every flag that has any, keyed by flag key.
    public static func load(from r: any StoreReading) throws -> [String: FlagActivity] {
        var out: [String: FlagActivity] = [:]
        for (flag, e) in try r.latestEventPerFlag(action: AuditAction.kill) {
            out[flag, default: .none].lastKill = KillFact(at: e.date, env: e.env, by: e.operator, reason: e.reason)
        }
        for (flag, mark) in try ReviewMark.current(in: r) {
            out[flag, default: .none].mark = mark
        }
        return out
    }
}

/// One kill as the audit log recorded it.
public struct KillFact: Hashable, Sendable {
    public var at: Date
    public var env: String?
    public var by: String
    public var reason: String

    public init(at: Date, env: String?, by: String, reason: String) {
        self.at = at
        self.env = env
        self.by = by
        self.reason = reason
    }
}
