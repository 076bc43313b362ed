import FlagDeckAWSTestSupport
import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// ministack never throttles, so a loopback proxy answers some writes with DynamoDB's
/// ProvisionedThroughputExceededException: the client backs off and retries, and when
/// throttling outlasts its retries the engine slows down and then stops, resumable.
@Suite struct ThrottlingTests {
    static let throttled = #"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}"#

    static func job(_ body: Data) -> String? {
        guard let o = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let key = o["Key"] as? [String: Any], let k = key["job_id"] as? [String: Any] else { return nil }
        return k["S"] as? String
    }

    @Test func throttledWritesAreRetriedWithBackoffAndTheKillCompletes() throws {
        let t = try JobsTable.make(JobsTable.jobs(120) { _ in .bool(true) })
        let proxy = try FaultProxy(upstream: t.endpoint) { r, n in
            r.operation == "UpdateItem" && n % 3 == 0 ? .respond(status: 400, body: Self.throttled) : .forward
        }
        defer { proxy.stop() }
        let source = try t.source(endpoint: proxy.endpoint,
                                  retry: RetryPolicy(maxAttempts: 5, baseDelay: 0.05, maxDelay: 0.5, maxTotal: 10))
        let killed = try DynamoDBBulkEngine(source: source, concurrency: 8, transactionSize: 1)
            .run(DynamoDBBulkPlan.kill(try source.scan(), uri: source.uri), journal: { _ in })
        #expect(killed.isComplete && killed.applied.count == 120)
        let writes = proxy.log.filter { $0.request.operation == "UpdateItem" }
        let refused = writes.filter { if case .respond = $0.action { true } else { false } }
        #expect(refused.count >= 40)
        #expect(writes.count == 120 + refused.count, "each throttled write was sent again, and only those")
        // Every throttled write of a job is followed by a later attempt for the same job.
        for r in refused {
            let job = Self.job(r.request.body)
            #expect(writes.contains { Self.job($0.request.body) == job && $0.request.at > r.request.at }, "\(job ?? "?")")
        }
        #expect(try t.source().scan().jobs(.off).count == 120)
    }

    @Test func throttlingThatOutlastsTheRetriesStopsTheKillResumably() throws {
        let t = try JobsTable.make(JobsTable.jobs(40) { _ in .bool(true) })
        let hot = Locked(true)
        let proxy = try FaultProxy(upstream: t.endpoint) { r, _ in
            r.operation == "UpdateItem" && hot.value && Self.job(r.body) == "job-00007"
                ? .respond(status: 400, body: Self.throttled) : .forward
        }
        defer { proxy.stop() }
        let source = try t.source(endpoint: proxy.endpoint,
                                  retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.02, maxTotal: 2))
        let engine = DynamoDBBulkEngine(source: source, concurrency: 4, transactionSize: 1, maxThrottledBatches: 2)
        let stopped = try engine.run(DynamoDBBulkPlan.kill(try source.scan(), uri: source.uri), journal: { _ in })
        #expect(!stopped.isComplete)
        #expect(stopped.remaining == ["job-00007"])
        #expect(stopped.jobs(.pending) == ["job-00007"], "certainly not written: nothing to read back")
        #expect(stopped.interruptions.last?.hasPrefix("throttled by DynamoDB for 2 batches in a row") == true)
        hot.set(false)
        let resumed = try engine.run(stopped, journal: { _ in })
        #expect(resumed.isComplete && resumed.applied.count == 40)
    }
}
