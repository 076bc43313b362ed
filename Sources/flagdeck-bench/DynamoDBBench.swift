import FlagDeckAWS
import FlagDeckCore
import Foundation

/// Per-job flags in DynamoDB against the local emulator, side by side with a boto3
/// script an operator would otherwise write, in the same run on the same emulator:
///
/// - `ddb_kill_10k_ms`: `Operations.kill` of a cell bound to 10,000 jobs with 3,000 on, as
///   the CLI runs it — scan, plan, the intent in the SQLite journal, the conditional writes
///   (transactions of 25, 16 in flight) journalled per batch, the audited commit naming
///   every job — against `ddb_kill_10k_boto3_ms`, a warm boto3 client scanning and then
///   sending the same conditional UpdateItems one after another. Goal: `ddb_kill_speedup` ≥ 5.
/// - `ddb_sync_10k_ms`: `Operations.sync` of that cell (parallel projected scan, the diff
///   against the inventory, bookkeeping) against `ddb_sync_10k_boto3_ms`, a boto3 parallel
///   scan with the same segments on threads and the same projection. Medians of 5,
///   alternating. Goal: `ddb_sync_vs_boto3` ≤ 2.
/// - `ddb_scan_100k_ms` (and its boto3 counterpart): the scan alone at 100,000 items.
///
/// Each side gets its own account (identical tables), so neither warms the other's data.
/// The emulator is ministack on loopback from `.build/venvs/ministack` (made from
/// `Tests/python/ministack.txt` if missing, as the tests do). If it cannot start, the
/// suite fails and the bench exits non-zero; `--no-aws` skips it instead.
enum DynamoDBBench {
    static let suite = BenchSuite(
        name: "dynamodb",
        metrics: ["ddb_kill_10k_ms", "ddb_kill_10k_boto3_ms", "ddb_kill_speedup", "ddb_sync_10k_ms", "ddb_sync_10k_boto3_ms",
                  "ddb_sync_vs_boto3", "ddb_scan_100k_ms", "ddb_scan_100k_boto3_ms"],
        run: {
            if CommandLine.arguments.contains("--no-aws") {
                FileHandle.standardError.write(Data("dynamodb: skipped (--no-aws)\n".utf8))
                return []
            }
            return try run()
        },
        how: "ministack on loopback: Operations.kill of a cell bound to 10,000 jobs (3,000 on) vs a warm boto3 client "
            + "scanning and sending the same conditional UpdateItems one by one; Operations.sync vs a boto3 parallel scan "
            + "with the same segments, medians of 5 alternating; the scan alone at 100,000 items")

