import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
@testable import FlagDeckTUI

/// A real jobs table on the shared emulator (`Ministack.shared`) bound to `jobs/prod` of a
/// `Fixture` database as flag `feature`, through `Operations.addSource` like `flagdeck
/// source add`. The dashboard reaches the table as any flagdeck process does, through the
/// AWS settings of its environment: this test process points them at the emulator once,
/// in one account of its own, before any table is opened; each fixture has its own table.
struct JobsTableFixture {
    static let attribute = "is_feature_enabled"
    let base: Fixture
    let table: String
    let client: AWSClient
    let env = "jobs/prod"
    let flag = "feature"

    /// The account this process uses, set up on first use.
    private static let account: Result<(endpoint: String, account: String), any Error> = Result {
        let m = try Ministack.shared()
        let account = Ministack.freshAccount()
        for (k, v) in ["AWS_ENDPOINT_URL": m.endpoint, "AWS_ACCESS_KEY_ID": account, "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": "/nonexistent/flagdeck-aws-config",
                       "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/flagdeck-aws-credentials"] {
            setenv(k, v, 1)
        }
        unsetenv("AWS_PROFILE")
        unsetenv("AWS_SESSION_TOKEN")
        return (m.endpoint, account)
    }

    /// `items` in a new table, bound; the database is `Fixture`'s, with its other flags.
    init(_ items: [DynamoDBItem]) throws {
        let (endpoint, account) = try Self.account.get()
        table = "jobs-" + UUID().uuidString.prefix(8).lowercased()
        client = try AWSClient(AWSClientConfiguration(
            region: "us-east-1", endpointURL: endpoint, credentials: AWSCredentials(accessKeyId: account, secretAccessKey: "test"),
            environment: AWSEnvironment(variables: ["AWS_CONFIG_FILE": "/nonexistent/flagdeck-aws-config",
                                                    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/flagdeck-aws-credentials"],
                                        homeDirectory: "/nonexistent")))
        _ = try client.dynamoDB.createTable(DynamoDBCreateTableRequest(tableName: table, partitionKey: "job_id"))
        let c = client, t = table
        _ = try Deadline.poll(10) { try c.dynamoDB.describeTable(t).tableStatus == "ACTIVE" ? true : nil }
        base = try Fixture()
        try put(items)
        _ = try base.ops.addSource(env: env, uri: "dynamodb://@us-east-1/\(table)?key=job_id&attribute=\(Self.attribute)&flag=\(flag)",
                                   reason: "bind the jobs table")
    }

    /// Writes whole items, 25 a call (as another client would).
    func put(_ items: [DynamoDBItem]) throws {
        for start in stride(from: 0, to: items.count, by: 25) {
            try client.dynamoDB.batchPut(table: table, items: Array(items[start..<min(items.count, start + 25)]))
        }
    }

    /// Job ids `job-00000`… with the attribute `state(i)` (nil: none).
    static func jobs(_ count: Int, _ state: (Int) -> DynamoDBValue?) -> [DynamoDBItem] {
        (0..<count).map { i in
            var item: DynamoDBItem = ["job_id": .s(jobID(i))]
            if let v = state(i) { item[attribute] = v }
            return item
        }
    }

    static func jobID(_ i: Int) -> String { String(format: "job-%05d", i) }

    /// Another client (an end user) writing one job behind flagdeck's back.
    func otherClientSets(_ job: String, _ on: Bool) throws {
        _ = try client.dynamoDB.updateItem(DynamoDBUpdateItemRequest(
            tableName: table, key: ["job_id": .s(job)], updateExpression: "SET #a = :v",
            expressionAttributeNames: ["#a": Self.attribute], expressionAttributeValues: [":v": .bool(on)]))
    }

    /// How many items of the table hold `true`, read back with a consistent scan.
    func onInTable() throws -> Int {
        try client.dynamoDB.parallelScan(DynamoDBScanRequest(tableName: table, consistentRead: true), totalSegments: 4)
            .filter { $0[Self.attribute] == .bool(true) }.count
    }

    /// The dashboard on this database, with the cursor on the bound cell.
    func app(rows: Int = 40, cols: Int = 160) throws -> DashboardApp {
        var app = try base.app(rows: rows, cols: cols)
        app.select(flag: flag, env: env)
        return app
    }
}

extension DashboardApp {
    /// Polls the dashboard (as the event loop does) until its screen satisfies `probe`, or
    /// the deadline passes; every frame drawn meanwhile is handed to `frame`.
    mutating func pollUntil(_ seconds: TimeInterval, rows: Int = 40, cols: Int = 160,
                            frame: (MemorySurface) -> Void = { _ in }, _ probe: (DashboardApp, MemorySurface) -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while true {
            poll()
            let s = screen(rows: rows, cols: cols)
            frame(s)
            if probe(self, s) { return true }
            if Date() >= end { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}
