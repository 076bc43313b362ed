/// What a flag is for; it decides its expected lifetime (see the lifecycle analytics).
public enum FlagType: String, CaseIterable, Sendable, Codable {
    case release
    case experiment
    case operational
    case killSwitch = "kill-switch"
    case permission

    public init(parsing text: String) throws(FlagDeckError) {
        guard let t = FlagType(rawValue: text) else { throw .invalidFlagType(text) }
        self = t
    }
}
