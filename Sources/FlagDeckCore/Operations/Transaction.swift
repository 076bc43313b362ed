import Foundation

/// Who acts, at what moment, over what they can read: every decision a change needs
/// (the access policy, the version the caller saw, the reason rule, the cell rules) is
/// made on one of these. Reads only, so a push can decide inside the journal transaction
/// that records its intent, before anything is written anywhere.
struct Decision {
    let r: any StoreReading
    let actor: Actor
    let now: Date

    /// Throws `denied` unless the policy lets the actor change `env`. A stored policy that
    /// does not decode refuses everything (see `AccessPolicy.load`).
    func authorize(env: EnvironmentID, action: String) throws {
        let text = try r.setting(AccessPolicy.settingKey)
        if AccessPolicy.isOpen(text) { return }
        let p = try AccessPolicy.load(text)
        guard p.mayChange(env, as: actor) else {
            throw FlagDeckError.denied(operator: actor.name, action: action, target: env.path, allowed: p.whoMayChange(env))
        }
    }

    /// For changes that span environments (flag metadata, settings, marks): the actor
    /// must be allowed to change at least one environment.
    func authorizeAny(action: String) throws {
        let text = try r.setting(AccessPolicy.settingKey)
        if AccessPolicy.isOpen(text) { return }
        let p = try AccessPolicy.load(text)
        guard p.mayChangeSomething(as: actor) else {
            throw FlagDeckError.denied(operator: actor.name, action: action, target: "any environment",
                                       allowed: p.allow.map(\.principal))
        }
    }

    /// Details for a conflict message: who made the change the caller did not see.
    func conflict(subject: String, flag: String, env: String?, expected: Int64, current: Int64,
                  changedBy: String, changedAt: Date, now summary: String) throws -> FlagDeckError {
        let last = try r.events(AuditQuery(flag: flag, env: env, limit: 1)).first
        let what = last.map { $0.reason.isEmpty ? $0.action : "\($0.action): \($0.reason)" }
        return .conflict(FlagDeckError.Conflict(subject: subject, expectedVersion: expected, currentVersion: current,
                                                changedBy: last?.operator ?? changedBy,
                                                changedAt: last?.at ?? UTC.format(changedAt),
                                                lastAction: what, now: summary))
    }
}

/// One open write transaction: a `Decision` plus the writes. Every operation's body runs
/// on one, so a single CLI change and the generator's batched history replay go through
/// the same policy, reason and audit rules.
struct Transaction {
    let w: any StoreWriting
    let actor: Actor
    let now: Date

    var decide: Decision { Decision(r: w, actor: actor, now: now) }

    func authorize(env: EnvironmentID, action: String) throws { try decide.authorize(env: env, action: action) }
    func authorizeAny(action: String) throws { try decide.authorizeAny(action: action) }

    @discardableResult
    func append(_ action: String, flag: String?, env: String?, before: String?, after: String?, reason: String) throws -> AuditEvent {
        try w.append(AuditDraft(at: now, actor: actor, action: action, flag: flag, env: env,
                                before: before, after: after, reason: reason))
    }

    func conflict(subject: String, flag: String, env: String?, expected: Int64, current: Int64,
                  changedBy: String, changedAt: Date, now summary: String) throws -> FlagDeckError {
        try decide.conflict(subject: subject, flag: flag, env: env, expected: expected, current: current,
                            changedBy: changedBy, changedAt: changedAt, now: summary)
    }
}

extension Operations {
    /// Runs `body` in one store transaction as this operator, at this moment. An idempotent
    /// no-op (`FlagDeckError.nothingToDo`) rolls back like any other throw; a refusal by
    /// the access policy is itself recorded, in its own transaction, after the refused one
    /// has rolled back.
    func transaction<T>(_ action: String, flag: String?, env: String?, reason: String?,
                        durability: CommitDurability = .synced, _ body: (Transaction) throws -> T) throws -> T {
        let now = clock()
        return try recordingDenial(action, flag: flag, env: env, reason: reason) {
            try store.write(durability) { w in try body(Transaction(w: w, actor: actor, now: now)) }
        }
    }

    /// Runs `body`; a refusal by the access policy is recorded as a `denied` event in its
    /// own transaction, then rethrown.
    func recordingDenial<T>(_ action: String, flag: String?, env: String? = nil, reason: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let FlagDeckError.denied(op, what, target, allowed) {
            let why = (reason ?? "").trimmingWhitespace()
            _ = try? store.write { w in
                try Transaction(w: w, actor: actor, now: clock())
                    .append(AuditAction.denied, flag: flag, env: env ?? target, before: nil, after: nil,
                            reason: "refused \(what)" + (why.isEmpty ? "" : ": \(why)"))
            }
            throw FlagDeckError.denied(operator: op, action: what, target: target, allowed: allowed)
        }
    }
}
