import FlagDeckTestSupport
import Foundation
import Testing

/// No change may reach a document without an audit row, even after a crash between the
/// write and the commit. The push is SIGKILLed at each of its steps, 20 times per step,
/// alternating kills, unkills and disables; after every crash the next command settles the
/// intent, and the log must account for exactly what the document shows.
@Suite("Push crashes")
struct PushCrashTests {
    static let doc = """
        {
          "checkout": {"default": true},
          "search": {"default": true}
        }

        """

    static let points = ["intent-recorded", "file-written", "source-written", "committed"]

    @Test(arguments: points)
    func everyDocumentChangeIsAuditedAfterACrashAt(_ point: String) throws {
        let fx = try SourceFixture(document: Self.doc, format: "powertools")
        for round in 0..<20 {
            let cell = try Self.cell(fx, "checkout")
            let args: [String]
            if cell["killed"] as? Bool == true {
                args = ["unkill", "checkout", "--env", fx.env, "--reason", "round \(round)", "--yes"]
            } else if round % 3 == 2 {
                args = [cell["enabled"] as? Bool == true ? "disable" : "enable", "checkout", "--env", fx.env, "--reason", "round \(round)"]
            } else {
                args = ["kill", "checkout", "--env", fx.env, "--reason", "round \(round)", "--yes"]
            }
            let docBefore = try fx.text()
            let eventsBefore = try fx.history().count
            let crashed = try fx.run(args, env: ["FLAGDECK_TEST_CRASH_AT": point])
            #expect(crashed.status == 137, "round \(round): \(args[0]) at \(point) exited \(crashed.status): \(crashed.stderr)")
            // The next writing command settles whatever the crash left.
            let settle = try fx.run(["sync"])
            #expect(settle.status == 0, "round \(round): \(settle.stderr)")
            let docAfter = try fx.text()
            let history = try fx.history()
            let newEvents = history.prefix(history.count - eventsBefore)
            let docChanged = docAfter != docBefore
            let recorded = newEvents.contains { $0["action"] as? String == args[0] }
            // A change that reached the document is always in the log. (A change that did not
            // need to touch it — a kill of a flag the document already serves as off — may be
            // recorded without a document change.)
            if docChanged {
                #expect(recorded, "round \(round) at \(point): the document changed but \(args[0]) is not in the log: \(newEvents.map { $0["action"] ?? "" })")
            }
            if !recorded {
                #expect(point == "intent-recorded" || point == "file-written", "round \(round): \(args[0]) lost after \(point)")
                #expect(newEvents.contains { $0["action"] as? String == "push.abandoned" }, "round \(round): no push.abandoned")
            }
            if point == "committed" || point == "source-written" { #expect(recorded, "round \(round) at \(point): not recorded") }
            if point == "source-written" {
                let e = try #require(newEvents.first { $0["action"] as? String == args[0] })
                let source = (e["after"] as? [String: Any])?["source"] as? [String: Any]
                #expect(source?["recovered"] as? Bool == true, "round \(round): recovered event not marked")
                #expect(e["reason"] as? String == "round \(round)", "the original reason is kept")
                #expect(e["operator"] as? String == CLIRunner.osUser)
            }
            // The inventory agrees with the document: what the application serves (checked every
            // fourth round; each check starts the real consumer).
            #expect(try fx.run(["audit", "verify"]).status == 0, "round \(round): the chain does not verify")
            guard round % 4 == 3 else { continue }
            let served = try Consumers.powertools(document: fx.doc, contexts: ["{}"], flags: ["checkout"])
            let now = try Self.cell(fx, "checkout")
            let on = now["killed"] as? Bool == false && now["enabled"] as? Bool == true
            #expect(served.values("checkout") == [on ? "true" : "false"], "round \(round): inventory and document disagree")
        }
        // Nothing is left pending.
        #expect(try fx.run(["sync"]).stderr.contains("settled") == false)
    }

    static func cell(_ fx: SourceFixture, _ flag: String) throws -> [String: Any] {
        let list = try CLIRunner.json(try fx.ok(["list", "--json"]).stdout) as! [String: Any]
        let f = (list["flags"] as! [[String: Any]]).first { $0["key"] as? String == flag }!
        return (f["states"] as! [String: [String: Any]])[fx.env]!
    }
}
