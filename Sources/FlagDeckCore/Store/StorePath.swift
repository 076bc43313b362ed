import Foundation

/// Where the database lives: `--db`, else `$FLAGDECK_DB`, else the XDG data directory.
public enum StorePath {
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["FLAGDECK_DB"], !env.isEmpty { return env }
        return dataDirectory(environment: environment) + "/flagdeck.sqlite"
    }

    public static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/flagdeck" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/flagdeck"
    }
}
