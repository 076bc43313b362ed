import Foundation
import Testing

@Suite("CLI round trip")
struct RoundTripTests {
    @Test func rolloutKillUnkillKillAllLeavesOneEventPerChange() throws {
        let fx = try CLIFixture()
        let start = try fx.history().count
        try fx.ok(["enable", "checkout.v2", "--env", "payments/prod", "--reason", "launch"])
        try fx.ok(["rollout", "checkout.v2", "--env", "payments/prod", "--percent", "25.5", "--reason", "ramp"])
        let kill = try fx.ok(["kill", "checkout.v2", "--env", "payments/prod", "--reason", "5xx spike", "--yes"])
        #expect(kill.stdout.contains("KILLED checkout.v2 in payments/prod"))
        try fx.ok(["unkill", "checkout.v2", "--env", "payments/prod", "--reason", "fixed", "--yes"])
        let all = try fx.ok(["kill", "checkout.v2", "--all-envs", "--reason", "incident 7", "--yes"])
        #expect(all.stdout.components(separatedBy: "KILLED").count - 1 == 4)

        let events = try fx.history()
        #expect(events.count == start + 8)
        let mine = events.prefix(8).reversed().map { $0["action"] as! String }
        #expect(mine == ["enable", "rollout", "kill", "unkill", "kill", "kill", "kill", "kill"])
        for e in events {
            #expect(e["operator"] as? String == CLIRunner.osUser)
            #expect((e["at"] as? String)?.hasSuffix("Z") == true)
            for key in ["seq", "at", "operator", "action", "flag", "env", "before", "after", "reason"] {
                #expect(e.keys.contains(key), "history event lacks \(key)")
            }
        }
        let killEvent = events[5]
        #expect(killEvent["reason"] as? String == "5xx spike")
        #expect((killEvent["after"] as? [String: Any])?["killed"] as? Bool == true)

        let verify = try fx.run(["audit", "verify"])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("\(events.count) events"))

        try fx.ok(["unkill", "checkout.v2", "--env", "payments/prod", "--reason", "restored", "--yes"])
        let show = try CLIRunner.json(try fx.ok(["show", "checkout.v2", "--json"]).stdout) as! [String: Any]
        let prod = (show["states"] as! [String: Any])["payments/prod"] as! [String: Any]
        #expect(prod["state"] as? String == "partial")
        #expect(prod["enabled"] as? Bool == true)
        #expect(prod["killed"] as? Bool == false)
        #expect((prod["rollout"] as? NSNumber)?.doubleValue == 25.5)
    }

    @Test func listJSONHasTheDocumentedShape() throws {
        let fx = try CLIFixture()
        try fx.ok(["rollout", "search-ranking", "--env", "sandbox/dev", "--percent", "5"])
        try fx.ok(["enable", "search-ranking", "--env", "sandbox/dev"])
        let doc = try CLIRunner.json(try fx.ok(["list", "--json", "--env", "dev"]).stdout) as! [String: Any]
        let envs = doc["environments"] as! [[String: Any]]
        #expect(envs.map { $0["id"] as! String } == ["sandbox/dev"])
        let flags = doc["flags"] as! [[String: Any]]
        #expect(flags.map { $0["key"] as! String } == ["beta.api", "checkout.v2", "search-ranking"])
        let cell = ((flags[2]["states"] as! [String: Any])["sandbox/dev"]) as! [String: Any]
        #expect(cell["state"] as? String == "partial")
        let text = try fx.ok(["list"]).stdout
        #expect(text.contains("payments/prod*"))
        #expect(text.contains("5%"))
    }

    @Test func tamperedReasonIsDetectedAtItsSeq() throws {
        let fx = try CLIFixture()
        try fx.ok(["kill", "beta.api", "--env", "sandbox/dev", "--reason", "original", "--yes"])
        try fx.ok(["enable", "search-ranking", "--env", "sandbox/dev"])
        let seq = (try fx.history().first { $0["reason"] as? String == "original" })!["seq"] as! Int
        let sql = "DROP TRIGGER audit_event_no_update; UPDATE audit_event SET reason = 'nothing to see' WHERE seq = \(seq);"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [fx.db, sql]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let verify = try fx.run(["audit", "verify"])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("seq \(seq)"))
        #expect(verify.stderr.contains("edited content"))
        let json = try CLIRunner.json(try fx.run(["audit", "verify", "--json"]).stdout) as! [String: Any]
        #expect(json["first_bad_seq"] as? Int == seq)
        #expect(json["ok"] as? Bool == false)
    }

    @Test func auditHeadAnchorsTheLog() throws {
        let fx = try CLIFixture()
        let head = try fx.ok(["audit", "head"]).stdout.split(separator: " ")[1].trimmingCharacters(in: .whitespacesAndNewlines)
        try fx.ok(["enable", "beta.api", "--env", "sandbox/dev"])
        #expect(try fx.run(["audit", "verify", "--expect", head]).status == 0)
        #expect(try fx.run(["audit", "verify", "--expect", String(repeating: "f", count: 64)]).status == 1)
    }

    @Test func protectedKillOnATerminalWantsTheKeyTypedAndPipesNeedYes() throws {
        let fx = try CLIFixture()
        let r = try fx.run(["kill", "checkout.v2", "--env", "payments/prod", "--reason", "x"], stdin: "checkout.v2\n")
        #expect(r.status == 1)
        #expect(r.stderr.contains("not a terminal"))
        #expect(r.stderr.contains("--yes"))
    }

    @Test func staleExpectVersionIsExitCode2() throws {
        let fx = try CLIFixture()
        try fx.ok(["enable", "beta.api", "--env", "sandbox/dev"])
        let r = try fx.run(["rollout", "beta.api", "--env", "sandbox/dev", "--percent", "10", "--expect-version", "1"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("conflict"))
        #expect(r.stderr.contains(CLIRunner.osUser))
    }
}
