import FlagDeckTestSupport
import Foundation
import Testing

/// Bound files under tmux: another program edits the file the application reads, and the
/// dashboard — nobody touching the keyboard — shows it, marked as changed outside
/// flagdeck; a kill from the dialog says where it goes and lands in the file.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"), .serialized)
struct TmuxSourcesTests {
    /// A database whose one environment, `web/prod`, lives in a Powertools file.
    struct BoundFixture {
        let dir: String
        let db: String
        let doc: String

        init() throws {
            dir = RepoRoot.temporaryDirectory("flagdeck-terminal-sources")
            db = dir + "/flags.sqlite"
            doc = dir + "/features.json"
            try Self.write(doc, """
                {
                  "checkout": {"default": false},
                  "search": {"default": true}
                }

                """)
            try ok(["init"])
            try ok(["source", "add", "web/prod", "file:" + doc, "--format", "powertools", "--reason", "bind"])
        }

        /// Another program writing the file the way editors and deploy tools do: a
        /// temporary file renamed over it.
        static func write(_ path: String, _ text: String) throws {
            let tmp = path + ".tmp-\(getpid())"
            try text.write(toFile: tmp, atomically: false, encoding: .utf8)
            guard rename(tmp, path) == 0 else { throw TerminalTestError("cannot rename over \(path)") }
        }

        @discardableResult
        func ok(_ args: [String]) throws -> ProcessResult {
            let r = try Flagdeck.run(args + ["--db", db])
            guard r.status == 0 else {
                throw TerminalTestError("`flagdeck \(args.joined(separator: " "))` exited \(r.status): \(r.stderr)")
            }
            return r
        }

        func events(action: String) throws -> [[String: Any]] {
            let out = try ok(["history", "--json"]).stdout
            let all = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]] ?? []
            return all.filter { ($0["action"] as? String) == action }
        }
    }

    @Test func anEditByAnotherProgramAppearsWithinOneSecondAndAKillReachesTheFile() throws {
        let f = try BoundFixture()
        let d = try DashboardDriver(db: f.db, dir: f.dir)
        defer { d.close() }
        try d.waitForGrid()
        try d.expectCell(flag: "checkout", env: "web/prod", shows: "OFF")
        // The header names the cursor column's source.
        try d.expect(text: "features.json")

        try BoundFixture.write(f.doc, """
            {
              "checkout": {"default": true},
              "search": {"default": true}
            }

            """)
        let edited = Date()
        let cell = try d.expectCell(flag: "checkout", env: "web/prod", shows: "ON", timeout: 1.0)
        #expect(Date().timeIntervalSince(edited) < 1.0)
        let shown = GridReading(ScreenText(plain: cell))?.cell(flag: "checkout", env: "web/prod") ?? ""
        #expect(shown.contains("↓"), "the cell is marked as changed outside flagdeck: \(shown)")
        let syncs = try f.events(action: "sync")
        #expect(syncs.count == 1 && syncs.first?["flag"] as? String == "checkout")
        let after = syncs.first?["after"] as? [String: Any]
        #expect((after?["source"] as? [String: Any])?["origin"] as? String == "external", "\(syncs)")

        let dialog = try d.openKillDialog("checkout", env: "web/prod")
        #expect(dialog.contains("goes to the source: writes"), "\(dialog)")
        #expect(dialog.contains("features.json"))
        let status = try d.confirm(reason: "errors after the edit", flag: "checkout")
        #expect(status.contains("killed checkout in web/prod"), "\(status)")
        try d.expectCell(flag: "checkout", env: "web/prod", shows: "✖KILL")
        let text = try String(contentsOfFile: f.doc, encoding: .utf8)
        #expect(text.contains("\"search\": {\"default\": true}"), "the other flag is left as it was:\n\(text)")
        #expect(!text.contains("\"checkout\": {\"default\": true}"), "the kill reached the file:\n\(text)")
        try d.quit()
    }

    @Test func aFlagGoneFromTheDocumentShowsAbsentAndOneThatNoLongerParsesMarksTheHeader() throws {
        let f = try BoundFixture()
        let d = try DashboardDriver(db: f.db, dir: f.dir)
        defer { d.close() }
        try d.waitForGrid()
        try d.expectCell(flag: "search", env: "web/prod", shows: "ON")
        // Gone from the document: shown absent, its history kept.
        try BoundFixture.write(f.doc, "{\n  \"checkout\": {\"default\": false}\n}\n")
        try d.expectCell(flag: "search", env: "web/prod", shows: "—", timeout: 1.0)
        #expect(try f.events(action: "sync").count == 1)
        try BoundFixture.write(f.doc, "{\n  \"checkout\": {\"default\": tru}\n}\n")
        let s = try d.expect(text: "SYNC FAILED", timeout: 2)
        #expect(s.contains("features.json:2"), "the error names file and line:\n\(s)")
        try d.expectCell(flag: "search", env: "web/prod", shows: "—")
        #expect(try f.events(action: "sync").count == 1, "the unparseable document recorded nothing")
        try d.quit()
    }
}
