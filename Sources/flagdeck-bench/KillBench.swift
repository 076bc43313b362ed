import FlagDeckCore
import Foundation
import GRDBSQLite

/// Kill latency against the floor: a raw SQLite C-API single-row insert+commit on the
/// same file with the same settings (WAL, synchronous=FULL). Samples alternate so both
/// see the same disk and cache conditions; the ratio is what the goal (≤ 1.5×)
/// is about.
enum KillBench {
    static let suite = BenchSuite(
        name: "kill",
        metrics: ["kill_p50_us", "kill_p99_us", "raw_commit_p50_us", "raw_commit_p99_us", "kill_vs_raw_p50", "kill_vs_raw_p99",
                  "kill_nosync_p50_us", "raw_nosync_p50_us"],
        run: { try run(sync: true) + run(sync: false) })

    /// With `sync: false` both sides run with synchronous=OFF: no fsync, so the figures
    /// are the software cost alone (GRDB, validation, snapshots, hashing) — a diagnostic
    /// for when the fsync-bound ratio moves.
    static func run(sync: Bool) throws -> [(String, Double)] {
        let dir = NSTemporaryDirectory() + "flagdeck-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/bench.sqlite"
        let store = try SQLiteStore(path: path, create: true)
        let ops = Operations(store: store, actor: Actor(name: "bench", host: "bench"))
        try ops.initialize()
        let envs = (0..<5).map { EnvironmentID(account: "acct", name: "env\($0)") }
        for e in envs { try ops.createEnvironment(e, protected: false) }
        let flagCount = 200
        for i in 0..<flagCount { try ops.createFlag(Flag(key: "bench.flag-\(i)", createdAt: Date())) }

        let raw = try RawSQLite(path: path)
        defer { raw.close() }
        if !sync {
            try store.withDatabase { try $0.execute(sql: "PRAGMA synchronous = OFF") }
            try raw.exec("PRAGMA synchronous = OFF")
        }
        try raw.exec("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")

        let samples = 1_000
        var kills: [Double] = [], raws: [Double] = []
        kills.reserveCapacity(samples)
        raws.reserveCapacity(samples)
        for i in 0..<(samples + 50) {
            let flag = "bench.flag-\(i % flagCount)", env = envs[(i / flagCount) % envs.count].path
            let k = try Clock.micros { try ops.kill(flag: flag, env: env, reason: "bench") }
            try ops.unkill(flag: flag, env: env, reason: "bench")
            let r = try Clock.micros { try raw.insertCommit(i) }
            if i >= 50 { kills.append(k); raws.append(r) }  // the first 50 warm caches
        }
        let kp50 = Percentile.of(kills, 50), kp99 = Percentile.of(kills, 99)
        let rp50 = Percentile.of(raws, 50), rp99 = Percentile.of(raws, 99)
        if !sync { return [("kill_nosync_p50_us", kp50), ("raw_nosync_p50_us", rp50)] }
        return [("kill_p50_us", kp50), ("kill_p99_us", kp99), ("raw_commit_p50_us", rp50), ("raw_commit_p99_us", rp99),
                ("kill_vs_raw_p50", kp50 / rp50), ("kill_vs_raw_p99", kp99 / rp99)]
    }
}

/// The baseline: SQLite's C API with nothing in between.
final class RawSQLite {
    private var db: OpaquePointer?
    private var insert: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { throw BenchError("open \(path)") }
        sqlite3_busy_timeout(db, 5_000)
        try exec("PRAGMA journal_mode = WAL")
        try exec("PRAGMA synchronous = FULL")
    }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchError("\(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    func insertCommit(_ i: Int) throws {
        if insert == nil {
            guard sqlite3_prepare_v2(db, "INSERT INTO bench_raw (payload) VALUES (?)", -1, &insert, nil) == SQLITE_OK else {
                throw BenchError("prepare: \(String(cString: sqlite3_errmsg(db)))")
            }
        }
        try exec("BEGIN IMMEDIATE")
        let payload = "row \(i)"
        sqlite3_bind_text(insert, 1, payload, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        guard sqlite3_step(insert) == SQLITE_DONE else { throw BenchError("insert: \(String(cString: sqlite3_errmsg(db)))") }
        sqlite3_reset(insert)
        try exec("COMMIT")
    }

    func close() {
        sqlite3_finalize(insert)
        sqlite3_close(db)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
