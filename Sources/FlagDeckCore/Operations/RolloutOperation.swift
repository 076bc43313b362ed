/// Percentage, enable and disable, and the rules a cell serves. All refuse a killed cell
/// (see `CellChange`): a kill stays a kill until someone deliberately unkills it.
extension Operations {
    @discardableResult
    public func setRollout(flag: String, env: String, basisPoints: Int, reason: String? = nil,
                           expectedVersion: Int64? = nil) throws -> MutationResult {
        guard (0...10_000).contains(basisPoints) else { throw FlagDeckError.invalidPercent(Percent.format(basisPoints)) }
        return try changeCell(flag: flag, env: env, .rollout(basisPoints: basisPoints), reason: reason,
                              expectedVersion: expectedVersion)
    }

    @discardableResult
    public func setEnabled(_ enabled: Bool, flag: String, env: String, reason: String? = nil,
                           expectedVersion: Int64? = nil) throws -> MutationResult {
        try changeCell(flag: flag, env: env, enabled ? .enable : .disable, reason: reason, expectedVersion: expectedVersion)
    }

    @discardableResult
    public func setRules(flag: String, env: String, rules: String, defaultValue: String, reason: String? = nil,
                         expectedVersion: Int64? = nil) throws -> MutationResult {
        try changeCell(flag: flag, env: env, .rules(rules: rules, defaultValue: defaultValue), reason: reason,
                       expectedVersion: expectedVersion)
    }
}
