import FlagDeckCore
import Foundation

/// Opens the dashboard on `path` and returns the process exit code. The dashboard
/// (FlagDeckTUI) is merged separately; until then this explains where the demo is.
func openDashboard(path: String) -> Int32 {
    FileHandle.standardError.write(Data("""
        flagdeck: the dashboard is not part of this build; the demo database is at \(path)
        try `flagdeck list --db \(path)`

        """.utf8))
    return 1
}
