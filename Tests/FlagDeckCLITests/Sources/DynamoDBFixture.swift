import FlagDeckAWS
import FlagDeckTestSupport
import Foundation

/// A jobs table in an account of its own on the shared emulator, and a database with one
/// environment bound to it through the real binary: `source add`, `sync`, `kill`,
/// `override` as shipped, with the AWS settings an operator's shell would have
/// (`AWS_ENDPOINT_URL`, the access key) and no shared files from the machine.
struct DynamoDBFixture {
    static let attribute = "is_feature_enabled"
    let dir: String
    let db: String
    let env: String
    let account: String
    let endpoint: String
    let table: String
    let client: AWSClient
    let flag: String

    /// Creates the table `jobs` (partition key `job_id`), writes `items`, and (when `bind`)
    /// binds `env` to it as `flag`.
    init(_ items: [DynamoDBItem], flag: String = "feature", env: String = "jobs/prod", bind: Bool = true,
         defaultTrue: Bool = false, table: String = "jobs") throws {
        let m = try Ministack.shared()
        account = Ministack.freshAccount()
        endpoint = m.endpoint
        self.table = table
        self.flag = flag
        self.env = env
        client = try AWSClient(AWSClientConfiguration(
            region: "us-east-1", endpointURL: m.endpoint, credentials: AWSCredentials(accessKeyId: account, secretAccessKey: "test"),
            environment: AWSEnvironment(variables: ["AWS_CONFIG_FILE": "/nonexistent/flagdeck-aws-config",
                                                    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/flagdeck-aws-credentials"],
                                        homeDirectory: "/nonexistent")))
        _ = try client.dynamoDB.createTable(DynamoDBCreateTableRequest(tableName: table, partitionKey: "job_id"))
        let c = client
        _ = try Deadline.poll(10) { try c.dynamoDB.describeTable(table).tableStatus == "ACTIVE" ? true : nil }
        try Self.load(client, table, items)
        dir = CLIRunner.temporaryDirectory()
        db = dir + "/flags.sqlite"
        try ok(["init"])
        if bind { try ok(["source", "add", env, uri(defaultTrue: defaultTrue), "--reason", "bind the jobs table"]) }
    }

    func uri(key: String = "job_id", table: String? = nil, attribute: String = DynamoDBFixture.attribute,
             defaultTrue: Bool = false) -> String {
        "dynamodb://@us-east-1/\(table ?? self.table)?key=\(key)&attribute=\(attribute)&flag=\(flag)" + (defaultTrue ? "&default=true" : "")
    }

    /// The shell of an operator pointed at the emulator.
    var awsEnvironment: [String: String] {
        ["AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": account, "AWS_SECRET_ACCESS_KEY": "test",
         "AWS_CONFIG_FILE": "/nonexistent/flagdeck-aws-config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/flagdeck-aws-credentials",
         "AWS_REGION": "us-east-1", "AWS_PROFILE": ""]
    }

    @discardableResult
    func run(_ args: [String], env extra: [String: String] = [:]) throws -> CLIResult {
        try CLIRunner.run(args + ["--db", db], env: awsEnvironment.merging(extra) { _, b in b })
    }

    @discardableResult
    func ok(_ args: [String], env extra: [String: String] = [:]) throws -> CLIResult {
        let r = try run(args, env: extra)
        guard r.status == 0 else { throw CLIError("`flagdeck \(args.joined(separator: " "))` exited \(r.status): \(r.stderr)") }
        return r
    }

    func kill(env extra: [String: String] = [:]) throws -> CLIResult {
        try run(["kill", flag, "--env", env, "--reason", "incident", "--yes"], env: extra)
    }

    func unkill() throws -> CLIResult { try run(["unkill", flag, "--env", env, "--reason", "fixed", "--yes"]) }

    func history() throws -> [[String: Any]] {
        try CLIRunner.json(try ok(["history", flag, "--json"]).stdout) as! [[String: Any]]
    }

    /// The `jobs` member of an event's `after`.
    static func jobs(_ event: [String: Any]) -> [String: Any] { (event["after"] as? [String: Any])?["jobs"] as? [String: Any] ?? [:] }

    static func changedJobs(_ event: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for c in jobs(event)["changed"] as? [[String: Any]] ?? [] { out[c["job"] as! String] = c["after"] as? String }
        return out
    }

    /// Every item's attribute, by job (nil: no attribute).
    func attributes() throws -> [String: DynamoDBValue?] {
        var out: [String: DynamoDBValue?] = [:]
        for item in try client.dynamoDB.parallelScan(DynamoDBScanRequest(tableName: table, consistentRead: true), totalSegments: 4) {
            if case .s(let id)? = item["job_id"] { out[id] = item[Self.attribute] }
        }
        return out
    }

    /// Another client writing the table behind flagdeck's back.
    func otherClientSets(_ job: String, _ value: DynamoDBValue?) throws {
        if let value {
            try client.dynamoDB.updateItem(DynamoDBUpdateItemRequest(
                tableName: table, key: ["job_id": .s(job)], updateExpression: "SET #a = :v",
                expressionAttributeNames: ["#a": Self.attribute], expressionAttributeValues: [":v": value]))
        } else {
            try client.dynamoDB.updateItem(DynamoDBUpdateItemRequest(
                tableName: table, key: ["job_id": .s(job)], updateExpression: "REMOVE #a",
                expressionAttributeNames: ["#a": Self.attribute]))
        }
    }

    /// What the application reads for each job: the seed's own `toggle_feature`, with boto3
    /// pointed at the emulator, in 4 processes at once (each job still goes through the
    /// seed's code path). `true`/`false`, or `other` for a non-boolean.
    func seedReads(_ jobs: [String]) throws -> [String: String] {
        let venv = try PythonVenv.consumers.ensure()
        let env = awsEnvironment.filter { $0.key != "AWS_PROFILE" }.merging(["AWS_DEFAULT_REGION": "us-east-1"]) { _, b in b }
        let parts = 4
        let chunks = (0..<parts).map { p in stride(from: p, to: jobs.count, by: parts).map { jobs[$0] } }.filter { !$0.isEmpty }
        let lock = NSLock()
        nonisolated(unsafe) var out: [String: String] = [:]
        nonisolated(unsafe) var failure: Error?
        let table = self.table
        DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
            do {
                let r = try ProcessRunner.run(venv.python, [RepoRoot.path("Tests/python/consumers/ddb_toggle_feature.py"), table],
                                              env: env, removing: ["AWS_PROFILE", "AWS_SESSION_TOKEN"],
                                              stdin: chunks[i].joined(separator: "\n") + "\n")
                guard r.status == 0 else { throw CLIError("the seed's toggle_feature failed (\(r.status)): \(r.stderr.suffix(2000))") }
                var mine: [String: String] = [:]
                for line in r.stdout.split(separator: "\n") {
                    let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                    mine[o["job"] as! String] = (o["value"] as? Bool).map { $0 ? "true" : "false" } ?? "other"
                }
                lock.withLock { out.merge(mine) { a, _ in a } }
            } catch {
                lock.withLock { failure = failure ?? error }
            }
        }
        if let failure { throw failure }
        guard out.count == Set(jobs).count else { throw CLIError("the oracle answered for \(out.count) of \(Set(jobs).count) jobs") }
        return out
    }

    static func load(_ client: AWSClient, _ table: String, _ items: [DynamoDBItem]) throws {
        let chunks = stride(from: 0, to: items.count, by: 25).map { Array(items[$0..<min(items.count, $0 + 25)]) }
        let failure = NSLock()
        nonisolated(unsafe) var first: Error?
        DispatchQueue.concurrentPerform(iterations: chunks.count) { i in
            do { try client.dynamoDB.batchPut(table: table, items: chunks[i]) } catch {
                failure.lock(); first = first ?? error; failure.unlock()
            }
        }
        if let first { throw first }
    }

    /// Job ids `job-00000`… with the attribute `state(i)` (nil: none).
    static func jobs(_ count: Int, _ state: (Int) -> DynamoDBValue?) -> [DynamoDBItem] {
        (0..<count).map { i in
            var item: DynamoDBItem = ["job_id": .s(jobID(i)), "owner": .s("team-\(i % 7)")]
            if let v = state(i) { item[attribute] = v }
            return item
        }
    }

    static func jobID(_ i: Int) -> String { String(format: "job-%05d", i) }
}
