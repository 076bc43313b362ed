/// Reverses a kill. Because a kill never touched the state underneath, clearing the mark
/// is an exact restore of enabled, percentage, rules and default.
extension Operations {
    @discardableResult
    public func unkill(flag: String, env: String, reason: String, expectedVersion: Int64? = nil) throws -> MutationResult {
        try changeCell(flag: flag, env: env, action: AuditAction.unkill, reason: reason,
                       expectedVersion: expectedVersion, reasonAlwaysRequired: true) { (s: inout FlagState) throws(FlagDeckError) in
            guard s.killed else { throw .notKilled(flag: s.flagKey, env: s.env.path) }
            s.killed = false
        }
    }

    @discardableResult
    public func unkillEverywhere(flag: String, reason: String, expectedVersions: [EnvironmentID: Int64] = [:]) throws -> MutationResult {
        try changeEverywhere(flag: flag, action: AuditAction.unkill, reason: reason, expectedVersions: expectedVersions,
                             skip: { !$0.killed }, apply: { $0.killed = false },
                             nothing: { .notKilled(flag: flag, env: "any environment") })
    }
}
