/// The condition actions of Powertools 3.x (`schema.RuleAction`), spelled as in files.
public enum PowertoolsAction: String, CaseIterable, Sendable {
    case equals = "EQUALS"
    case notEquals = "NOT_EQUALS"
    case keyGreaterThanValue = "KEY_GREATER_THAN_VALUE"
    case keyGreaterThanOrEqualValue = "KEY_GREATER_THAN_OR_EQUAL_VALUE"
    case keyLessThanValue = "KEY_LESS_THAN_VALUE"
    case keyLessThanOrEqualValue = "KEY_LESS_THAN_OR_EQUAL_VALUE"
    case startsWith = "STARTSWITH"
    case endsWith = "ENDSWITH"
    case `in` = "IN"
    case notIn = "NOT_IN"
    case keyInValue = "KEY_IN_VALUE"
    case keyNotInValue = "KEY_NOT_IN_VALUE"
    case valueInKey = "VALUE_IN_KEY"
    case valueNotInKey = "VALUE_NOT_IN_KEY"
    case allInValue = "ALL_IN_VALUE"
    case anyInValue = "ANY_IN_VALUE"
    case noneInValue = "NONE_IN_VALUE"
    case scheduleBetweenTimeRange = "SCHEDULE_BETWEEN_TIME_RANGE"
    case scheduleBetweenDatetimeRange = "SCHEDULE_BETWEEN_DATETIME_RANGE"
    case scheduleBetweenDaysOfWeek = "SCHEDULE_BETWEEN_DAYS_OF_WEEK"
    case moduloRange = "MODULO_RANGE"

    /// Schedule actions read the clock, not the context; their key is a fixed marker.
    public var scheduleKey: String? {
        switch self {
        case .scheduleBetweenTimeRange: "CURRENT_TIME"
        case .scheduleBetweenDatetimeRange: "CURRENT_DATETIME"
        case .scheduleBetweenDaysOfWeek: "CURRENT_DAY_OF_WEEK"
        default: nil
        }
    }

    /// Powertools' `TimeValues.days()`, which (faithfully reproduced) also admits "DAYS".
    public static let validDayNames: [String] = ["DAYS", "SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]
}
