import ArgumentParser
import FlagDeckCore
import Foundation

/// `flagdeck settings`: the thresholds the lifecycle review judges by, and how often the
/// dashboard polls AppConfig (`SettingKeys`). Every change is an
/// audited `setting.set` event with a reason.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Show or change lifecycle thresholds and AppConfig polling (changes are audited).",
        subcommands: [SettingsShow.self, SettingsSet.self, SettingsReset.self], defaultSubcommand: SettingsShow.self)
}

struct SettingsShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Every setting with its value in force.")
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "JSON output.") var json = false

    func run() throws {
        try CLI.run {
            let stored = try db.open().read { try $0.settings() }
            let rows = try SettingKeys.all.map { key in
                (key, try SettingKeys.value(forKey: key, in: stored) ?? "", stored[key] == nil, SettingKeys.help(forKey: key))
            }
            if json {
                CLI.out(JSONValue.array(rows.map { r in
                    .object([("key", .string(r.0)), ("value", .string(r.1)), ("default", .bool(r.2)), ("help", .string(r.3))])
                }).render())
            } else {
                CLI.out(Render.table(["KEY", "VALUE", "SOURCE", "MEANING"], rows.map { [$0.0, $0.1, $0.2 ? "default" : "set", $0.3] }))
            }
        }
    }
}

struct SettingsSet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a setting (audited as setting.set).")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Setting key, e.g. lifecycle.stable_window_days.") var key: String
    @Argument(help: "New value: whole days, or `never` for a lifetime.") var value: String
    @Option(help: "Why (required).") var reason: String

    func run() throws {
        try CLI.run {
            let e = try CLI.operations(try db.open()).setSetting(key, to: value, reason: reason)
            CLI.out("set \(key) = \(try SettingKeys.normalize(key: key, value: value)) (audit seq \(e.seq))")
        }
    }
}

struct SettingsReset: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reset", abstract: "Return a setting to its default (audited).")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Setting key.") var key: String
    @Option(help: "Why (required).") var reason: String

    func run() throws {
        try CLI.run {
            let e = try CLI.operations(try db.open()).setSetting(key, to: nil, reason: reason)
            CLI.out("reset \(key) to its default \((try? SettingKeys.value(forKey: key, in: [:])).flatMap { $0 } ?? "") (audit seq \(e.seq))")
        }
    }
}
