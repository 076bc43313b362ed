/// Names of audited actions, all of them, in one place. Stable: they appear in
/// `history --json`, in the hashed log and in scripts that match on them.
public enum AuditAction {
    public static let initialize = "init"
    public static let envCreate = "env.create"
    public static let envEdit = "env.edit"
    public static let flagCreate = "flag.create"
    public static let flagEdit = "flag.edit"
    public static let enable = "enable"
    public static let disable = "disable"
    public static let rollout = "rollout"
    public static let kill = "kill"
    public static let unkill = "unkill"
    public static let stateSet = "state.set"
    public static let settingSet = "setting.set"
    public static let policySet = "policy.set"
    public static let denied = "denied"
    /// Cells changed by `import` (and the flags it updated).
    public static let importCells = "import"
    public static let overrideSet = "override.set"
    public static let overrideRemove = "override.rm"
    /// A reviewer's decision about a flag's hints (keep, retire, snooze).
    public static let reviewMark = "review.mark"
    /// An environment bound to (or unbound from) the place its flags really live.
    public static let sourceAdd = "source.add"
    public static let sourceRemove = "source.rm"
    /// A change found in a bound source that was made outside flagdeck.
    public static let sync = "sync"
    /// A change that could not be written to its source: the attempt, for the incident review.
    public static let pushFailed = "push.failed"
    /// A change whose intent was recorded but which never reached its source (a crash
    /// before the write), found at the next open.
    public static let pushAbandoned = "push.abandoned"
}
