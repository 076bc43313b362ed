import Foundation

/// How one pending intent was settled.
public struct PushRecovery: Sendable {
    public enum Outcome: String, Sendable {
        /// The write reached the source: recorded now, with the original operator and reason.
        case recovered
        /// The write never reached the source: recorded as `push.abandoned`.
        case abandoned
        /// Its source cannot be read now, or its push is still running; left for later.
        case pending
    }
    public var intent: PushIntent
    public var outcome: Outcome
    public var detail: String
}

/// The crash rule: a push records its intent before it writes and removes it with the
/// change's audit event, so an intent still here means the process died in between (or is
/// still working). The next open settles each one against its source.
extension Operations {
    /// Intents older than this from another host are taken as orphaned (their process
    /// cannot be asked whether it is alive).
    static let foreignIntentGrace: TimeInterval = 600

    @discardableResult
    public func recoverPushes() throws -> [PushRecovery] {
        let (intents, bindings) = try store.read { r in (try r.pendingIntents(), try r.sourceBindings()) }
        var out: [PushRecovery] = []
        for intent in intents {
            out.append(try settle(intent, binding: bindings.first { $0.id == intent.bindingID }))
        }
        return out
    }

    func settle(_ intent: PushIntent, binding: SourceBinding?) throws -> PushRecovery {
        if let binding, binding.jobsLocation != nil { return try settleJobs(intent, binding: binding) }
        let now = clock()
        guard let current = try store.read({ try $0.state(flag: intent.flag, env: intent.env) }),
              let plan = PushPlan(json: intent.plan, onto: current) else {
            return try abandon(intent, why: "its flag or plan is gone", now: now)
        }
        if Self.stillRunning(intent, plan, now: now) {
            return PushRecovery(intent: intent, outcome: .pending, detail: "its push (pid \(plan.pid)) is still running")
        }
        guard let binding else { return try abandon(intent, why: "its source was unbound", now: now) }
        let snapshot: SourceSnapshot
        let landed: Bool
        var receipt: SourceReceipt?
        do {
            let driver = try sources.documentSource(for: binding)
            snapshot = try driver.readLatest()
            if let version = try driver.findWrite(intentID: intent.id, after: plan.base) {
                landed = true
                receipt = driver.recoveryReceipt(intentID: intent.id) ?? SourceReceipt(version: version)
            } else {
                let doc = try BoundDocument(binding, snapshot, served: false)
                landed = plan.afterFingerprint != nil && doc.fingerprint(intent.flag) == plan.afterFingerprint
            }
        } catch {
            return PushRecovery(intent: intent, outcome: .pending, detail: "cannot check \(binding.uri): \(error)")
        }
        guard landed else { return try abandon(intent, why: "the source never received it", now: now) }
        let who = Actor(name: intent.operator, host: intent.host)
        let prepared = PreparedPush(intentID: intent.id, env: intent.env, flag: intent.flag, action: intent.action,
                                    reason: intent.reason, plan: plan, document: nil)
        _ = try store.write { w in
            try Transaction(w: w, actor: who, now: now)
                .finishPush(prepared, binding: binding, receipt: receipt ?? SourceReceipt(version: snapshot.version), recovered: true)
        }
        return PushRecovery(intent: intent, outcome: .recovered, detail: "\(intent.action) reached \(BoundDocument.name(binding.uri))")
    }

    func abandon(_ intent: PushIntent, why: String, now: Date) throws -> PushRecovery {
        let who = Actor(name: intent.operator, host: intent.host)
        try store.write { w in
            let tx = Transaction(w: w, actor: who, now: now)
            try w.deleteIntent(id: intent.id)
            let after = JSONWriter.compact(.object(JSONObject([("intent", .string(intent.id)), ("action", .string(intent.action)),
                                                               ("why", .string(why))])))
            try tx.append(AuditAction.pushAbandoned, flag: intent.flag, env: intent.env.path, before: intent.before, after: after,
                          reason: intent.reason)
        }
        return PushRecovery(intent: intent, outcome: .abandoned, detail: why)
    }

    /// On this host, a live pid means the push is still under way; elsewhere, only age tells.
    static func stillRunning(_ intent: PushIntent, _ plan: PushPlan, now: Date) -> Bool {
        if intent.host == Actor.hostName() {
            if plan.pid == getpid() { return LivePushes.shared.contains(intent.id) }
            return plan.pid > 0 && Glibc.kill(plan.pid, 0) == 0
        }
        return now.timeIntervalSince(intent.createdAt) < foreignIntentGrace
    }
}

/// The intents this process is pushing right now, so its own recovery (a dashboard that
/// settles what it finds while a kill runs on another thread) never settles a live one.
final class LivePushes: @unchecked Sendable {
    static let shared = LivePushes()
    private let lock = NSLock()
    private var ids: Set<String> = []

    func insert(_ id: String) { _ = lock.withLock { ids.insert(id) } }
    func remove(_ id: String) { _ = lock.withLock { ids.remove(id) } }
    func contains(_ id: String) -> Bool { lock.withLock { ids.contains(id) } }
}
