import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation

/// A jobs table in an account of its own on the shared emulator (AUTH=false: the
/// 12-digit access key is the account, so tests never see each other's tables).
struct JobsTable {
    let account: String
    let endpoint: String
    let name: String
    let key: String
    let client: AWSClient

    static let attribute = "is_feature_enabled"

    /// Creates the table (string partition key `key`) and writes `items`.
    static func make(_ items: [DynamoDBItem], name: String = "jobs", key: String = "job_id",
                     sortKey: (String, String)? = nil) throws -> JobsTable {
        let m = try Ministack.shared()
        let account = Ministack.freshAccount()
        let client = try Self.client(endpoint: m.endpoint, account: account)
        _ = try client.dynamoDB.createTable(DynamoDBCreateTableRequest(tableName: name, partitionKey: key, sortKey: sortKey))
        _ = try Deadline.poll(10) { try client.dynamoDB.describeTable(name).tableStatus == "ACTIVE" ? true : nil }
        let t = JobsTable(account: account, endpoint: m.endpoint, name: name, key: key, client: client)
        try t.load(items)
        return t
    }

    static func client(endpoint: String, account: String, retry: RetryPolicy = .standard) throws -> AWSClient {
        try AWSClient(AWSClientConfiguration(
            region: "us-east-1", endpointURL: endpoint,
            credentials: AWSCredentials(accessKeyId: account, secretAccessKey: "test"),
            environment: Self.isolatedEnvironment, retry: retry))
    }

    /// No shared files, no AWS_* variables from the machine.
    static var isolatedEnvironment: AWSEnvironment {
        AWSEnvironment(variables: ["AWS_CONFIG_FILE": "/nonexistent/flagdeck-aws-config",
                                   "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/flagdeck-aws-credentials"],
                       homeDirectory: "/nonexistent")
    }

    /// Writes items 25 at a time on 8 threads.
    func load(_ items: [DynamoDBItem]) throws {
        let chunks = stride(from: 0, to: items.count, by: 25).map { Array(items[$0..<min(items.count, $0 + 25)]) }
        let failure = Locked<Error?>(nil)
        let db = client.dynamoDB, table = name
        Parallel.forEach(chunks.count, width: 8) { i in
            do { try db.batchPut(table: table, items: chunks[i]) } catch { failure.set(error) }
        }
        if let e = failure.value { throw e }
    }

    func location(defaultValue: Bool = false, key: String? = nil, attribute: String = JobsTable.attribute,
                  table: String? = nil) -> SourceURI.DynamoDBLocation {
        SourceURI.DynamoDBLocation(profile: nil, region: "us-east-1", table: table ?? name, key: key ?? self.key,
                                   attribute: attribute, flag: "feature", defaultValue: defaultValue)
    }

    /// The source as flagdeck opens it, through `endpoint` (the emulator, or a proxy in front of it).
    func source(defaultValue: Bool = false, endpoint: String? = nil, retry: RetryPolicy = .standard) throws -> DynamoDBJobsSource {
        try DynamoDBJobsSource(location: location(defaultValue: defaultValue),
                               client: Self.client(endpoint: endpoint ?? self.endpoint, account: account, retry: retry))
    }

    /// Every item, whole, by job id: to compare tables item by item.
    func items() throws -> [String: DynamoDBItem] {
        var out: [String: DynamoDBItem] = [:]
        for item in try client.dynamoDB.parallelScan(DynamoDBScanRequest(tableName: name, consistentRead: true),
                                                     totalSegments: 4) {
            if case .s(let id)? = item[key] { out[id] = item }
        }
        return out
    }

    /// Another client writing the table behind flagdeck's back.
    func otherClientSets(_ job: String, _ value: DynamoDBValue?) throws {
        if let value {
            try client.dynamoDB.updateItem(DynamoDBUpdateItemRequest(
                tableName: name, key: [key: .s(job)], updateExpression: "SET #a = :v",
                expressionAttributeNames: ["#a": Self.attribute], expressionAttributeValues: [":v": value]))
        } else {
            try client.dynamoDB.updateItem(DynamoDBUpdateItemRequest(
                tableName: name, key: [key: .s(job)], updateExpression: "REMOVE #a",
                expressionAttributeNames: ["#a": Self.attribute]))
        }
    }

    /// The aws CLI as this account: the other writer, as an operator would be.
    var cli: AWSCLI { AWSCLI(endpoint: endpoint, accessKeyId: account, secretAccessKey: "test") }

    /// Job ids `job-00000`… with the attribute given by `state(i)` (nil: no attribute).
    static func jobs(_ count: Int, extra: [String: DynamoDBValue] = [:],
                     _ state: (Int) -> DynamoDBValue?) -> [DynamoDBItem] {
        (0..<count).map { i in
            var item: DynamoDBItem = ["job_id": .s(jobID(i))]
            if let v = state(i) { item[attribute] = v }
            for (k, v) in extra { item[k] = v }
            return item
        }
    }

    static func jobID(_ i: Int) -> String { String(format: "job-%05d", i) }
}

/// Threads for test set-up (the emulator answers many requests at once).
enum Parallel {
    static func forEach(_ count: Int, width: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let next = Locked(0)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(width, count)) {
            group.enter()
            Thread {
                while true {
                    let i = next.take()
                    guard i < count else { break }
                    body(i)
                }
                group.leave()
            }.start()
        }
        group.wait()
    }
}

final class Locked<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    var value: T {
        lock.lock()
        defer { lock.unlock() }
        return v
    }
    func set(_ new: T) {
        lock.lock()
        v = new
        lock.unlock()
    }
    func update<R>(_ body: (inout T) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&v)
    }
}

extension Locked where T == Int {
    /// The current value, then increments it.
    func take() -> Int { update { v in defer { v += 1 }; return v } }
}
