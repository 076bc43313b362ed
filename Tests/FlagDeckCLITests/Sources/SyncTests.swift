import FlagDeckTestSupport
import Foundation
import Testing

/// What changed outside flagdeck is recorded: one `sync` event per changed cell, with the
/// document's version and `origin: external`, by the account that ran the sync; a second
/// sync records nothing.
@Suite("Sync")
struct SyncTests {
    static let doc = """
        {
          "checkout": {"default": true},
          "search": {"default": true},
          "banner": {"default": false},
          "legacy": {"default": true}
        }

        """

    @Test func anExternalEditRecordsExactlyTheChangedCells() throws {
        let fx = try SourceFixture(document: Self.doc, format: "powertools")
        fx.write("""
            {
              "checkout": {"default": true},
              "search": {"default": false},
              "banner": {"default": true},
              "new_flag": {"default": true}
            }

            """)
        let before = try fx.history().count
        let r = try fx.ok(["sync", "--json"])
        let report = try #require((try CLIRunner.json(r.stdout) as? [[String: Any]])?.first)
        let changes = (report["changes"] as? [[String: Any]] ?? []).map { "\($0["kind"]!) \($0["flag"]!)" }.sorted()
        #expect(changes == ["absent legacy", "changed banner", "changed search", "created new_flag"])
        let events = try fx.history().prefix(try fx.history().count - before)
        let syncs = events.filter { $0["action"] as? String == "sync" }
        #expect(Set(syncs.compactMap { $0["flag"] as? String }) == ["search", "banner", "legacy", "new_flag"])
        for e in syncs {
            #expect(e["operator"] as? String == CLIRunner.osUser)
            let source = (e["after"] as? [String: Any])?["source"] as? [String: Any]
            #expect(source?["origin"] as? String == "external")
            #expect((source?["version"] as? String)?.hasPrefix("sha256:") == true)
        }
        #expect(events.contains { $0["action"] as? String == "flag.create" && $0["flag"] as? String == "new_flag" })
        // The flag gone from the document keeps its history; the grid shows it absent.
        #expect(try fx.history().contains { $0["flag"] as? String == "legacy" && $0["action"] as? String == "import" })

        let again = try fx.history().count
        let second = try fx.ok(["sync"])
        #expect(second.stdout.contains("no changes"))
        #expect(try fx.history().count == again, "a second sync recorded something")
    }

    @Test func aReformattedDocumentIsNotAChange() throws {
        let fx = try SourceFixture(document: Self.doc, format: "powertools")
        fx.write("{\"checkout\":{\"default\":true},\"search\":{\"default\":true},\"banner\":{\"default\":false},\"legacy\":{\"default\":true}}")
        let before = try fx.history().count
        #expect(try fx.ok(["sync"]).stdout.contains("no changes"))
        #expect(try fx.history().count == before)
        // …and the next push does not mistake it for someone else's edit.
        #expect(try fx.run(["disable", "search", "--env", fx.env, "--reason", "x"]).status == 0)
    }

    @Test func aDocumentThatCannotBeParsedIsReportedWithItsLineAndChangesNothing() throws {
        let fx = try SourceFixture(document: Self.doc, format: "powertools")
        fx.write("{\n  \"checkout\": {\"default\": true},\n  \"search\": {\"default\": tru}\n}\n")
        let before = try fx.bytes()
        let r = try fx.run(["sync"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("features.json:3:"), "\(r.stderr)")
        let list = try fx.ok(["source", "list", "--json"])
        let b = try #require((try CLIRunner.json(list.stdout) as? [[String: Any]])?.first)
        #expect((b["error"] as? String)?.contains("cannot be parsed") == true)
        #expect(try fx.history().allSatisfy { $0["action"] as? String != "sync" })
        _ = before
        // A push never overwrites a document it cannot read.
        let kill = try fx.kill("checkout")
        #expect(kill.status != 0)
        #expect(try fx.text().contains("tru}"), "the broken document was overwritten")
    }
}
