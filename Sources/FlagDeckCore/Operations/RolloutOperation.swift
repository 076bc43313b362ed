/// Percentage, enable and disable. All refuse a killed cell: a kill must stay a kill
/// until someone deliberately unkills it, so nobody re-enables a flag by accident.
extension Operations {
    @discardableResult
    public func setRollout(flag: String, env: String, basisPoints: Int, reason: String? = nil,
                           expectedVersion: Int64? = nil) throws -> MutationResult {
        guard (0...10_000).contains(basisPoints) else { throw FlagDeckError.invalidPercent(Percent.format(basisPoints)) }
        return try changeCell(flag: flag, env: env, action: AuditAction.rollout, reason: reason,
                              expectedVersion: expectedVersion, reasonAlwaysRequired: false) { (s: inout FlagState) throws(FlagDeckError) in
            guard !s.killed else { throw .flagIsKilled(flag: s.flagKey, env: s.env.path) }
            guard s.rolloutBasisPoints != basisPoints else {
                throw .nothingToDo("\(s.flagKey) is already at \(Percent.format(basisPoints))% in \(s.env); nothing written")
            }
            s.rolloutBasisPoints = basisPoints
        }
    }

    @discardableResult
    public func setEnabled(_ enabled: Bool, flag: String, env: String, reason: String? = nil,
                           expectedVersion: Int64? = nil) throws -> MutationResult {
        try changeCell(flag: flag, env: env, action: enabled ? AuditAction.enable : AuditAction.disable, reason: reason,
                       expectedVersion: expectedVersion, reasonAlwaysRequired: false) { (s: inout FlagState) throws(FlagDeckError) in
            guard !s.killed else { throw .flagIsKilled(flag: s.flagKey, env: s.env.path) }
            guard s.enabled != enabled else {
                throw .nothingToDo("\(s.flagKey) is already \(enabled ? "enabled" : "disabled") in \(s.env); nothing written")
            }
            s.enabled = enabled
        }
    }

    /// Replaces rules and default (importers and the rule editor). Rules are opaque
    /// ordered JSON here; the formats layer validates them before calling.
    @discardableResult
    public func setRules(flag: String, env: String, rules: String, defaultValue: String, reason: String? = nil,
                         expectedVersion: Int64? = nil) throws -> MutationResult {
        try changeCell(flag: flag, env: env, action: AuditAction.stateSet, reason: reason,
                       expectedVersion: expectedVersion, reasonAlwaysRequired: false) { (s: inout FlagState) throws(FlagDeckError) in
            s.rules = rules
            s.defaultValue = defaultValue
        }
    }
}