    static func run() throws -> [(String, Double)] {
        let emulator: BenchEmulator
        do { emulator = try BenchEmulator.start() } catch {
            throw BenchError("the AWS emulator (ministack) could not be started: \(error); run with --no-aws to skip the AWS benchmarks")
        }
        defer { emulator.stop() }
        let python = try BenchVenv(name: "consumers").ensure()
        var out: [(String, Double)] = []

        // Kill: 10,000 jobs, 3,000 on (every third of the first 9,000 … spread evenly).
        let killItems = jobs(10_000) { $0 % 10 < 3 ? .bool(true) : $0 % 10 < 6 ? .bool(false) : nil }
        let ours = try Table.make(emulator, killItems)
        let theirs = try Table.make(emulator, killItems)
        // flagdeck's kill as the CLI runs it: Operations on a SQLite inventory bound to the table
        // (intent, journalled batches, the audited commit with every job named), through the
        // process's AWS settings as an operator's shell would give them.
        for (k, v) in ours.environment.merging(["AWS_REGION": "us-east-1"], uniquingKeysWith: { _, b in b }) { setenv(k, v, 1) }
        unsetenv("AWS_PROFILE")
        let dbPath = NSTemporaryDirectory() + "flagdeck-bench-ddb-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) } }
        let ops = Operations(store: try SQLiteStore(path: dbPath, create: true), actor: Actor(name: "bench", host: "bench"))
        let uri = "dynamodb://@us-east-1/\(ours.name)?key=job_id&attribute=is_feature_enabled&flag=feature"
        try ops.addSource(env: "bench/prod", uri: uri, reason: "bench")
        var killed: MutationResult?
        let killMs = try millis { killed = try ops.kill(flag: "feature", env: "bench/prod", reason: "bench") }
        let changed = try ours.source().scan().jobs(.off).count
        guard killed?.changed == true, changed == 6_000 else {
            throw BenchError("the kill did not turn off exactly 3,000 jobs (\(changed) off now, 3,000 were off before)")
        }
        let boto3Kill = try python.runScript(boto3KillScript, [theirs.name], theirs.environment)
        guard boto3Kill["updated"] == 3_000 else { throw BenchError("the boto3 kill updated \(boto3Kill["updated"] ?? -1) jobs") }
        out += [("ddb_kill_10k_ms", killMs), ("ddb_kill_10k_boto3_ms", boto3Kill["ms"]!),
                ("ddb_kill_speedup", boto3Kill["ms"]! / killMs)]

        // Sync: the killed tables serve as the 10,000-item tables. flagdeck's side is the whole
        // `Operations.sync` of the bound cell (scan, diff against the inventory, bookkeeping).
        let sync10 = try compareSync(theirs, python, count: 10_000, rounds: 5) {
            let r = try ops.sync(envs: ["bench/prod"])
            guard r.count == 1, r[0].error == nil else { throw BenchError("sync failed: \(r.first?.error ?? "no report")") }
        }
        out += [("ddb_sync_10k_ms", sync10.0), ("ddb_sync_10k_boto3_ms", sync10.1), ("ddb_sync_vs_boto3", sync10.0 / sync10.1)]

        let big = jobs(100_000) { $0 % 10 < 3 ? .bool(true) : $0 % 10 < 6 ? .bool(false) : nil }
        let ours100 = try Table.make(emulator, big)
        let theirs100 = try Table.make(emulator, big)
        let source100 = try ours100.source()
        let sync100 = try compareSync(theirs100, python, count: 100_000, rounds: 3) {
            let n = try source100.scan().count
            guard n == 100_000 else { throw BenchError("flagdeck's scan read \(n) of 100,000 items") }
        }
        out += [("ddb_scan_100k_ms", sync100.0), ("ddb_scan_100k_boto3_ms", sync100.1)]
        return out
    }

    /// Medians of alternating rounds: flagdeck's side, then boto3's parallel scan with the
    /// segments flagdeck's scan uses.
    static func compareSync(_ theirs: Table, _ python: BenchVenv, count: Int, rounds: Int, ours: () throws -> Void) throws -> (Double, Double) {
        let segments = DynamoDBJobsSource.segments(forItemCount: count)
        var a: [Double] = [], b: [Double] = []
        for _ in 0..<rounds {
            a.append(try millis(ours))
            let r = try python.runScript(boto3ScanScript, [theirs.name, String(segments)], theirs.environment)
            guard r["items"] == Double(count) else { throw BenchError("boto3's scan read \(r["items"] ?? -1) of \(count) items") }
            b.append(r["ms"]!)
        }
        return (Percentile.of(a, 50), Percentile.of(b, 50))
    }

    static func jobs(_ n: Int, _ state: (Int) -> DynamoDBValue?) -> [DynamoDBItem] {
        (0..<n).map { i in
            var item: DynamoDBItem = ["job_id": .s(String(format: "job-%06d", i)), "owner": .s("payments")]
            if let v = state(i) { item["is_feature_enabled"] = v }
            return item
        }
    }

    static func millis(_ body: () throws -> Void) rethrows -> Double { try Clock.micros(body) / 1000 }

    // MARK: tables, one account each

    struct Table {
        let endpoint: String
        let account: String
        let name = "jobs"

        nonisolated(unsafe) static var nextAccount = 710_000_000_000

        static func make(_ emulator: BenchEmulator, _ items: [DynamoDBItem]) throws -> Table {
            nextAccount += 1
            let t = Table(endpoint: emulator.endpoint, account: String(nextAccount))
            let db = try t.client().dynamoDB
            _ = try db.createTable(DynamoDBCreateTableRequest(tableName: t.name, partitionKey: "job_id"))
            let chunks = stride(from: 0, to: items.count, by: 25).map { Array(items[$0..<min(items.count, $0 + 25)]) }
            let failed = NSLock()
            nonisolated(unsafe) var failure: Error?
            let next = NSLock()
            nonisolated(unsafe) var index = 0
            let group = DispatchGroup()
            for _ in 0..<8 {
                group.enter()
                Thread {
                    while true {
                        next.lock()
                        let i = index
                        index += 1
                        next.unlock()
                        guard i < chunks.count else { break }
                        do { try db.batchPut(table: t.name, items: chunks[i]) } catch {
                            failed.lock()
                            failure = error
                            failed.unlock()
                        }
                    }
                    group.leave()
                }.start()
            }
            group.wait()
            if let failure { throw failure }
            return t
        }

