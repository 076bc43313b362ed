import FlagDeckAWS
import Foundation

/// One job's attribute as the table holds it. Absence is its own state, not a spelling of
/// false: a kill leaves items without the attribute without it, and unkill must put back
/// exactly what was there.
public enum DynamoDBJobState: Sendable, Hashable, CustomStringConvertible {
    case on
    case off
    case absent
    /// Anything but a boolean (`S("yes")`, `N(1)`, `NULL`…). flagdeck reports these and
    /// never writes over them: the application put them there and reads them as they are.
    case notBoolean(DynamoDBValue)

    /// What the table's attribute value (nil: the attribute is missing) means.
    public init(_ value: DynamoDBValue?) {
        switch value {
        case nil: self = .absent
        case .bool(true)?: self = .on
        case .bool(false)?: self = .off
        case let other?: self = .notBoolean(other)
        }
    }

    /// The attribute value that represents this state; nil for `absent`.
    public var attributeValue: DynamoDBValue? {
        switch self {
        case .on: .bool(true)
        case .off: .bool(false)
        case .absent: nil
        case .notBoolean(let v): v
        }
    }

    public var isBoolean: Bool { if case .notBoolean = self { false } else { true } }

    /// What the seed's `toggle_feature` sets `IS_FEATURE_ENABLED` to, as the truth value
    /// its guard clause (`if my_library.IS_FEATURE_ENABLED:`) sees: `.get(attr, default)`
    /// returns the raw value, so a non-boolean counts by Python truthiness (`"no"` is
    /// on, `0`, `""`, `NULL` and empty lists or maps are off).
    public func served(default defaultValue: Bool) -> Bool {
        switch self {
        case .on: return true
        case .off: return false
        case .absent: return defaultValue
        case .notBoolean(let v): return Self.pythonTruthy(v)
        }
    }

    static func pythonTruthy(_ v: DynamoDBValue) -> Bool {
        switch v {
        case .s(let s): return !s.isEmpty
        case .n(let n): return Decimal(string: n).map { $0 != 0 } ?? true
        case .b(let d): return !d.isEmpty
        case .ss(let a), .ns(let a): return !a.isEmpty
        case .bs(let a): return !a.isEmpty
        case .m(let m): return !m.isEmpty
        case .l(let l): return !l.isEmpty
        case .null: return false
        case .bool(let b): return b
        }
    }

    /// `on`, `off`, `absent`, or the value (`S(yes)`): for messages, the journal and `--json`.
    public var description: String {
        switch self {
        case .on: "on"
        case .off: "off"
        case .absent: "absent"
        case .notBoolean(let v): v.description
        }
    }

    /// The three states flagdeck writes, by their journal names.
    public init?(writable name: String) {
        switch name {
        case "on": self = .on
        case "off": self = .off
        case "absent": self = .absent
        default: return nil
        }
    }
}
