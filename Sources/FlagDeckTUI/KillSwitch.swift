import FlagDeckCore
import Foundation

/// The dashboard's one call into the kill switch: what a confirmed `KillDialog` asks
/// for, as a single request carrying the versions the grid displayed, so a change made
/// meanwhile by someone else is a conflict instead of an overwrite.
///
/// A kill from keypress to audit row: `GridScreen` (`K`, `Ctrl-K`, `U`, `:kill-all`)
/// → `KillDialog` → `KillSwitch.apply` → `Operations` (FlagDeckCore) → one audit event
/// per environment.
enum KillSwitch {
    static func apply(_ d: KillDialog, reason: String, operations: Operations) throws -> MutationResult {
        var seen: [EnvironmentID: Int64] = [:]
        for t in d.targets { seen[t.env.id] = t.state.version }
        let flag = d.flag.key
        // Until core's `Operations.apply(KillRequest)` lands, the four calls it replaces.
        switch d.kind {
        case .kill:
            return try operations.kill(flag: flag, env: d.targets[0].env.id.path, reason: reason,
                                       expectedVersion: d.targets[0].state.version)
        case .unkill:
            return try operations.unkill(flag: flag, env: d.targets[0].env.id.path, reason: reason,
                                         expectedVersion: d.targets[0].state.version)
        case .killAll:
            return try operations.killEverywhere(flag: flag, reason: reason, expectedVersions: seen)
        case .unkillAll:
            return try operations.unkillEverywhere(flag: flag, reason: reason, expectedVersions: seen)
        }
    }

    /// The status line after the write: what changed, where, and the audit seq to quote.
    static func message(_ d: KillDialog, _ result: MutationResult) -> StatusMessage {
        let verb = (d.kind == .kill || d.kind == .killAll) ? "killed" : "unkilled"
        let envs = result.states.map(\.env.path).joined(separator: ", ")
        let seq = result.lastSeq.map { " (audit seq \($0))" } ?? ""
        let skipped = result.skipped.isEmpty ? "" : "; skipped \(result.skipped.joined(separator: ", "))"
        return StatusMessage("\(verb) \(d.flag.key) in \(envs)\(seq)\(skipped)", kind: .success)
    }
}
