import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// One job at a time: `override set|rm` on a DynamoDB-bound cell changes that job's item,
/// conditionally on what flagdeck last saw, and never creates one.
@Suite("DynamoDB per-job overrides")
struct DynamoDBOverrideTests {
    @Test func setAndRemoveChangeTheItemAndAConflictNamesTheJob() throws {
        let fx = try DynamoDBFixture(DynamoDBFixture.jobs(20) { i in i < 10 ? .bool(false) : nil })
        let set = try fx.run(["override", "set", fx.flag, "--env", fx.env, "--key", "job_id", "--equals", "job-00002",
                              "--serve", "true", "--reason", "beta for this job"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(try fx.attributes()["job-00002"]! == .bool(true))
        #expect(try fx.seedReads(["job-00002", "job-00003"]) == ["job-00002": "true", "job-00003": "false"])
        let e = try #require(try fx.history().first { $0["action"] as? String == "override.set" })
        #expect(e["reason"] as? String == "beta for this job")

        // Another client changes a job flagdeck last saw off: a conflict naming it, nothing written.
        try fx.otherClientSets("job-00004", .bool(true))
        let c = try fx.run(["override", "set", fx.flag, "--env", fx.env, "--key", "job_id", "--equals", "job-00004",
                            "--serve", "false"])
        #expect(c.status == 2)
        #expect(c.stderr.contains("job-00004"), "\(c.stderr)")
        #expect(try fx.attributes()["job-00004"]! == .bool(true))

        // A job that does not exist is an error, and no item is created.
        let missing = try fx.run(["override", "set", fx.flag, "--env", fx.env, "--key", "job_id", "--equals", "job-99999",
                                  "--serve", "true"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("job-99999") && missing.stderr.contains("never creates"), "\(missing.stderr)")
        #expect(try fx.attributes()["job-99999"] == nil)

        // The wrong key names the table's key.
        let wrongKey = try fx.run(["override", "set", fx.flag, "--env", fx.env, "--key", "user_id", "--equals", "u1"])
        #expect(wrongKey.status != 0 && wrongKey.stderr.contains("--key job_id"), "\(wrongKey.stderr)")

        // rm removes the attribute: the job serves the default again.
        let list = try fx.ok(["override", "list", fx.flag, "--env", fx.env, "--json"]).stdout.split(separator: "\n")
        let o = try #require(list.compactMap { try? CLIRunner.json(String($0)) as? [String: Any] }.first { $0["equals"] as? String == "job-00002" })
        let rm = try fx.run(["override", "rm", String(o["id"] as! Int)])
        #expect(rm.status == 0, "\(rm.stderr)")
        #expect(try fx.attributes()["job-00002"]! == nil)
        #expect(try fx.seedReads(["job-00002"]) == ["job-00002": "false"])
    }
}

/// Bad input is refused with an error that names the table, key, attribute or job, and
/// changes nothing.
@Suite("DynamoDB bad input")
struct DynamoDBBadInputTests {
    @Test func aMissingTableAndAWrongKeyAreNamedAndBindNothing() throws {
        let fx = try DynamoDBFixture(DynamoDBFixture.jobs(5) { _ in .bool(true) }, bind: false)
        let missing = try fx.run(["source", "add", fx.env, fx.uri(table: "no_such_table")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no_such_table") && missing.stderr.contains("does not exist"), "\(missing.stderr)")
        let key = try fx.run(["source", "add", fx.env, fx.uri(key: "jobid")])
        #expect(key.status == 1)
        #expect(key.stderr.contains("key=jobid") && key.stderr.contains("job_id"), "\(key.stderr)")
        let list = try CLIRunner.json(try fx.ok(["source", "list", "--json"]).stdout) as? [Any]
        #expect(list?.isEmpty == true, "nothing was bound")
    }

    @Test func nonBooleansAreReportedAndNeverOverwritten() throws {
        let fx = try DynamoDBFixture(DynamoDBFixture.jobs(30) { i in i == 7 ? .s("yes") : i == 8 ? .n("1") : .bool(true) }, bind: false)
        let add = try fx.run(["source", "add", fx.env, fx.uri()])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stderr.contains("job-00007") && add.stderr.contains("not a boolean"), "\(add.stderr)")
        #expect(add.stderr.contains("job-00008"))
        #expect(try fx.kill().status == 0)
        let a = try fx.attributes()
        #expect(a["job-00007"]! == .s("yes") && a["job-00008"]! == .n("1"), "never overwritten")
        #expect(a.filter { $0.value == .bool(false) }.count == 28)
        let o = try fx.run(["override", "set", fx.flag, "--env", fx.env, "--key", "job_id", "--equals", "job-00007", "--serve", "false"])
        #expect(o.status != 0 && o.stderr.contains("job-00007") && o.stderr.contains("not a boolean"), "\(o.stderr)")
    }

    @Test func accessDeniedIsClearAndChangesNothing() throws {
        let fx = try DynamoDBFixture(DynamoDBFixture.jobs(5) { _ in .bool(true) }, bind: false)
        // An emulator that checks signatures, and a key it never issued.
        let strict = try Ministack.shared(auth: true)
        let denied = try fx.run(["source", "add", fx.env, fx.uri()],
                                env: ["AWS_ENDPOINT_URL": strict.endpoint, "AWS_ACCESS_KEY_ID": "AKIAFLAGDECKNOBODY01",
                                      "AWS_SECRET_ACCESS_KEY": "not-a-real-secret-0123456789"])
        #expect(denied.status == 1)
        #expect(denied.stderr.lowercased().contains("denied") || denied.stderr.contains("Unrecognized"), "\(denied.stderr)")
        #expect(!denied.stderr.contains("not-a-real-secret"), "secrets never appear")
        let list = try CLIRunner.json(try fx.ok(["source", "list", "--json"]).stdout) as? [Any]
        #expect(list?.isEmpty == true)
    }
}

/// Throttling is waited out, not failed on: a loopback proxy answers every third write
/// with DynamoDB's `ProvisionedThroughputExceededException`; the client backs off and
/// retries, and the kill completes with every job recorded.
@Suite("DynamoDB throttling")
struct DynamoDBThrottlingTests {
    static let throttled = #"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}"#

    @Test func aThrottledKillIsRetriedWithBackoffAndCompletes() throws {
        let fx = try DynamoDBFixture(DynamoDBFixture.jobs(200) { _ in .bool(true) })
        let proxy = try FaultProxy(upstream: fx.endpoint) { r, n in
            (r.operation == "TransactWriteItems" || r.operation == "UpdateItem") && n % 3 == 0
                ? .respond(status: 400, body: Self.throttled) : .forward
        }
        defer { proxy.stop() }
        let k = try fx.kill(env: ["AWS_ENDPOINT_URL": proxy.endpoint])
        #expect(k.status == 0, "\(k.stderr)")
        let refused = proxy.log.filter { if case .respond = $0.action { true } else { false } }
        #expect(refused.count >= 2, "the proxy throttled some writes")
        #expect(try fx.attributes().values.allSatisfy { $0 == .bool(false) })
        let kill = try #require(try fx.history().first { $0["action"] as? String == "kill" })
        #expect(DynamoDBFixture.jobs(kill)["changed_count"] as? Int == 200)
    }
}
