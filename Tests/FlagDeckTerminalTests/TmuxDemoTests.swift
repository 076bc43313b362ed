import FlagDeckTestSupport
import Foundation
import Testing

/// Issue 3 acceptance, "Demo under tmux": `flagdeck demo` on a fresh `--db` path builds
/// the demo and opens the dashboard, showing the grid with its account headers and
/// flags, and `q` quits cleanly back to a sane shell.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"), .serialized)
struct TmuxDemoTests {
    @Test func demoOpensTheGridAndQuitsCleanly() throws {
        let dir = RepoRoot.temporaryDirectory("flagdeck-demo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/fresh/demo.sqlite"
        #expect(!FileManager.default.fileExists(atPath: db))
        // Run from an unrelated directory: the demo finds sample-data/ on its own.
        let d = try DashboardDriver(shell: "cd /; exec \"\(Flagdeck.binary)\" demo --db \"\(db)\"", dir: dir)
        defer { d.close() }

        // Flag rows: lines below the headers that carry cell states.
        func rows(_ s: String) -> [String] {
            s.split(separator: "\n").map(String.init).filter { l in ["ON", "OFF", "KILL", "%", "RULES"].contains { l.contains($0) } }
        }
        // Building the demo takes a moment; then the grid appears with every account header
        // and a screenful of flags. Polled as one condition: a capture can land mid-draw.
        let s = try d.expect("the demo grid with its flags", timeout: 30) { s in
            ["sandbox", "platform-prod", "payments-prod"].allSatisfy { s.contains($0) } && rows(s).count >= 20
        }
        let lines = s.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains(db) == true || s.contains("demo.sqlite"), "header names the database")
        #expect(s.contains("flags"))
        #expect(rows(s).count >= 20, "flags on screen, found \(rows(s).count) rows:\n\(s)")
        #expect(FileManager.default.fileExists(atPath: db), "the demo database was built at --db")

        let after = try d.quit()
        #expect(TmuxDashboardTests.restoredTerminal(after))
        #expect(!after.contains("platform-prod"), "the grid is gone after quitting")
    }
}
