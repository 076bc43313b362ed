import Foundation

/// How often the dashboard polls an AppConfig binding. AppConfigData tells each session
/// how long to wait (`NextPollIntervalInSeconds`, 30–60 s: the interval applications use).
/// An operator watching a kill deploy wants to see it sooner than an application would, so
/// `appconfig.poll_floor_seconds` sets the floor under the dashboard's freshness: it polls
/// at AppConfig's interval or every N seconds, whichever comes first. Unset, AppConfig's
/// interval rules. Like every setting it lives in the `setting` table and changing it is
/// audited (`Operations.setSetting`), so a team shares one number.
public struct AppConfigPollSettings: Hashable, Sendable {
    /// Seconds; nil when not set.
    public var floorSeconds: Int?

    public init(floorSeconds: Int? = nil) {
        self.floorSeconds = floorSeconds
    }

    public static let floorKey = "appconfig.poll_floor_seconds"
    public static var keys: [String] { [floorKey] }
    /// An hour: a longer wait would hide a kill's deployment from the operator who made it.
    public static let maxSeconds = 3_600
    /// What AWS documents as a session's default interval, used before AppConfigData has
    /// answered once (and after an answer without one).
    public static let defaultIntervalSeconds = 60

    /// Reads the key from the `setting` table's contents; a bad stored value is an error
    /// naming the key, as for the lifecycle thresholds.
    public static func load(_ table: [String: String]) throws(FlagDeckError) -> AppConfigPollSettings {
        guard let v = table[floorKey] else { return AppConfigPollSettings() }
        return AppConfigPollSettings(floorSeconds: try seconds(v))
    }

    public static func normalize(key: String, value: String) throws(FlagDeckError) -> String {
        guard keys.contains(key) else { throw .unknownSetting(key, known: keys) }
        return String(try seconds(value))
    }

    /// The value in force, as `settings show` lists it: `off` when unset (AppConfig's interval rules).
    public func value(forKey key: String) -> String? {
        key == Self.floorKey ? floorSeconds.map(String.init) ?? "off" : nil
    }

    public static func help(forKey key: String) -> String {
        "the dashboard polls each AppConfig binding at least every this many seconds (AppConfig's interval when shorter)"
    }

    /// How long the dashboard waits before polling a binding again, given what
    /// AppConfigData last suggested (nil before its first answer).
    public func interval(suggested: Int?) -> TimeInterval {
        let appConfig = suggested.flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultIntervalSeconds
        return TimeInterval(min(appConfig, floorSeconds ?? appConfig))
    }

    static func seconds(_ text: String) throws(FlagDeckError) -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.utf8.count <= 5, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(t),
              (1...maxSeconds).contains(n) else {
            throw .invalidSetting(key: floorKey, value: text, expected: "a whole number of seconds from 1 to \(maxSeconds)")
        }
        return n
    }
}
