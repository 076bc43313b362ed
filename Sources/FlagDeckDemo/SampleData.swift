import FlagDeckCore
import Foundation

/// The demo inventory as read from `sample-data/` (layout documented in its README):
/// environments, flag metadata, the Powertools feature files per environment and the
/// relative-time history that the builder replays.
public struct SampleData: Sendable {
    public struct EnvironmentSpec: Sendable, Hashable {
        public var id: EnvironmentID
        public var isProtected: Bool
        public var order: Int
    }

    /// Metadata Powertools files cannot carry. `expiresIn` is relative to build time.
    public struct FlagSpec: Sendable, Hashable {
        public var key: String
        public var type: FlagType
        public var owner: String?
        public var description: String
        public var tags: [String]
        public var expiresIn: TimeInterval?
        public var dependsOn: [String]
        public var variants: [Variant]
        public var overrides: [OverrideSpec]
        public var valueKind: ValueKind
    }

    /// "When context key K equals V, serve X" in one environment, written with the
    /// override operation right after the flag is created.
    public struct OverrideSpec: Sendable, Hashable {
        public var env: EnvironmentID
        public var contextKey: String
        public var equals: String
        public var serve: String
        public var expiresIn: TimeInterval?
        public var note: String
    }

    /// One feature of one environment's Powertools file, which holds what
    /// `flagdeck export --format powertools` writes for the demo's final cell: rules only
    /// where the cell is live, and for boolean flags `default: true` exactly when the cell
    /// is on at 100 %. The on/off state itself comes from the history.
    public struct FeatureConfig: Sendable, Hashable {
        /// Ordered rules as the core stores them: `[{"name":…,"when_match":…,"conditions":[…]}]`.
        public var rules: String
        /// The cell's default: the file's value for JSON flags; `false` for boolean flags,
        /// whose file default only says "on at 100 %" (the evaluator serves `true` from
        /// the rollout, and `false` outside it while a rollout is partial).
        public var defaultValue: String
        public var isBoolean: Bool
        /// Boolean flags: the file says `default: true`.
        public var fileSaysOn: Bool

        /// Whether applying it changes a freshly created cell (rules `[]`, default `false`).
        public var differsFromNewCell: Bool { rules != "[]" || defaultValue != "false" }
    }

    public var root: URL
    public var environments: [EnvironmentSpec]
    /// Flag keys in `flags.json` order.
    public var flagKeys: [String]
    public var flags: [String: FlagSpec]
    public var features: [EnvironmentID: [String: FeatureConfig]]
    public var operators: [String: String]
    public var history: [HistoryEntry]

    public func environment(_ id: EnvironmentID) -> EnvironmentSpec? { environments.first { $0.id == id } }
}

/// Why the sample data could not be used, naming the file (and line) at fault.
public struct SampleDataError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var detail: String
    public init(_ file: String, _ detail: String) {
        self.file = file
        self.detail = detail
    }
    public var description: String { "sample data \(file): \(detail)" }
}
