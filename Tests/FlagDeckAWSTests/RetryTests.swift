import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// Retries against a real socket server that throttles or fails on purpose.
@Suite struct RetryTests {
    static let fast = RetryPolicy(maxAttempts: 5, baseDelay: 0.01, maxDelay: 0.05, maxTotal: 10)

    static func client(_ endpoint: String, retry: RetryPolicy = fast, transport: HTTPTransport = .shared) throws -> AWSClient {
        try AWSClient(AWSClientConfiguration(
            region: "eu-west-1", endpointURL: endpoint,
            credentials: AWSCredentials(accessKeyId: "AKIDRETRY", secretAccessKey: "retry-secret"),
            environment: TempAWSFiles().environment(), retry: retry, transport: transport))
    }

    static let table = #"{"Table":{"TableName":"jobs","KeySchema":[{"AttributeName":"job_id","KeyType":"HASH"}],"TableStatus":"ACTIVE"}}"#

    /// Answers `failures` times with `failure`, then with the table.
    static func flaky(_ failures: Int, _ failure: LoopbackHTTPServer.Response) throws -> LoopbackHTTPServer {
        let count = Counter()
        return try LoopbackHTTPServer { _ in
            count.next() <= failures ? failure : .json(200, table)
        }
    }

    @Test(arguments: [
        LoopbackHTTPServer.Response.json(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}"#),
        .json(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow"}"#),
        .json(400, #"{"message":"limit"}"#, headers: ["x-amzn-ErrorType": "RequestLimitExceeded:http://internal.amazon.com/"]),
        .json(429, #"{"message":"Too Many Requests"}"#),
        .json(500, #"{"__type":"InternalServerError","message":"oops"}"#),
        .json(503, "<html>Service Unavailable</html>"),
    ])
    func retriesTransientFailuresUntilSuccess(_ failure: LoopbackHTTPServer.Response) throws {
        let server = try Self.flaky(3, failure)
        defer { server.stop() }
        let t = try Self.client(server.endpoint).dynamoDB.describeTable("jobs")
        #expect(t.partitionKey == "job_id")
        #expect(server.log.count == 4)
        #expect(server.log.allSatisfy { $0.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDRETRY/") == true })
        #expect(server.log.allSatisfy { $0.headers["x-amz-target"] == "DynamoDB_20120810.DescribeTable" })
        // Each attempt is signed afresh (a new date and signature may differ; the header is always present).
        #expect(server.log.allSatisfy { $0.headers["x-amz-date"]?.count == 16 })
    }

    @Test func givesUpAfterMaxAttemptsAndSaysSo() throws {
        let server = try Self.flaky(100, .json(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#))
        defer { server.stop() }
        let error = #expect(throws: AWSError.self) { try Self.client(server.endpoint).dynamoDB.describeTable("jobs") }
        #expect(server.log.count == 5)
        #expect(error?.failure?.attempts == 5)
        #expect(error?.code == "ThrottlingException")
        #expect(error?.description.contains("after 5 attempts") == true)
        #expect(error?.description.contains("dynamodb:DescribeTable on table jobs") == true)
    }

    @Test func totalTimeIsBounded() throws {
        let server = try Self.flaky(1000, .json(503, "{}"))
        defer { server.stop() }
        let policy = RetryPolicy(maxAttempts: 1000, baseDelay: 0.05, maxDelay: 0.1, maxTotal: 0.5)
        let started = Date()
        let error = #expect(throws: AWSError.self) {
            try Self.client(server.endpoint, retry: policy).dynamoDB.describeTable("jobs")
        }
        #expect(Date().timeIntervalSince(started) < 3)
        #expect((error?.failure?.attempts ?? 1000) < 1000)
        #expect(error?.failure?.attempts == server.log.count)
    }

    @Test func doesNotRetryAnAnswerThatWillNotChange() throws {
        let server = try Self.flaky(100, .json(400, #"{"__type":"AccessDeniedException","Message":"no"}"#))
        defer { server.stop() }
        let error = #expect(throws: AWSError.self) { try Self.client(server.endpoint).dynamoDB.describeTable("jobs") }
        #expect(server.log.count == 1)
        #expect(error?.code == "AccessDeniedException")
        #expect(error?.description.contains("after") == false)
    }

    @Test func connectionRefusedNamesTheURLAndAttempts() throws {
        let port = FreePort.next()  // nothing listens there
        let error = #expect(throws: AWSError.self) {
            try Self.client("http://127.0.0.1:\(port)").sts.getCallerIdentity()
        }
        guard case .network(let url, let reason, let attempts, _)? = error else {
            Issue.record("expected a network error, got \(String(describing: error))")
            return
        }
        #expect(url == "http://127.0.0.1:\(port)/")
        #expect(reason == "connection refused")
        #expect(attempts == 5)
        #expect(error?.description.contains("cannot reach http://127.0.0.1:\(port)/") == true)
    }

    /// Regression: the last reference to a transport used to be dropped inside URLSession's
    /// completion handler, whose queue the session's invalidation then waited on (a crash).
    @Test func privateTransportsCanBeDroppedRightAfterUse() throws {
        let server = try LoopbackHTTPServer { _ in .json(200, Self.table) }
        defer { server.stop() }
        for _ in 0..<20 {
            let t = try Self.client(server.endpoint, transport: HTTPTransport()).dynamoDB.describeTable("jobs")
            #expect(t.tableName == "jobs")
        }
    }

    @Test func aSlowServerTimesOutNamingTheURL() throws {
        let server = try LoopbackHTTPServer { _ in
            Thread.sleep(forTimeInterval: 2)
            return .json(200, "{}")
        }
        defer { server.stop() }
        let error = #expect(throws: AWSError.self) {
            try Self.client(server.endpoint, retry: .none, transport: HTTPTransport(timeout: 0.5)).sts.getCallerIdentity()
        }
        #expect(error?.description.contains("cannot reach \(server.endpoint)/") == true)
        #expect(error?.description.contains("timed out") == true)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
