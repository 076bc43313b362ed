import Foundation

/// Thresholds the lifecycle analytics judge flags by. They live in the `setting` table so
/// a team can tune them for everyone (and every change is audited, see
/// `Operations.setSetting`); anything not set falls back to the defaults below, which
/// are the issue's: a 4-week stable window, 40-day release and experiment lifetimes,
/// 7-day operational flags, kill switches and permissions that never expire, and a kill
/// left in place for more than 7 days.
public struct LifecycleSettings: Hashable, Sendable {
    /// How long a flag must sit still before `retire`, `remove` or `stuck` is suggested.
    public var stableWindowDays: Int
    /// Expected lifetime per type in days; a `nil` value means "never overdue".
    public var lifetimeDays: [FlagType: Int?]
    /// A kill older than this is an incident nobody closed.
    public var longKillDays: Int
    /// How long `review mark --snooze` silences a flag when no date is given.
    public var snoozeDays: Int
    /// The report's "marks since the last review" window when `--since` is not given.
    public var reviewPeriodDays: Int

    public init(stableWindowDays: Int = 28, lifetimeDays: [FlagType: Int?] = LifecycleSettings.defaultLifetimes,
                longKillDays: Int = 7, snoozeDays: Int = 14, reviewPeriodDays: Int = 30) {
        self.stableWindowDays = stableWindowDays
        // Types not mentioned keep their default lifetime rather than becoming "never".
        self.lifetimeDays = LifecycleSettings.defaultLifetimes.merging(lifetimeDays) { _, given in given }
        self.longKillDays = longKillDays
        self.snoozeDays = snoozeDays
        self.reviewPeriodDays = reviewPeriodDays
    }

    public static let defaultLifetimes: [FlagType: Int?] = [
        .release: 40, .experiment: 40, .operational: 7, .killSwitch: nil, .permission: nil,
    ]

    public static let defaults = LifecycleSettings()

    /// The lifetime of a type in days, or nil for "never overdue".
    public func lifetime(of type: FlagType) -> Int? {
        lifetimeDays[type] ?? nil
    }

    public var stableWindow: TimeInterval { Self.seconds(days: stableWindowDays) }
    public var longKill: TimeInterval { Self.seconds(days: longKillDays) }

    static func seconds(days: Int) -> TimeInterval { TimeInterval(days) * 86_400 }
}

// MARK: Keys and parsing

extension LifecycleSettings {
    public static let stableWindowKey = "lifecycle.stable_window_days"
    public static let longKillKey = "lifecycle.long_kill_days"
    public static let snoozeKey = "lifecycle.snooze_days"
    public static let reviewPeriodKey = "lifecycle.review_period_days"
    public static func lifetimeKey(_ type: FlagType) -> String { "lifecycle.lifetime_days.\(type.rawValue)" }

    /// Every key this type reads, in the order `settings show` lists them.
    public static var keys: [String] {
        [stableWindowKey] + FlagType.allCases.map(lifetimeKey) + [longKillKey, snoozeKey, reviewPeriodKey]
    }

    /// Largest accepted number of days: ten years. Bigger is almost surely a typo.
    public static let maxDays = 3_650

    /// Reads the lifecycle keys from the `setting` table's contents. Other keys are ignored
    /// (other features own them); a lifecycle key with a bad value is an error naming it,
    /// because silently falling back would judge flags by numbers nobody chose.
    public static func load(_ table: [String: String]) throws(FlagDeckError) -> LifecycleSettings {
        var s = LifecycleSettings.defaults
        if let v = table[stableWindowKey] { s.stableWindowDays = try days(v, key: stableWindowKey) }
        if let v = table[longKillKey] { s.longKillDays = try days(v, key: longKillKey) }
        if let v = table[snoozeKey] { s.snoozeDays = try days(v, key: snoozeKey) }
        if let v = table[reviewPeriodKey] { s.reviewPeriodDays = try days(v, key: reviewPeriodKey) }
        for t in FlagType.allCases {
            let key = lifetimeKey(t)
            if let v = table[key] { s.lifetimeDays[t] = .some(try lifetime(v, key: key)) }
        }
        return s
    }

    /// Loads from a store.
    public static func load(from r: any StoreReading) throws -> LifecycleSettings {
        try load(try r.settings())
    }

    /// Checks one value for one key and returns its canonical text (what gets stored).
    public static func normalize(key: String, value: String) throws(FlagDeckError) -> String {
        guard keys.contains(key) else { throw .unknownSetting(key, known: keys) }
        if key.hasPrefix("lifecycle.lifetime_days.") {
            return try lifetime(value, key: key).map(String.init) ?? "never"
        }
        return String(try days(value, key: key))
    }

    /// The value currently in force for a key, as text (`never` for an unlimited lifetime).
    public func value(forKey key: String) -> String? {
        switch key {
        case Self.stableWindowKey: String(stableWindowDays)
        case Self.longKillKey: String(longKillDays)
        case Self.snoozeKey: String(snoozeDays)
        case Self.reviewPeriodKey: String(reviewPeriodDays)
        default:
            FlagType.allCases.first { Self.lifetimeKey($0) == key }.map { lifetime(of: $0).map(String.init) ?? "never" }
        }
    }

    /// What each key means, for `settings show`.
    public static func help(forKey key: String) -> String {
        switch key {
        case stableWindowKey: "days a flag must be unchanged before retire/remove/stuck"
        case longKillKey: "a kill older than this many days is a long-kill"
        case snoozeKey: "default length of `review mark --snooze`, in days"
        case reviewPeriodKey: "the report lists marks made in this many days before --now"
        default: "expected lifetime in days before a flag of this type is overdue, or never"
        }
    }

    static func days(_ text: String, key: String) throws(FlagDeckError) -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), t.utf8.count <= 5,
              let n = Int(t), (1...maxDays).contains(n) else {
            throw .invalidSetting(key: key, value: text, expected: "a whole number of days from 1 to \(maxDays)")
        }
        return n
    }

    static func lifetime(_ text: String, key: String) throws(FlagDeckError) -> Int? {
        if text.trimmingCharacters(in: .whitespaces).lowercased() == "never" { return nil }
        do {
            return try days(text, key: key)
        } catch {
            throw .invalidSetting(key: key, value: text, expected: "a whole number of days from 1 to \(maxDays), or never")
        }
    }
}
