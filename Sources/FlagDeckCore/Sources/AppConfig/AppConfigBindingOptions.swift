/// The per-binding settings of an AppConfig source, as `SourceBinding.options` stores them
/// (`source add … --strategy NAME --kill-strategy NAME`).
public struct AppConfigBindingOptions: Sendable, Hashable {
    public static let strategyKey = "strategy"
    public static let killStrategyKey = "kill_strategy"
    public static let maxBytesKey = "max_bytes"

    /// AWS's own predefined strategy: everything at once, then a 10-minute bake during
    /// which an alarm can still roll the change back. The safe default for ordinary changes.
    public static let defaultStrategy = "AppConfig.AllAtOnce"
    /// Created on first use in each account and region when no `--kill-strategy` is given:
    /// zero duration, zero bake, 100 % growth, so a kill reaches every application at its next poll.
    public static let defaultKillStrategy = "flagdeck-immediate"
    /// AWS's documented limit for a hosted configuration ("Configurations must be 2 MB or
    /// smaller", AWS AppConfig user guide, "Understanding the AWS AppConfig hosted
    /// configuration store"), read as 2 MiB. Raise it per binding (`max_bytes`) when an
    /// account's quota was raised.
    public static let hostedLimitBytes = 2 * 1024 * 1024

    /// Deployment strategy for ordinary changes: a name or an id.
    public var strategy: String
    /// Deployment strategy for kills: a name or an id; nil means `flagdeck-immediate`.
    public var killStrategy: String?
    /// The largest document a write may upload.
    public var maxBytes: Int

    public init(strategy: String = Self.defaultStrategy, killStrategy: String? = nil,
                maxBytes: Int = Self.hostedLimitBytes) {
        self.strategy = strategy
        self.killStrategy = killStrategy
        self.maxBytes = maxBytes
    }

    /// Reads the stored options; a bad value is an error naming its key. Keys that are not
    /// the driver's (the mechanism's format, envelope…) share the map and are ignored.
    public init(options: [String: String]) throws(SourceError) {
        self.init()
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            switch key {
            case Self.strategyKey:
                guard !value.isEmpty else { throw .badURI("option \(key)", "a deployment strategy name or id is required") }
                strategy = value
            case Self.killStrategyKey:
                guard !value.isEmpty else { throw .badURI("option \(key)", "a deployment strategy name or id is required") }
                killStrategy = value
            case Self.maxBytesKey:
                guard let n = Int(value), n > 0 else { throw .badURI("option \(key)", "expected a positive number of bytes, not \(value)") }
                maxBytes = n
            default:
                continue
            }
        }
    }

    /// The options to store: only what differs from the defaults.
    public var options: [String: String] {
        var o: [String: String] = [:]
        if strategy != Self.defaultStrategy { o[Self.strategyKey] = strategy }
        if let killStrategy { o[Self.killStrategyKey] = killStrategy }
        if maxBytes != Self.hostedLimitBytes { o[Self.maxBytesKey] = String(maxBytes) }
        return o
    }

    /// The strategy a kill uses, as the kill dialog names it.
    public var killStrategyName: String { killStrategy ?? Self.defaultKillStrategy }
}
