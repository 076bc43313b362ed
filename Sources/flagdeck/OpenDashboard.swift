import FlagDeckCore
import Foundation

/// Opens the dashboard on `path` and returns the process exit code; `now` pins the
/// dashboard's clock when `flagdeck demo --now` was given. The dashboard (FlagDeckTUI)
/// is merged separately; until then this explains where the demo is. When it lands the
/// body becomes `Dashboard.run(DashboardOptions(dbPath: path, now: now))`.
func openDashboard(path: String, now: Date?) -> Int32 {
    FileHandle.standardError.write(Data("""
        flagdeck: the dashboard is not part of this build; the demo database is at \(path)
        try `flagdeck list --db \(path)`

        """.utf8))
    return 1
}
