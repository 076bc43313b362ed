import FlagDeckCore
import Foundation

/// What every screen needs besides its own state: how to look and what time it is.
public struct RenderContext: Sendable {
    public var theme: Theme
    public var glyphs: Glyphs
    public var operatorName: String
    public var now: Date
    public var lastRefresh: Date?
    public var recentWindow: TimeInterval
    public var readOnly: Bool
    /// False when polling the store failed; the header says so instead of pretending.
    public var live: Bool
    /// The rest of the grid is still being read (the first frame shows the first rows).
    public var loading: Bool
    /// The team database's server is away: what shows is what was last read.
    public var reconnecting = false
    /// Each AppConfig-bound environment's newest deployment, as the background poll found it.
    public var deployments: [EnvironmentID: BindingDeployment] = [:]

    public init(theme: Theme, glyphs: Glyphs, operatorName: String, now: Date, lastRefresh: Date?,
                recentWindow: TimeInterval, readOnly: Bool, live: Bool, loading: Bool = false) {
        self.theme = theme
        self.glyphs = glyphs
        self.operatorName = operatorName
        self.now = now
        self.lastRefresh = lastRefresh
        self.recentWindow = recentWindow
        self.readOnly = readOnly
        self.live = live
        self.loading = loading
    }

    /// `HH:MM:SS` in UTC, matching the audit log's times.
    public static func clock(_ d: Date) -> String {
        String(UTC.format(d).dropFirst(11).prefix(8))
    }
}
