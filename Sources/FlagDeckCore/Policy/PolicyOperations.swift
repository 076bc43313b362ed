import Foundation

/// Enforcement lives in the operations, not the front ends, so no path can skip it.
/// A refused attempt is itself recorded (action `denied`) in its own transaction, after
/// the refused one has rolled back.
extension Operations {
    public func policy() throws -> AccessPolicy {
        try store.read { AccessPolicy.decode(try $0.setting(AccessPolicy.settingKey)) }
    }

    /// Replaces the policy. Only a current admin may; the change is audited with the old
    /// and new policy.
    @discardableResult
    public func setPolicy(_ next: AccessPolicy, reason: String) throws -> AuditEvent {
        for p in next.admins { try AccessPolicy.validatePrincipal(p) }
        for r in next.allow { try AccessPolicy.validatePrincipal(r.principal) }
        guard !next.admins.isEmpty else { throw FlagDeckError.invalidPolicy("a policy needs at least one admin") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw FlagDeckError.reasonRequired(action: "change the access policy", env: nil)
        }
        let now = clock()
        return try recordingDenial(action: AuditAction.policySet, flag: nil, env: nil, reason: reason) {
            try store.write { w in
                let current = AccessPolicy.decode(try w.setting(AccessPolicy.settingKey))
                guard current.mayAdminister(as: actor) else {
                    throw FlagDeckError.denied(operator: actor.name, action: "change the access policy",
                                               target: "this database", allowed: current.admins)
                }
                try w.setSetting(AccessPolicy.settingKey, next.json)
                return try w.append(AuditDraft(at: now, actor: actor, action: AuditAction.policySet, flag: nil, env: nil,
                                               before: current.json, after: next.json, reason: reason))
            }
        }
    }

    /// Throws `denied` unless the policy lets the actor change `env`.
    func authorize(_ r: any StoreReading, env: EnvironmentID, action: String) throws {
        let text = try r.setting(AccessPolicy.settingKey)
        if AccessPolicy.isOpen(text) { return }
        let p = AccessPolicy.decode(text)
        guard p.mayChange(env, as: actor) else {
            throw FlagDeckError.denied(operator: actor.name, action: action, target: env.path, allowed: p.whoMayChange(env))
        }
    }

    func authorizeAny(_ r: any StoreReading, action: String) throws {
        let text = try r.setting(AccessPolicy.settingKey)
        if AccessPolicy.isOpen(text) { return }
        let p = AccessPolicy.decode(text)
        guard p.mayChangeSomething(as: actor) else {
            throw FlagDeckError.denied(operator: actor.name, action: action, target: "any environment",
                                       allowed: p.allow.map(\.principal))
        }
    }

    /// Runs `body`; if it was denied, appends a `denied` event and rethrows.
    func recordingDenial<T>(action: String, flag: String?, env: String?, reason: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let FlagDeckError.denied(op, what, target, allowed) {
            let now = clock()
            _ = try? store.write { w in
                try w.append(AuditDraft(at: now, actor: actor, action: AuditAction.denied, flag: flag, env: env ?? target,
                                        before: nil, after: nil,
                                        reason: "refused \(what)" + ((reason ?? "").isEmpty ? "" : ": \(reason!)")))
            }
            throw FlagDeckError.denied(operator: op, action: what, target: target, allowed: allowed)
        }
    }
}
