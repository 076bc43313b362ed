import FlagDeckCore
import Foundation

/// The dashboard's one call into the kill switch: what a confirmed `KillDialog` asks
/// for, as a single request carrying the versions the grid displayed, so a change made
/// meanwhile by someone else is a conflict instead of an overwrite.
///
/// A kill from keypress to audit row: `GridScreen` (`K`, `Ctrl-K`, `U`, `:kill-all`)
/// → `KillDialog` → `KillSwitch.apply` → `Operations.apply(KillRequest)` (FlagDeckCore,
/// the same entry point as the CLI's `kill`) → one audit event per environment.
enum KillSwitch {
    static func apply(_ d: KillDialog, reason: String, operations: Operations) throws -> MutationResult {
        var seen: [EnvironmentID: Int64] = [:]
        for t in d.targets { seen[t.env.id] = t.state.version }
        return try operations.apply(request(d, reason: reason, seen: seen))
    }

    /// The dialog's targets are the cells it showed; their versions go with the request.
    static func request(_ d: KillDialog, reason: String, seen: [EnvironmentID: Int64]) -> KillRequest {
        KillRequest(d.kind.direction, flag: d.flag.key,
                    scope: d.kind.isAll ? .all : .environment(d.targets[0].env.id.path), reason: reason, seenVersions: seen)
    }

    /// The status line after the write: what changed, where, and the audit seq to quote.
    static func message(_ d: KillDialog, _ result: MutationResult) -> StatusMessage {
        // Already as asked (someone got there first): success with nothing written.
        guard result.changed else { return StatusMessage(result.unchangedReason ?? "\(d.flag.key): nothing written") }
        let verb = d.kind.direction == .kill ? "killed" : "unkilled"
        let envs = result.states.map(\.env.path).joined(separator: ", ")
        let seq = result.lastSeq.map { " (audit seq \($0))" } ?? ""
        let skipped = result.skipped.isEmpty ? "" : "; skipped \(result.skipped.joined(separator: ", "))"
        return StatusMessage("\(verb) \(d.flag.key) in \(envs)\(seq)\(skipped)", kind: .success)
    }
}
