import FlagDeckAWSTestSupport
import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// A kill cut short — by SIGKILL, by the network — is finished by running its journalled
/// plan again: the table ends exactly killed and the journal accounts for every item.
@Suite struct InterruptionTests {
    /// `flagdeck-ddb-kill-helper`, built next to this test bundle.
    static let helper: String = {
        var dir = URL(fileURLWithPath: Bundle.main.bundlePath)
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("flagdeck-ddb-kill-helper").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return RepoRoot.path(".build/debug/flagdeck-ddb-kill-helper")
    }()

    static func readPlan(_ path: String) -> DynamoDBBulkPlan? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { try? DynamoDBBulkPlan(json: $0) }
    }

    @Test func aSigkillHalfwayThroughATenThousandItemKillIsResumedToExactlyKilled() throws {
        let t = try JobsTable.make(JobsTable.jobs(10_000) { _ in .bool(true) })
        let jobs = (0..<10_000).map(JobsTable.jobID)
        let journal = RepoRoot.temporaryDirectory("flagdeck-ddb-kill") + "/plan.json"
        let uri = "dynamodb://@us-east-1/jobs?key=job_id&attribute=is_feature_enabled&flag=feature"

        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.helper)
        p.arguments = [uri, journal, "16", "250"]
        var env = ProcessInfo.processInfo.environment
        for k in ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION"] { env.removeValue(forKey: k) }
        env["AWS_ENDPOINT_URL"] = t.endpoint
        env["AWS_ACCESS_KEY_ID"] = t.account
        env["AWS_SECRET_ACCESS_KEY"] = "test"
        env["AWS_REGION"] = "us-east-1"
        env["AWS_CONFIG_FILE"] = "/nonexistent/flagdeck-aws-config"
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/flagdeck-aws-credentials"
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        // Poll the journal until about half the jobs are done, then kill -9 mid-batch.
        let halfway = Deadline.poll(600, every: 0.02) { () -> DynamoDBBulkPlan? in
            guard p.isRunning, let plan = Self.readPlan(journal), plan.applied.count >= 4_000 else { return nil }
            return plan
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        try #require(halfway != nil, "the helper never got halfway: \(String(decoding: err.fileHandleForReading.availableData, as: UTF8.self))")
        #expect(p.terminationReason == .uncaughtSignal)

        let interrupted = try #require(Self.readPlan(journal))
        #expect(interrupted.steps.count == 10_000)
        #expect(interrupted.applied.count < 10_000, "killed before the end")
        #expect(interrupted.jobs(.inFlight).count <= 250, "at most one batch unknown")
        #expect(interrupted.unsettled == interrupted.jobs(.inFlight).count)
        // The table is killed exactly as far as the journal says, give or take the batch in flight.
        let midway = try t.source().scan()
        let off = Set(midway.jobs(.off))
        #expect(Set(interrupted.applied).isSubset(of: off))
        #expect(off.subtracting(interrupted.applied).isSubset(of: Set(interrupted.jobs(.inFlight))))

        // Resume as the next open would: settle the batch in flight by reading it back, then finish.
        let source = try t.source()
        let resumed = try DynamoDBBulkEngine(source: source).run(interrupted, journal: { plan in
            try Data(plan.json.utf8).write(to: URL(fileURLWithPath: journal))
        })
        #expect(resumed.isComplete)
        #expect(resumed.applied.count == 10_000 && resumed.skipped.isEmpty)
        #expect(Set(resumed.steps.map(\.job)) == Set(jobs), "the journal accounts for every item")
        #expect(resumed.interruptions.contains { $0.hasPrefix("resumed: read back \(interrupted.jobs(.inFlight).count) jobs") })
        #expect(Self.readPlan(journal) == resumed)
        let final = try source.scan()
        #expect(final.count == 10_000 && final.jobs(.off).count == 10_000, "exactly killed")
        let sample = stride(from: 0, to: 10_000, by: 5).map(JobsTable.jobID)
        #expect(try SeedOracle.read(t, jobs: sample).values.allSatisfy { $0 == .bool(false) })
    }

    @Test func aNetworkFailureStopsTheKillAndAResumeSettlesWhatMayHaveBeenWritten() throws {
        let t = try JobsTable.make(JobsTable.jobs(600) { _ in .bool(true) })
        let broken = Locked(false)
        // After 150 writes the network breaks: half the writes reach the table and lose
        // their answer, half never arrive. Reads (the resume) come through once it heals.
        let proxy = try FaultProxy(upstream: t.endpoint) { r, n in
            guard broken.value || n >= 150, r.operation == "UpdateItem" else { return .forward }
            if !broken.value { broken.set(true) }
            return n % 2 == 0 ? .forwardThenDrop : .drop
        }
        defer { proxy.stop() }
        let fast = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02, maxTotal: 2)
        let source = try t.source(endpoint: proxy.endpoint, retry: fast)
        let engine = DynamoDBBulkEngine(source: source, concurrency: 8, transactionSize: 1)
        let plan = DynamoDBBulkPlan.kill(try source.scan(), uri: source.uri, batchSize: 100)
        let stopped = try engine.run(plan, journal: { _ in })
        #expect(!stopped.isComplete)
        #expect(stopped.jobs(.unknown).count > 0)
        #expect(stopped.interruptions.last?.contains("failed on the network or the service") == true)
        #expect(stopped.jobs(.unknown).count + stopped.applied.count + stopped.jobs(.pending).count == 600)

        broken.set(false)
        let healed = try FaultProxy(upstream: t.endpoint) { _, _ in .forward }
        defer { healed.stop() }
        let resumed = try DynamoDBBulkEngine(source: try t.source(endpoint: healed.endpoint), concurrency: 8, transactionSize: 1)
            .run(stopped, journal: { _ in })
        #expect(resumed.isComplete)
        #expect(resumed.applied.count == 600)
        let confirmed = resumed.steps.filter { $0.detail == "confirmed by reading back after an interruption" }.count
        #expect(confirmed > 0, "writes that reached the table before the answer was lost are found, not redone")
        #expect(try t.source().scan().jobs(.off).count == 600)
    }
}
