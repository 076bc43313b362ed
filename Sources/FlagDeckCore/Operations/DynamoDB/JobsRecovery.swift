import Foundation

/// An interrupted kill, unkill, hold or per-job change of a DynamoDB-bound cell is
/// finished, never guessed at: the journalled plan says which jobs are done, which were
/// never sent, and which (one batch at most) were in flight; the engine reads those back
/// and sends the rest, and the change is then recorded with its original operator and
/// reason, marked recovered. Runs at the next open (`recoverPushes`) and on
/// `flagdeck source resume ENV`.
extension Operations {
    func settleJobs(_ intent: PushIntent, binding: SourceBinding) throws -> PushRecovery {
        guard let plan = JobsIntentPlan(json: intent.plan) else {
            return try abandon(intent, why: "its DynamoDB plan cannot be read", now: clock())
        }
        if Self.jobsStillRunning(intent, plan, now: clock()) {
            return PushRecovery(intent: intent, outcome: .pending, detail: "its \(intent.action) (pid \(plan.pid)) is still running")
        }
        guard let loc = binding.jobsLocation else { return try abandon(intent, why: "its binding is not a table", now: clock()) }
        let src: DynamoDBJobsSource
        do { src = try Self.jobsSource(loc) } catch {
            return PushRecovery(intent: intent, outcome: .pending, detail: "cannot reach \(loc.table): \(error)")
        }
        let kind = plan.bulk.kind == .hold ? "hold" : intent.action
        let done = try runJobs(plan.bulk, intent: intent.id, source: src, action: kind, flag: intent.flag, env: intent.env)
        guard done.isComplete else {
            return PushRecovery(intent: intent, outcome: .pending, detail: Self.interrupted(done, action: kind, env: intent.env))
        }
        if plan.bulk.kind == .set {
            try finishJobChange(intent, binding: binding, plan: done, recovered: true)
        } else {
            _ = try finishJobs(intent, binding: binding, plan: done, recovered: true)
        }
        return PushRecovery(intent: intent, outcome: .recovered,
                            detail: "\(kind) resumed on \(loc.table): \(done.applied.count) of \(done.steps.count) jobs written, \(done.skipped.count) changed meanwhile and left alone")
    }

    /// On this host a live pid means the change is still running; elsewhere only age tells.
    static func jobsStillRunning(_ intent: PushIntent, _ plan: JobsIntentPlan, now: Date) -> Bool {
        if intent.host == Actor.hostName() {
            if plan.pid == getpid() { return LivePushes.shared.contains(intent.id) }
            return plan.pid > 0 && Glibc.kill(plan.pid, 0) == 0
        }
        return now.timeIntervalSince(intent.createdAt) < foreignIntentGrace
    }

    /// `flagdeck source resume ENV`: settles every pending change of ENV's tables now.
    public func resumeJobs(env envText: String) throws -> [PushRecovery] {
        let env = try store.read { try EnvironmentResolver.resolve(envText, in: $0).id }
        let (intents, bindings) = try store.read { r in (try r.pendingIntents(), try r.sourceBindings()) }
        var out: [PushRecovery] = []
        for intent in intents where intent.env == env {
            guard let b = bindings.first(where: { $0.id == intent.bindingID }), b.jobsLocation != nil else { continue }
            out.append(try settleJobs(intent, binding: b))
        }
        return out
    }
}
