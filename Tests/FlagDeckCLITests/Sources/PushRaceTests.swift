import FlagDeckTestSupport
import Foundation
import Testing

/// Another program edits the document between flagdeck's read and its write (the test
/// pauses flagdeck there deterministically). Its edit is never lost: a kill lands on top
/// of it; any other change to the same flag refuses with a conflict (exit 2); a change to
/// another flag retries on top.
@Suite("Push races")
struct PushRaceTests {
    static let doc = """
        {
          "checkout": {"default": true},
          "search": {"default": true},
          "banner": {"default": false}
        }

        """

    /// Runs `args` paused before its write, applies `edit` to the document, lets it go.
    func racing(_ fx: SourceFixture, _ args: [String], _ edit: (String) -> String) throws -> CLIResult {
        let prefix = fx.dir + "/pause"
        nonisolated(unsafe) var result: CLIResult?
        let done = DispatchSemaphore(value: 0)
        let dbPath = fx.db
        Thread.detachNewThread {
            result = try? CLIRunner.run(args + ["--db", dbPath], env: ["FLAGDECK_TEST_PAUSE_BEFORE_WRITE": prefix])
            done.signal()
        }
        let paused = Deadline.until(30) { FileManager.default.fileExists(atPath: prefix + ".ready") }
        #expect(paused, "flagdeck never reached its write")
        fx.write(edit(try fx.text()))
        FileManager.default.createFile(atPath: prefix + ".go", contents: Data())
        #expect(done.wait(timeout: .now() + 60) == .success)
        return try #require(result)
    }

    @Test func aKillLandsOnTopOfAnEditMadeMeanwhile() throws {
        let fx = try SourceFixture(document: Self.doc, format: "powertools")
        let r = try racing(fx, ["kill", "checkout", "--env", fx.env, "--reason", "incident", "--yes"]) {
            $0.replacingOccurrences(of: "\"search\": {\"default\": true}", with: "\"search\": {\"default\": false}")
        }
        #expect(r.status == 0, "\(r.stderr)")
        let now = try CLIRunner.json(try fx.text()) as! [String: [String: Any]]
        #expect(now["checkout"]?["default"] as? Bool == false, "the kill reached the document")
        #expect(now["search"]?["default"] as? Bool == false, "the other writer's edit survived")
    }

    @Test func aKillNeverWaitsEvenWhenItsOwnFlagWasChanged() throws {
        let fx = try SourceFixture(document: Self.doc, format: "powertools")
        let r = try racing(fx, ["kill", "checkout", "--env", fx.env, "--reason", "incident", "--yes"]) {
            $0.replacingOccurrences(of: "\"checkout\": {\"default\": true}",
                                    with: "\"checkout\": {\"default\": true, \"rules\": {\"vip\": {\"when_match\": true, \"conditions\": [{\"action\": \"EQUALS\", \"key\": \"tier\", \"value\": \"vip\"}]}}}")
        }
        #expect(r.status == 0, "\(r.stderr)")
        let now = try CLIRunner.json(try fx.text()) as! [String: [String: Any]]
        #expect(now["checkout"]?["default"] as? Bool == false)
        #expect(now["checkout"]?["rules"] == nil)
        // Unkill restores what the kill really found, the other writer's rule included.
        #expect(try fx.unkill("checkout").status == 0)
        let restored = try CLIRunner.json(try fx.text()) as! [String: [String: Any]]
        #expect((restored["checkout"]?["rules"] as? [String: Any])?["vip"] != nil)
    }

    @Test func anyOtherChangeToTheSameFlagRefusesWithAConflict() throws {
        let fx = try SourceFixture(document: Self.doc, format: "powertools")
        let events = try fx.history().count
        let r = try racing(fx, ["disable", "checkout", "--env", fx.env, "--reason", "wind down"]) {
            $0.replacingOccurrences(of: "\"checkout\": {\"default\": true}", with: "\"checkout\": {\"default\": true, \"owner\": \"x\"}")
        }
        #expect(r.status == 2, "exit \(r.status): \(r.stderr)")
        #expect(r.stderr.contains("changed in") && r.stderr.contains("outside flagdeck"), "\(r.stderr)")
        #expect(try fx.text().contains("\"owner\": \"x\""), "the other writer's edit survived")
        #expect(try fx.history().filter { $0["action"] as? String == "disable" }.isEmpty)
        #expect(try fx.history().count == events)
    }

    @Test func aChangeToAnotherFlagRetriesOnTop() throws {
        let fx = try SourceFixture(document: Self.doc, format: "powertools")
        let r = try racing(fx, ["disable", "checkout", "--env", fx.env, "--reason", "wind down"]) {
            $0.replacingOccurrences(of: "\"banner\": {\"default\": false}", with: "\"banner\": {\"default\": true}")
        }
        #expect(r.status == 0, "\(r.stderr)")
        let now = try CLIRunner.json(try fx.text()) as! [String: [String: Any]]
        #expect(now["checkout"]?["default"] as? Bool == false)
        #expect(now["banner"]?["default"] as? Bool == true)
    }
}
