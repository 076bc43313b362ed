import FlagDeckCore

/// Whether this operator may change anything from this dashboard, and the one wording
/// of every refusal. Mutating keys are checked here before their dialog opens, so an
/// operator is told why at once instead of filling in a form that will be denied.
public struct WriteAccess: Sendable {
    /// `--read-only`, or a database file this process cannot write.
    public var readOnly: Bool
    public var policy: AccessPolicy
    public var actor: Actor

    public init(readOnly: Bool, policy: AccessPolicy, actor: Actor) {
        self.readOnly = readOnly
        self.policy = policy
        self.actor = actor
    }

    /// False hides every mutating key (help, hints) and shows `READ-ONLY` in the header.
    public var mayChangeSomething: Bool { !readOnly && policy.mayChangeSomething(as: actor) }

    /// Why no change at all is possible here, or nil.
    public func refusal() -> StatusMessage? {
        if readOnly { return StatusMessage("read-only dashboard: changes are disabled", kind: .error) }
        if !policy.mayChangeSomething(as: actor) {
            return StatusMessage("access policy: \(actor.name) may not change any environment", kind: .error)
        }
        return nil
    }

    /// Why these environments may not be changed, naming who may, or nil.
    public func refusal(changing envs: [EnvironmentID]) -> StatusMessage? {
        if let general = refusal() { return general }
        let denied = envs.filter { !policy.mayChange($0, as: actor) }
        guard !denied.isEmpty else { return nil }
        let who = Set(denied.flatMap { policy.whoMayChange($0) }).sorted()
        return StatusMessage("access policy: \(actor.name) may not change \(denied.map(\.path).joined(separator: ", "))"
                             + (who.isEmpty ? "; nobody may" : "; allowed: \(who.joined(separator: ", "))"), kind: .error)
    }
}
