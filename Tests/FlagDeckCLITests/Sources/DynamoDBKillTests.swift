import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// Kill, unkill and the kill that holds, on a DynamoDB jobs table through the real binary,
/// with the seed's own `toggle_feature` as the application.
@Suite("DynamoDB kill", .serialized)
struct DynamoDBKillTests {
    /// 2,000 jobs: a third on, a third off, a third without the attribute.
    static func mixed(_ n: Int = 2_000) -> [DynamoDBItem] {
        DynamoDBFixture.jobs(n) { i in i % 3 == 0 ? .bool(true) : i % 3 == 1 ? .bool(false) : nil }
    }

    static func events(_ fx: DynamoDBFixture, _ action: String) throws -> [[String: Any]] {
        try fx.history().filter { $0["action"] as? String == action }.sorted { ($0["seq"] as! Int) < ($1["seq"] as! Int) }
    }

    @Test func theApplicationSeesTheKillAndExactlyItsOriginalValuesAfterUnkill() throws {
        let fx = try DynamoDBFixture(Self.mixed())
        let jobs = (0..<2_000).map(DynamoDBFixture.jobID)
        // What the seed reads for an item: the attribute, or False without it.
        let original = Dictionary(uniqueKeysWithValues: (0..<2_000).map { (DynamoDBFixture.jobID($0), $0 % 3 == 0 ? "true" : "false") })
        let before = try fx.attributes()

        let show = try CLIRunner.json(try fx.ok(["show", fx.flag, "--json"]).stdout) as! [String: Any]
        let cell = try #require((show["jobs"] as? [String: Any])?[fx.env] as? [String: Any])
        #expect(cell["summary"] as? String == "667/2k jobs")
        #expect((cell["jobs"] as? [Any])?.count == 1_334, "every job with the attribute is listed")
        let listed = try fx.ok(["override", "list", fx.flag, "--env", fx.env, "--json"]).stdout.split(separator: "\n")
        #expect(listed.count == 1_334)

        let k = try fx.kill()
        #expect(k.status == 0, "\(k.stderr)")
        #expect(k.stderr.contains("kill \(fx.flag) in \(fx.env): 667/667 jobs settled"), "progress on stderr: \(k.stderr)")
        let killed = try fx.seedReads(jobs)
        #expect(killed.values.allSatisfy { $0 == "false" }, "every job reads False after the kill")
        let after = try fx.attributes()
        for (job, v) in before where v == nil { #expect(after[job]! == nil, "\(job) had no attribute and still has none") }

        let kill = try #require(try Self.events(fx, "kill").last)
        let detail = DynamoDBFixture.jobs(kill)
        #expect(detail["changed_count"] as? Int == 667)
        let turned = DynamoDBFixture.changedJobs(kill)
        #expect(Set(turned.keys) == Set(before.filter { $0.value == .bool(true) }.keys), "the log names exactly the jobs turned off")
        #expect(turned.values.allSatisfy { $0 == "off" })
        let summary = try CLIRunner.json(try fx.ok(["show", fx.flag, "--json"]).stdout) as! [String: Any]
        #expect(((summary["jobs"] as? [String: Any])?[fx.env] as? [String: Any])?["summary"] as? String == "killed 0/2k jobs")

        let u = try fx.unkill()
        #expect(u.status == 0, "\(u.stderr)")
        #expect(try fx.seedReads(jobs) == original, "every job reads exactly its original value after unkill")
        #expect(try fx.attributes() == before, "the pre-kill table, item by item")
        let unkill = try #require(try Self.events(fx, "unkill").last)
        #expect(DynamoDBFixture.jobs(unkill)["changed_count"] as? Int == 667)
    }

    @Test func aJobTurnedOnWhileKilledIsTurnedOffByTheNextSyncAndUnkillSkipsOneChangedAfterTheKill() throws {
        let fx = try DynamoDBFixture(Self.mixed(300))
        #expect(try fx.kill().status == 0)
        // An end user flips their own job back on; another job that was on is changed by hand.
        try fx.otherClientSets("job-00001", .bool(true))   // was off before the kill
        try fx.otherClientSets("job-00003", nil)           // was on; the kill turned it off
        let s = try fx.ok(["sync", "--json"])
        let report = try #require((try CLIRunner.json(s.stdout) as? [[String: Any]])?.first)
        #expect(report["error"] is NSNull, "\(report)")
        #expect(try fx.attributes()["job-00001"]! == .bool(false), "the kill holds: turned off again")
        let syncs = try Self.events(fx, "sync")
        #expect(syncs.count == 1, "one sync event for the cell, not one per job")
        let changed = DynamoDBFixture.changedJobs(try #require(syncs.last))
        #expect(changed["job-00001"]?.contains("kill holds") == true, "\(changed)")
        #expect(changed["job-00003"] == "absent")
        #expect(((syncs.last?["after"] as? [String: Any])?["source"] as? [String: Any])?["held"] as? String == "1")
        // A second sync finds nothing new and records nothing.
        _ = try fx.ok(["sync"])
        #expect(try Self.events(fx, "sync").count == 1)

        let u = try fx.unkill()
        #expect(u.status == 0, "\(u.stderr)")
        let unkill = try #require(try Self.events(fx, "unkill").last)
        let skipped = (DynamoDBFixture.jobs(unkill)["skipped"] as? [[String: Any]] ?? []).map { $0["job"] as! String }
        #expect(skipped == ["job-00003"], "changed after the kill: skipped and reported, not overwritten")
        let a = try fx.attributes()
        #expect(a["job-00003"]! == nil)
        #expect(a["job-00001"]! == .bool(false), "back to what it held before the kill")
        #expect(a["job-00000"]! == .bool(true) && a["job-00006"]! == .bool(true))
    }

    @Test func aSigkillHalfwayThroughATenThousandItemKillIsResumedAndTheLogAccountsForEveryItem() throws {
        let fx = try DynamoDBFixture(DynamoDBFixture.jobs(10_000) { _ in .bool(true) })
        let crashed = try fx.kill(env: ["FLAGDECK_TEST_CRASH_AFTER_JOBS": "5000"])
        #expect(crashed.status != 0, "the kill was cut short")
        let midway = try fx.attributes().values.filter { $0 == .bool(false) }.count
        #expect(midway >= 5_000 && midway < 10_000, "halfway: \(midway) of 10,000 off")
        #expect(try Self.events(fx, "kill").isEmpty, "nothing recorded yet: the intent holds the plan")

        let r = try fx.ok(["source", "resume", fx.env])
        #expect(r.stdout.contains("kill \(fx.flag) in \(fx.env): recovered"), "\(r.stdout)")
        #expect(try fx.attributes().values.allSatisfy { $0 == .bool(false) }, "the table ends exactly killed")
        let kills = try Self.events(fx, "kill")
        #expect(kills.count == 1)
        let kill = try #require(kills.first)
        #expect(DynamoDBFixture.jobs(kill)["changed_count"] as? Int == 10_000, "the log accounts for every item")
        #expect(Set(DynamoDBFixture.changedJobs(kill).keys).count == 10_000)
        let source = (kill["after"] as? [String: Any])?["source"] as? [String: Any]
        #expect(source?["recovered"] as? Bool == true)
        #expect(kill["operator"] as? String == CLIRunner.osUser && kill["reason"] as? String == "incident")
        #expect(try fx.ok(["source", "resume", fx.env]).stdout.contains("nothing to resume"))
    }
}
