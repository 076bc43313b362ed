import FlagDeckCore
import Foundation

/// A confirmed kill or unkill of a cell bound to a DynamoDB table, running on a thread of
/// its own: it writes every job (thousands of conditional updates, seconds), and the
/// dashboard must keep drawing meanwhile so the operator sees it advance — a bar with
/// done/total on the status line, from `JobsProgressBoard` — instead of a frozen screen.
/// The write itself is the grid's usual one (`KillSwitch.apply`); when it is done the
/// grid settles it like any other (`GridScreen.settle`).
public final class JobsBulkRun: @unchecked Sendable {
    public let dialog: KillDialog
    let action: String
    let envs: [EnvironmentID]
    private let lock = NSLock()
    private var outcome: Result<MutationResult, any Error>?

    /// A dialog whose targets include a table-bound cell runs this way; others write at once.
    static func applies(_ d: KillDialog, _ data: GridData) -> Bool {
        d.targets.contains { data.jobs[CellKey(flag: d.flag.key, env: $0.env.id)] != nil }
    }

    /// Where the dialog says the change goes: the table, and how many of its jobs (short:
    /// the dialog is as wide as a small terminal).
    static func destination(_ s: JobsCellSummary, direction: KillRequest.Direction) -> String {
        switch direction {
        case .kill:
            return "\(s.on)/\(JobsCellSummary.compact(s.items)) jobs on → off in DynamoDB table \(s.table)"
        case .unkill:
            return "the kill's jobs back on in DynamoDB table \(s.table)"
        }
    }

    init(dialog: KillDialog) {
        self.dialog = dialog
        action = dialog.kind.direction == .kill ? AuditAction.kill : AuditAction.unkill
        envs = dialog.targets.map(\.env.id)
    }

    /// Starts the write; `finished` has its result once it is done.
    static func start(_ d: KillDialog, reason: String, operations: Operations) -> JobsBulkRun {
        let run = JobsBulkRun(dialog: d)
        JobsProgressBoard.shared.clear(action: run.action, flag: d.flag.key, envs: run.envs)
        Thread.detachNewThread {
            let r = Result { try KillSwitch.apply(d, reason: reason, operations: operations) }
            run.lock.withLock { run.outcome = r }
        }
        return run
    }

    /// The result, once the write is done.
    var finished: Result<MutationResult, any Error>? { lock.withLock { outcome } }

    /// `kill feature in jobs/prod ████▌░░░░░ 1200/3000 jobs, 1200 written`, or, before
    /// the first batch, that the table is being read.
    func text(glyphs: Glyphs) -> String {
        let verb = dialog.kind.direction == .kill ? "kill" : "unkill"
        let head = "\(verb) \(dialog.flag.key) in \(envs.map(\.path).joined(separator: ", "))"
        guard let e = JobsProgressBoard.shared.progress(action: action, flag: dialog.flag.key, envs: envs) else {
            return head + ": reading the table…" + (dialog.kind.direction == .kill ? " (every job on is turned off)" : "")
        }
        return head + " " + JobsProgressBoard.bar(e, glyphs: glyphs)
    }
}
