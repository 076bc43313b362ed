import Foundation

/// How the CLI opens the dashboard.
public struct DashboardOptions: Sendable {
    public var dbPath: String
    /// `--read-only`: every mutating key is hidden. A read-only database file forces it too.
    public var readOnly: Bool
    /// `--theme NAME|PATH`; nil falls back to `$FLAGDECK_THEME`, then the default theme.
    public var theme: String?
    /// Pretend time that ages, hints and recent markers are judged by (reproducible
    /// screens); nil is the real clock. Changes made in the dashboard are always recorded
    /// at the real time.
    public var now: Date?
    /// Cells changed within this many seconds are highlighted.
    public var recentWindow: TimeInterval

    public init(dbPath: String, readOnly: Bool = false, theme: String? = nil, now: Date? = nil,
                recentWindow: TimeInterval = 86_400) {
        self.dbPath = dbPath
        self.readOnly = readOnly
        self.theme = theme
        self.now = now
        self.recentWindow = recentWindow
    }
}
