import Foundation

/// Every setting key flagdeck knows, whichever feature owns it: the lifecycle thresholds
/// (`LifecycleSettings`) and the dashboard's AppConfig polling (`AppConfigPollSettings`).
/// `settings set/show/reset` and `Operations.setSetting` go through here, so a new key is
/// validated, listed and documented in one place.
public enum SettingKeys {
    public static var all: [String] { LifecycleSettings.keys + AppConfigPollSettings.keys }

    /// The canonical text stored for `value`; an unknown key or a bad value is an error.
    public static func normalize(key: String, value: String) throws(FlagDeckError) -> String {
        if AppConfigPollSettings.keys.contains(key) { return try AppConfigPollSettings.normalize(key: key, value: value) }
        guard LifecycleSettings.keys.contains(key) else { throw .unknownSetting(key, known: all) }
        return try LifecycleSettings.normalize(key: key, value: value)
    }

    /// The value in force for `key` given the table's contents (a default when unset).
    public static func value(forKey key: String, in table: [String: String]) throws(FlagDeckError) -> String? {
        if AppConfigPollSettings.keys.contains(key) { return try AppConfigPollSettings.load(table).value(forKey: key) }
        return try LifecycleSettings.load(table).value(forKey: key)
    }

    public static func help(forKey key: String) -> String {
        AppConfigPollSettings.keys.contains(key) ? AppConfigPollSettings.help(forKey: key) : LifecycleSettings.help(forKey: key)
    }
}
