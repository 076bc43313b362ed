import Foundation

/// Enforcement lives in the operations (`Transaction.authorize`), not the front ends, so
/// no path can skip it. A refused attempt is itself recorded (action `denied`).
extension Operations {
    public func policy() throws -> AccessPolicy {
        try store.read { AccessPolicy.decode(try $0.setting(AccessPolicy.settingKey)) }
    }

    /// Replaces the policy. Only a current admin may; the change is audited with the old
    /// and new policy. When the stored policy cannot be read, the admins of the last
    /// policy the log recorded may replace it: that is the way out of a failed-closed
    /// inventory, and it is audited like any other policy change.
    @discardableResult
    public func setPolicy(_ next: AccessPolicy, reason: String) throws -> AuditEvent {
        for p in next.admins { try AccessPolicy.validatePrincipal(p) }
        for r in next.allow { try AccessPolicy.validatePrincipal(r.principal) }
        guard !next.admins.isEmpty else { throw FlagDeckError.invalidPolicy("a policy needs at least one admin") }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw FlagDeckError.reasonRequired(action: "change the access policy", env: nil)
        }
        return try transaction(AuditAction.policySet, flag: nil, env: nil, reason: reason) { tx in
            let stored = try tx.w.setting(AccessPolicy.settingKey)
            let current = AccessPolicy.decode(stored)
            let judge = current.problem == nil ? current : try Self.lastRecordedPolicy(tx.w)
            guard judge.mayAdminister(as: tx.actor) else {
                throw FlagDeckError.denied(operator: tx.actor.name, action: "change the access policy",
                                           target: "this database", allowed: judge.admins)
            }
            try tx.w.setSetting(AccessPolicy.settingKey, next.json)
            return try tx.append(AuditAction.policySet, flag: nil, env: nil, before: stored ?? current.json,
                                 after: next.json, reason: reason)
        }
    }

    /// The newest policy the audit log recorded (a `policy.set`, else the genesis event).
    static func lastRecordedPolicy(_ r: any StoreReading) throws -> AccessPolicy {
        for action in [AuditAction.policySet, AuditAction.initialize] {
            for e in try r.events(AuditQuery(action: action, limit: 50)) {
                if let text = e.after, let p = AccessPolicy.parse(text) { return p }
            }
        }
        return AccessPolicy()
    }
}
