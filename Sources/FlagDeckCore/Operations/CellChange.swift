/// What a change does to one cell, and the rules that say whether it may. Pure: the
/// operations, the importer and the generator all apply cell changes through here, so
/// "a killed cell refuses enable", "a kill keeps the state underneath" and "a change that
/// changes nothing writes nothing" are written once.
public enum CellChange: Sendable, Hashable {
    /// Forces the cell off; `enabled`, percentage, rules and default stay underneath so
    /// unkill restores them exactly.
    case kill
    case unkill
    case enable
    case disable
    case rollout(basisPoints: Int)
    /// Replaces rules and default (the rule editor, importers). Rules are opaque ordered
    /// JSON here; the formats layer validates them first.
    case rules(rules: String, defaultValue: String)
    /// What an imported file says the cell is (see `Operations.importedState`).
    case imported(PowertoolsMapping.CellDefinition, kind: ValueKind)
    /// What a bound source says the cell is: binding it (`import`) or finding a change made
    /// there outside flagdeck (`sync`). The document is the truth, so a kill the source no
    /// longer shows is gone too.
    case found(CellValues, action: String)

    public var action: String {
        switch self {
        case .kill: AuditAction.kill
        case .unkill: AuditAction.unkill
        case .enable: AuditAction.enable
        case .disable: AuditAction.disable
        case .rollout: AuditAction.rollout
        case .rules: AuditAction.stateSet
        case .imported: AuditAction.importCells
        case .found(_, let action): action
        }
    }

    /// A kill or unkill always needs a reason: the next on-call engineer will ask why.
    /// Everything else needs one only in a protected environment.
    public var reasonAlwaysRequired: Bool { self == .kill || self == .unkill }

    /// The cell after the change, or nil when it is already so (an idempotent no-op).
    /// Version, time and author are the transaction's business, not the rules'.
    public func applied(to s: FlagState) throws(FlagDeckError) -> FlagState? {
        var next = s
        switch self {
        case .kill:
            if s.killed { return nil }
            next.killed = true
        case .unkill:
            if !s.killed { return nil }
            next.killed = false
        case .enable, .disable:
            guard !s.killed else { throw .flagIsKilled(flag: s.flagKey, env: s.env.path) }
            let on = self == .enable
            if s.enabled == on { return nil }
            next.enabled = on
        case .rollout(let bp):
            guard (0...10_000).contains(bp) else { throw .invalidPercent(Percent.format(bp)) }
            guard !s.killed else { throw .flagIsKilled(flag: s.flagKey, env: s.env.path) }
            if s.rolloutBasisPoints == bp { return nil }
            next.rolloutBasisPoints = bp
        case .rules(let rules, let def):
            if s.rules == rules && s.defaultValue == def { return nil }
            next.rules = rules
            next.defaultValue = def
        case .imported(let d, let kind):
            return Operations.importedState(s, d, kind: kind)
        case .found(let v, _):
            next.enabled = v.enabled
            next.rolloutBasisPoints = v.rolloutBasisPoints
            next.rules = v.rules
            next.defaultValue = v.defaultValue
            next.killed = v.killed
            if next == s { return nil }
        }
        return next
    }

    /// The operator-facing "nothing written" line for a no-op on `s`.
    public func unchangedReason(_ s: FlagState) -> String {
        let whereText = "\(s.flagKey) in \(s.env)"
        switch self {
        case .kill: return "\(whereText) is already killed; nothing written"
        case .unkill: return "\(whereText) is already not killed; nothing written"
        case .enable: return "\(whereText) is already enabled; nothing written"
        case .disable: return "\(whereText) is already disabled; nothing written"
        case .rollout(let bp): return "\(whereText) is already at \(Percent.format(bp))%; nothing written"
        case .rules: return "\(whereText) already has these rules and default; nothing written"
        case .imported, .found: return "\(whereText) already matches the source; nothing written"
        }
    }
}

/// The fields of a cell a source can say.
public struct CellValues: Sendable, Hashable {
    public var enabled: Bool
    public var killed: Bool
    public var rolloutBasisPoints: Int
    public var rules: String
    public var defaultValue: String

    public init(enabled: Bool, killed: Bool = false, rolloutBasisPoints: Int, rules: String, defaultValue: String) {
        self.enabled = enabled
        self.killed = killed
        self.rolloutBasisPoints = rolloutBasisPoints
        self.rules = rules
        self.defaultValue = defaultValue
    }

    public init(_ c: DocumentCell, killed: Bool = false) {
        self.init(enabled: c.enabled, killed: killed, rolloutBasisPoints: c.rolloutBasisPoints, rules: c.rules,
                  defaultValue: c.defaultValue)
    }
}
