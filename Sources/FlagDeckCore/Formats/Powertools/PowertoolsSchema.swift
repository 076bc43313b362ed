/// A validated Powertools feature-flag document. Every value is kept as parsed JSON so
/// that evaluation can follow Python exactly (a `when_match` may be any JSON for
/// non-boolean features, `boolean_type` is read by truthiness, and so on).
public struct PowertoolsConfig: Sendable {
    public var features: [PowertoolsFeature]
    /// The document as read (after the envelope), for byte-stable re-export.
    public var raw: JSONObject

    public init(features: [PowertoolsFeature], raw: JSONObject) {
        self.features = features
        self.raw = raw
    }

    public func feature(named name: String) -> PowertoolsFeature? {
        features.first { JSONCompare.sameScalars($0.name, name) }
    }
}

public struct PowertoolsFeature: Sendable {
    public var name: String
    /// `default` as written; non-null (the validator insists).
    public var defaultValue: JSONValue
    /// Truthiness of `boolean_type` (absent means true, for backwards compatibility).
    public var isBoolean: Bool
    /// The raw `rules` member: absent (nil), or any falsy value, or an object.
    public var rulesValue: JSONValue?
    public var rules: [PowertoolsRule]
}

public struct PowertoolsRule: Sendable {
    public var name: String
    /// `when_match`, or `.null` when absent (allowed for non-boolean features).
    public var whenMatch: JSONValue
    public var conditions: [PowertoolsCondition]
}

public struct PowertoolsCondition: Sendable {
    public var action: PowertoolsAction
    public var key: String
    public var value: JSONValue
    /// Pre-parsed schedule data, filled by the validator for the schedule actions.
    public var schedule: ScheduleSpec?
}

/// The parsed value of a `SCHEDULE_*` condition.
public struct ScheduleSpec: Sendable {
    public enum Kind: Sendable {
        /// Minutes since midnight.
        case timeRange(start: Int, end: Int)
        case datetimeRange(start: CivilDateTime, end: CivilDateTime)
        case daysOfWeek(Set<String>)
    }
    public var kind: Kind
    /// nil means the zone cannot be used at evaluation time, so the condition never matches.
    public var zone: ZoneRef?
}
