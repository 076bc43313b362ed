import Foundation

/// One open write transaction, with who acts and at what moment. Every operation's body
/// runs on one, so a single CLI change and the generator's batched history replay go
/// through the same policy, reason and audit rules.
struct Transaction {
    let w: any StoreWriting
    let actor: Actor
    let now: Date

    /// Throws `denied` unless the policy lets the actor change `env`. A stored policy that
    /// does not decode refuses everything (see `AccessPolicy.load`).
    func authorize(env: EnvironmentID, action: String) throws {
        let text = try w.setting(AccessPolicy.settingKey)
        if AccessPolicy.isOpen(text) { return }
        let p = try AccessPolicy.load(text)
        guard p.mayChange(env, as: actor) else {
            throw FlagDeckError.denied(operator: actor.name, action: action, target: env.path, allowed: p.whoMayChange(env))
        }
    }

    /// For changes that span environments (flag metadata, settings, marks): the actor
    /// must be allowed to change at least one environment.
    func authorizeAny(action: String) throws {
        let text = try w.setting(AccessPolicy.settingKey)
        if AccessPolicy.isOpen(text) { return }
        let p = try AccessPolicy.load(text)
        guard p.mayChangeSomething(as: actor) else {
            throw FlagDeckError.denied(operator: actor.name, action: action, target: "any environment",
                                       allowed: p.allow.map(\.principal))
        }
    }

    @discardableResult
    func append(_ action: String, flag: String?, env: String?, before: String?, after: String?, reason: String) throws -> AuditEvent {
        try w.append(AuditDraft(at: now, actor: actor, action: action, flag: flag, env: env,
                                before: before, after: after, reason: reason))
    }

    /// Details for a conflict message: who made the change the caller did not see.
    func conflict(subject: String, flag: String, env: String?, expected: Int64, current: Int64,
                  changedBy: String, changedAt: Date, now summary: String) throws -> FlagDeckError {
        let last = try w.events(AuditQuery(flag: flag, env: env, limit: 1)).first
        let what = last.map { $0.reason.isEmpty ? $0.action : "\($0.action): \($0.reason)" }
        return .conflict(FlagDeckError.Conflict(subject: subject, expectedVersion: expected, currentVersion: current,
                                                changedBy: last?.operator ?? changedBy,
                                                changedAt: last?.at ?? UTC.format(changedAt),
                                                lastAction: what, now: summary))
    }
}

extension Operations {
    /// Runs `body` in one store transaction as this operator, at this moment. An idempotent
    /// no-op (`FlagDeckError.nothingToDo`) rolls back like any other throw; a refusal by
    /// the access policy is itself recorded, in its own transaction, after the refused one
    /// has rolled back.
    func transaction<T>(_ action: String, flag: String?, env: String?, reason: String?,
                        _ body: (Transaction) throws -> T) throws -> T {
        let now = clock()
        do {
            return try store.write { w in try body(Transaction(w: w, actor: actor, now: now)) }
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
