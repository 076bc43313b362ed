import FlagDeckAWS
import FlagDeckAWSTestSupport
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
@testable import FlagDeckTUI

/// A real jobs table (`JobsTable`, in this process's account) bound to `jobs/prod` of a
/// `Fixture` database as flag `feature`, through `Operations.addSource` like `flagdeck
/// source add`. The dashboard reaches the table as any flagdeck process does, through the
/// AWS settings of its environment: this test process points them at the emulator once,
/// in one account of its own, before any table is opened; each fixture has its own table.
struct JobsTableFixture {
    static let attribute = JobsTable.attribute
    let base: Fixture
    let jobs: JobsTable
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
        let (_, account) = try Self.account.get()
        let t = try JobsTable.make(items, name: "jobs-" + UUID().uuidString.prefix(8).lowercased(), account: account)
        jobs = t
        table = t.name
        client = t.client
        base = try Fixture()
        _ = try base.ops.addSource(env: env, uri: "dynamodb://@us-east-1/\(table)?key=job_id&attribute=\(Self.attribute)&flag=\(flag)",
                                   reason: "bind the jobs table")
    }

    /// Writes whole items (as another client would).
    func put(_ items: [DynamoDBItem]) throws { try jobs.load(items) }

    static func jobs(_ count: Int, _ state: (Int) -> DynamoDBValue?) -> [DynamoDBItem] { JobsTable.jobs(count, state) }

    static func jobID(_ i: Int) -> String { JobsTable.jobID(i) }

    /// Another client (an end user) writing one job behind flagdeck's back.
    func otherClientSets(_ job: String, _ on: Bool) throws { try jobs.otherClientSets(job, .bool(on)) }

    /// How many items of the table hold `true`, read back with a consistent scan.
    func onInTable() throws -> Int {
        try jobs.items().values.filter { $0[Self.attribute] == .bool(true) }.count
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
