import Foundation

/// One cell of the grid: a flag's state in one environment.
///
/// A kill only sets `killed`; `enabled`, `rolloutBasisPoints`, rules and default stay
/// untouched underneath, which is what lets unkill restore the pre-kill state exactly.
public struct FlagState: Hashable, Sendable {
    public var flagKey: String
    public var env: EnvironmentID
    public var enabled: Bool
    public var killed: Bool
    /// 0...10_000; 2_550 is 25.50 %. Integers avoid float drift in comparisons and hashes.
    public var rolloutBasisPoints: Int
    /// Ordered JSON text (an array of rules); evaluation is defined by the formats layer.
    public var rules: String
    /// JSON text of the default value.
    public var defaultValue: String
    public var version: Int64
    public var changedAt: Date
    public var changedBy: String

    public init(
        flagKey: String, env: EnvironmentID, enabled: Bool = false, killed: Bool = false,
        rolloutBasisPoints: Int = 10_000, rules: String = "[]", defaultValue: String = "false",
        version: Int64 = 1, changedAt: Date, changedBy: String
    ) {
        self.flagKey = flagKey
        self.env = env
        self.enabled = enabled
        self.killed = killed
        self.rolloutBasisPoints = rolloutBasisPoints
        self.rules = rules
        self.defaultValue = defaultValue
        self.version = version
        self.changedAt = changedAt
        self.changedBy = changedBy
    }

    public var cell: CellState { CellState(self) }
}