        func client() throws -> AWSClient {
            try AWSClient(AWSClientConfiguration(
                region: "us-east-1", endpointURL: endpoint, credentials: AWSCredentials(accessKeyId: account, secretAccessKey: "bench"),
                environment: AWSEnvironment(variables: [:], homeDirectory: "/nonexistent")))
        }

        func source() throws -> DynamoDBJobsSource {
            try DynamoDBJobsSource(location: .init(profile: nil, region: "us-east-1", table: name, key: "job_id",
                                                   attribute: "is_feature_enabled", flag: "feature"), client: client())
        }

        /// What boto3 needs to reach the same table.
        var environment: [String: String] {
            ["AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": account, "AWS_SECRET_ACCESS_KEY": "bench",
             "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"]
        }
    }

    // MARK: the boto3 baselines (clients are made before the clock starts)

    static let boto3KillScript = #"""
    import boto3, json, sys, time
    table = sys.argv[1]
    c = boto3.client("dynamodb")
    c.describe_table(TableName=table)
    names = {"#k": "job_id", "#a": "is_feature_enabled"}
    t0 = time.perf_counter()
    on, kw = [], dict(TableName=table, ProjectionExpression="#k, #a", ExpressionAttributeNames=names, ConsistentRead=True)
    while True:
        page = c.scan(**kw)
        on += [i["job_id"] for i in page["Items"] if i.get("is_feature_enabled") == {"BOOL": True}]
        if "LastEvaluatedKey" not in page:
            break
        kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    updated = 0
    for key in on:
        try:
            c.update_item(TableName=table, Key={"job_id": key}, UpdateExpression="SET #a = :off",
                          ConditionExpression="attribute_exists(#k) AND #a = :on", ExpressionAttributeNames=names,
                          ExpressionAttributeValues={":off": {"BOOL": False}, ":on": {"BOOL": True}})
            updated += 1
        except c.exceptions.ConditionalCheckFailedException:
            pass
    print(json.dumps({"ms": (time.perf_counter() - t0) * 1000, "updated": updated}))
    """#

    static let boto3ScanScript = #"""
    import boto3, json, sys, time
    from concurrent.futures import ThreadPoolExecutor
    table, segments = sys.argv[1], int(sys.argv[2])
    clients = [boto3.client("dynamodb") for _ in range(segments)]
    clients[0].describe_table(TableName=table)
    def segment(s):
        c, out = clients[s], []
        kw = dict(TableName=table, Segment=s, TotalSegments=segments, ProjectionExpression="#k, #a",
                  ExpressionAttributeNames={"#k": "job_id", "#a": "is_feature_enabled"}, ConsistentRead=True)
        while True:
            page = c.scan(**kw)
            out += page["Items"]
            if "LastEvaluatedKey" not in page:
                return out
            kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    with ThreadPoolExecutor(segments) as pool:
        t0 = time.perf_counter()
        items = sum(map(len, pool.map(segment, range(segments))))
        ms = (time.perf_counter() - t0) * 1000
    print(json.dumps({"ms": ms, "items": items}))
    """#

}

extension BenchVenv {
    /// Runs `script` and returns the numbers of the JSON object it prints last.
    func runScript(_ script: String, _ args: [String], _ env: [String: String]) throws -> [String: Double] {
        let path = NSTemporaryDirectory() + "flagdeck-bench-\(UUID().uuidString).py"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try BenchProcess.capture(python, [path] + args, env: env)
        guard r.status == 0, let last = r.stdout.split(separator: "\n").last,
              let o = try JSONParser.parse(String(last)).objectValue else {
            throw BenchError("the boto3 baseline failed (\(r.status)): \(r.stderr.suffix(2000))")
        }
        var out: [String: Double] = [:]
        for (k, v) in o.members {
            switch v {
            case .int(let i): out[k] = Double(i)
            case .double(let d): out[k] = d
            default: continue
            }
        }
        return out
    }
}
