import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation

/// A jobs table in an account of its own on the shared emulator (AUTH=false: the
/// 12-digit access key is the account, so tests never see each other's tables).
public struct JobsTable: Sendable {
    public let account: String
    public let endpoint: String
    public let name: String
    public let key: String
    public let client: AWSClient

    public static let attribute = "is_feature_enabled"

    /// Creates the table (string partition key `key`) and writes `items`, in `account`
    /// (a fresh one unless given).
    public static func make(_ items: [DynamoDBItem], name: String = "jobs", key: String = "job_id",
                            sortKey: (String, String)? = nil, account: String? = nil) throws -> JobsTable {
        let m = try Ministack.shared()
        let account = account ?? Ministack.freshAccount()
        let client = try Self.client(endpoint: m.endpoint, account: account)
        _ = try client.dynamoDB.createTable(DynamoDBCreateTableRequest(tableName: name, partitionKey: key, sortKey: sortKey))
        _ = try Deadline.poll(10) { try client.dynamoDB.describeTable(name).tableStatus == "ACTIVE" ? true : nil }
        let t = JobsTable(account: account, endpoint: m.endpoint, name: name, key: key, client: client)
        try t.load(items)
        return t
    }

    public static func client(endpoint: String, account: String, retry: RetryPolicy = .standard) throws -> AWSClient {
        try AWSClient(AWSClientConfiguration(
            region: "us-east-1", endpointURL: endpoint,
            credentials: AWSCredentials(accessKeyId: account, secretAccessKey: "test"),
            environment: Self.isolatedEnvironment, retry: retry))
    }

    /// No shared files, no AWS_* variables from the machine.
    public static var isolatedEnvironment: AWSEnvironment {
        AWSEnvironment(variables: ["AWS_CONFIG_FILE": "/nonexistent/flagdeck-aws-config",
                                   "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/flagdeck-aws-credentials"],
                       homeDirectory: "/nonexistent")
    }

    /// Writes items 25 at a time on 8 threads.
    public func load(_ items: [DynamoDBItem]) throws {
        let chunks = stride(from: 0, to: items.count, by: 25).map { Array(items[$0..<min(items.count, $0 + 25)]) }
        let failure = Locked<Error?>(nil), next = Locked(0)
        let db = client.dynamoDB, table = name
        let group = DispatchGroup()
        for _ in 0..<max(1, min(8, chunks.count)) {
            group.enter()
            Thread {
                while true {
                    let i = next.withLock { n in defer { n += 1 }; return n }
                    guard i < chunks.count else { break }
                    do { try db.batchPut(table: table, items: chunks[i]) } catch { failure.withLock { $0 = error } }
                }
                group.leave()
            }.start()
        }
        group.wait()
        if let e = failure.current { throw e }
    }

    public func location(defaultValue: Bool = false, key: String? = nil, attribute: String = JobsTable.attribute,
                  table: String? = nil) -> SourceURI.DynamoDBLocation {
        SourceURI.DynamoDBLocation(profile: nil, region: "us-east-1", table: table ?? name, key: key ?? self.key,
                                   attribute: attribute, flag: "feature", defaultValue: defaultValue)
    }

    /// The source as flagdeck opens it, through `endpoint` (the emulator, or a proxy in front of it).
    public func source(defaultValue: Bool = false, endpoint: String? = nil, retry: RetryPolicy = .standard) throws -> DynamoDBJobsSource {
        try DynamoDBJobsSource(location: location(defaultValue: defaultValue),
                               client: Self.client(endpoint: endpoint ?? self.endpoint, account: account, retry: retry))
    }

    /// Every item, whole, by job id: to compare tables item by item.
    public func items() throws -> [String: DynamoDBItem] {
        var out: [String: DynamoDBItem] = [:]
        for item in try client.dynamoDB.parallelScan(DynamoDBScanRequest(tableName: name, consistentRead: true),
                                                     totalSegments: 4) {
            if case .s(let id)? = item[key] { out[id] = item }
        }
        return out
    }

    /// Another client writing the table behind flagdeck's back.
    public func otherClientSets(_ job: String, _ value: DynamoDBValue?) throws {
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
    public var cli: AWSCLI { AWSCLI(endpoint: endpoint, accessKeyId: account, secretAccessKey: "test") }

    /// Job ids `job-00000`… with the attribute given by `state(i)` (nil: no attribute).
    public static func jobs(_ count: Int, extra: [String: DynamoDBValue] = [:],
                     _ state: (Int) -> DynamoDBValue?) -> [DynamoDBItem] {
        (0..<count).map { i in
            var item: DynamoDBItem = ["job_id": .s(jobID(i))]
            if let v = state(i) { item[attribute] = v }
            for (k, v) in extra { item[k] = v }
            return item
        }
    }

    public static func jobID(_ i: Int) -> String { String(format: "job-%05d", i) }
}

