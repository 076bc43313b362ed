/// How a cell reads at a glance. Killed wins over everything because it is what an
/// on-call engineer must never miss.
public enum CellState: Hashable, Sendable {
    case killed
    case off
    case on
    /// Enabled but rolled out to fewer than 100 % of contexts.
    case partial(basisPoints: Int)

    public init(_ s: FlagState) {
        if s.killed { self = .killed }
        else if !s.enabled { self = .off }
        else if s.rolloutBasisPoints >= 10_000 { self = .on }
        else { self = .partial(basisPoints: s.rolloutBasisPoints) }
    }

    /// Stable names used in JSON output and tests.
    public var name: String {
        switch self {
        case .killed: "killed"
        case .off: "off"
        case .on: "on"
        case .partial: "partial"
        }
    }

    /// The compact label the grid and `list` print.
    public var label: String {
        switch self {
        case .killed: "KILL"
        case .off: "OFF"
        case .on: "ON"
        case .partial(let bp): Percent.format(bp) + "%"
        }
    }
}
