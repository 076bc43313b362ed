import FlagDeckCore
import FlagDeckTUI
import Foundation

/// Opens the dashboard on `path` and returns the process exit code; `now` pins the
/// dashboard's clock when `flagdeck demo --now` was given.
func openDashboard(path: String, now: Date?) -> Int32 {
    Dashboard.run(DashboardOptions(dbPath: path, now: now))
}
