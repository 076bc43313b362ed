import FlagDeckCore
import Foundation

/// A sync that kept a kill: it found jobs turned back on (an end user flipping their own
/// job) while the cell was killed, and turned them off again. A kill is a promise, so the
/// dashboard says when it had to be kept: `kill held: turned off 1 job of feature in
/// jobs/prod`. Read from the sync's audit event (its source stamp's `held` count), so a
/// `flagdeck sync` run elsewhere is reported as well as the dashboard's own.
public struct JobsHeldNotice: Sendable, Equatable {
    public var flag: String
    public var env: String
    public var jobs: Int
    public var seq: Int64

    public var text: String {
        "kill held: turned off \(jobs) job\(jobs == 1 ? "" : "s") of \(flag) in \(env) (turned back on outside flagdeck; audit seq \(seq))"
    }

    /// The notices of the sync events after `seq` (at most a page of them: more than that
    /// at once and the grid reloads anyway).
    static func found(_ r: any StoreReading, after seq: Int64) throws -> [JobsHeldNotice] {
        try r.events(AuditQuery(action: AuditAction.sync, afterCursor: seq, limit: GridData.incrementalLimit, ascending: true))
            .compactMap(notice)
    }

    /// The notice an event carries; nil for any event that did not hold a kill.
    static func notice(_ e: AuditEvent) -> JobsHeldNotice? {
        guard e.action == AuditAction.sync, let flag = e.flag, let env = e.env,
              let after = e.after, after.contains("\"held\""),
              let stamp = (try? JSONParser.parse(after))?["source"],
              let count = stamp["held"]?.stringValue.flatMap(Int.init), count > 0 else { return nil }
        return JobsHeldNotice(flag: flag, env: env, jobs: count, seq: e.seq)
    }

    /// One status line for what the last read found; the newest first when there are several.
    static func text(_ notices: [JobsHeldNotice]) -> String {
        guard let last = notices.last else { return "" }
        return notices.count == 1 ? last.text : last.text + " (and \(notices.count - 1) more holds: see history)"
    }
}
