import FlagDeckCore
import Foundation

/// The hint inputs of a few flags, and their upkeep from the audit feed, so neither a
/// first frame nor a live refresh reads the whole audit log.
extension LifecycleContext {
    /// The settings and the activity (last kill, current review mark) of `flags` only:
    /// index lookups per flag, whatever the length of the log.
    static func load(flags: [String], from r: any StoreReading) throws -> LifecycleContext {
        var c = LifecycleContext(settings: try LifecycleSettings.load(from: r))
        for (_, e) in try r.latestEvents(flags: flags, action: AuditAction.kill) { c.record(e) }
        for (_, e) in try r.latestEvents(flags: flags, action: AuditAction.reviewMark) { c.record(e) }
        return c
    }

    /// What one new audit event changes: a kill becomes the flag's last kill, a review
    /// mark its current mark (as `FlagActivity.load` would find them afterwards).
    mutating func record(_ e: AuditEvent) {
        guard let flag = e.flag else { return }
        switch e.action {
        case AuditAction.kill:
            activity[flag, default: .none].lastKill = KillFact(at: e.date, env: e.env, by: e.operator, reason: e.reason)
        case AuditAction.reviewMark:
            activity[flag, default: .none].mark = ReviewMark(event: e)
        default: break
        }
    }

    /// The grid's hint column for one row.
    func gridHint(_ flag: Flag, _ cells: [FlagState?], now: Date) -> String? {
        topHint(for: flag, cells: cells.compactMap { $0 }, now: now)?.kind.rawValue
    }
}
