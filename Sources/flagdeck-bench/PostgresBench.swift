import FlagDeckCore
import FlagDeckDemo
import FlagDeckPostgres
import FlagDeckTestSupport
import FlagDeckTUI
import Foundation

/// Team mode on a throwaway local cluster (started like the tests', PostgreSQL's
/// defaults: fsync on, synchronous_commit on, TCP on 127.0.0.1 with scram):
///
/// - `pg_raw_commit_*`: the floor — one row inserted and committed in an explicit
///   transaction, the three statements pipelined in one round trip, prepared, on its own
///   connection to the same server.
/// - `pg_kill_*`: a kill through `Operations` on `PostgresStore` (cell read under the
///   append lock, policy, chain, event, NOTIFY, commit), alternating sample by sample
///   with the raw commit so both see the same server and disk.
/// - `pg_kill_floor_*`: only what a kill must write and announce (`RawPostgresKillWrites`),
///   alternating with both, in a database of its own on the same server: how close to
///   the raw commit any kill could get.
/// - `pg_migrate_1m_s`: `flagdeck migrate` of the generated 10,000 flags × 50
///   environments × 1,000,000 events database (generation not counted).
///
/// Without a server the suite says so and the bench exits non-zero, unless
/// `--no-postgres` was given, which skips it.
enum PostgresBench {
    static let suite = BenchSuite(
        name: "postgres",
        metrics: ["pg_notify_redraw_ms", "pg_kill_p50_us", "pg_kill_p99_us", "pg_raw_commit_p50_us", "pg_raw_commit_p99_us", "pg_kill_vs_raw_p50",
                  "pg_kill_vs_raw_p99", "pg_kill_floor_p50_us", "pg_kill_floor_vs_raw_p50", "pg_kill_floor_vs_raw_p99"]
            + (CommandLine.arguments.contains("--no-pg-migrate") ? [] : ["pg_migrate_1m_s", "pg_migrate_1m_events"]),
        run: { try run() },
        how: "kill through Operations on PostgresStore vs pipelined prepared BEGIN/INSERT/COMMIT, 1,000 alternating samples; "
            + "floor: lock, cell update, event insert, NOTIFY, COMMIT pipelined, nothing else; "
            + "notify redraw: the dashboard renderer listening, 20 kills by the flagdeck binary, commit time to redrawn frame; "
            + "migrate: the generated 10k×50×1M database")

    static var skipped: Bool { CommandLine.arguments.contains("--no-postgres") }

    static func run() throws -> [(String, Double)] {
        if skipped {
            FileHandle.standardError.write(Data("postgres: skipped (--no-postgres)\n".utf8))
            return []
        }
        guard PostgresCluster.binariesPresent else {
            throw BenchError("no PostgreSQL server binaries in \(PostgresCluster.binDirectory): \(PostgresCluster.installHint); "
                             + "or pass --no-postgres to skip this suite")
        }
        let cluster = try PostgresCluster.start(fsync: true)
        defer { cluster.destroy() }
        try cluster.createRole("bench", password: "bench-pw")
        var out: [(String, Double)] = []
        out += try kills(cluster)
        if !CommandLine.arguments.contains("--no-pg-migrate") { out += try migrate(cluster) }
        return out
    }

    /// Kills against the floor, alternating, on the same server and database.
    static func kills(_ cluster: PostgresCluster) throws -> [(String, Double)] {
        let db = try cluster.createDatabase(owner: "bench")
        let url = cluster.url(user: "bench", password: "bench-pw", database: db)
        let store = try PostgresStore(url: url, create: true)
        let ops = Operations(store: store, actor: store.actor(client: Actor(name: "bench", host: "bench")))
        try ops.initialize()
        let envs = (0..<5).map { EnvironmentID(account: "acct", name: "env\($0)") }
        for e in envs { try ops.createEnvironment(e, protected: false) }
        let flagCount = 200
        for i in 0..<flagCount { try ops.createFlag(Flag(key: "bench.flag-\(i)", createdAt: Date())) }
        let raw = try RawPostgres(url)
        let floor = try RawPostgresKillWrites(try floorDatabase(cluster, envs: envs, flags: flagCount), role: "bench")
        var kills: [Double] = [], raws: [Double] = [], floors: [Double] = []
        for i in 0..<1_050 {
            let env = envs[(i / flagCount) % envs.count]
            let flag = "bench.flag-\(i % flagCount)"
            let k = try Clock.micros { try ops.kill(flag: flag, env: env.path, reason: "bench") }
            try ops.unkill(flag: flag, env: env.path, reason: "bench")
            let r = try Clock.micros { try raw.insertCommit(i) }
            let f = try Clock.micros { try floor.killWrites(flag: "bench.floor-\(i % flagCount)", env: env, i) }
            if i >= 50 { kills.append(k); raws.append(r); floors.append(f) }  // the first 50 warm caches and statement caches
        }
        let kp50 = Percentile.of(kills, 50), kp99 = Percentile.of(kills, 99)
        let rp50 = Percentile.of(raws, 50), rp99 = Percentile.of(raws, 99)
        let fp50 = Percentile.of(floors, 50), fp99 = Percentile.of(floors, 99)
        let redraw = try notifyRedraw(url: url)
        return [("pg_notify_redraw_ms", redraw), ("pg_kill_p50_us", kp50), ("pg_kill_p99_us", kp99), ("pg_raw_commit_p50_us", rp50), ("pg_raw_commit_p99_us", rp99),
                ("pg_kill_vs_raw_p50", kp50 / rp50), ("pg_kill_vs_raw_p99", kp99 / rp99),
                ("pg_kill_floor_p50_us", fp50), ("pg_kill_floor_vs_raw_p50", fp50 / rp50), ("pg_kill_floor_vs_raw_p99", fp99 / rp99)]
    }

    /// The floor's own team database on the same server (one WAL, one disk): its events
    /// are not the kills' chain, so the kills' connection keeps the head it last wrote,
    /// as it would with no other writer, and the floor's cells are never a kill's.
    static func floorDatabase(_ cluster: PostgresCluster, envs: [EnvironmentID], flags: Int) throws -> String {
        let url = cluster.url(user: "bench", password: "bench-pw", database: try cluster.createDatabase(owner: "bench"))
        let store = try PostgresStore(url: url, create: true)
        let ops = Operations(store: store, actor: store.actor(client: Actor(name: "bench", host: "bench")))
        try ops.initialize()
        for e in envs { try ops.createEnvironment(e, protected: false) }
        for i in 0..<flags { try ops.createFlag(Flag(key: "bench.floor-\(i)", createdAt: Date())) }
        return url
    }

    /// The dashboard's renderer on the team database, listening as the real one does;
    /// another process (the `flagdeck` binary) kills the cell under the cursor. Measured:
    /// from that event's commit time (the `at` the server's transaction recorded, real
    /// clock, same machine) to the redrawn frame showing it, polling at the dashboard
    /// loop's cadence for an idle keyboard (`DashboardApp.pollInterval`).
    static func notifyRedraw(url: String) throws -> Double {
        let flagdeck = try DashboardBench.siblingExecutable("flagdeck")
        guard let out = fopen("/dev/null", "w") else { throw BenchError("cannot open /dev/null") }
        defer { fclose(out) }
        let r = try DashboardRenderer(options: DashboardOptions(dbPath: url), output: out, rows: 45, cols: 160)
        defer { r.close() }
        r.renderFrame()
        guard r.finishLoading(timeout: 60) else { throw BenchError("the team grid did not load within 60 s") }
        r.renderFrame()
        guard let row = r.app.model.currentRow, let env = r.app.model.currentEnvironment else { throw BenchError("empty grid") }
        let store = try PostgresStore(url: url)
        var samples: [Double] = []
        for _ in 0..<20 {
            let killed = r.app.model.currentState?.killed == true
            try DashboardBench.runProcess(flagdeck, [killed ? "unkill" : "kill", row.flag.key, "--env", env.id.path,
                                                     "--reason", "bench", "--yes", "--db", url])
            let deadline = Date().addingTimeInterval(5)
            while r.app.model.currentState?.killed != !killed {
                guard Date() < deadline else { throw BenchError("the other process's change was not redrawn within 5 s") }
                usleep(useconds_t(r.app.pollInterval * 1_000_000))
                if r.pollChanges() { r.renderFrame() }
            }
            // The newest event is the other process's change (nothing else writes here now).
            guard let at = try store.read({ try $0.events(AuditQuery(limit: 1)) }).first?.date else {
                throw BenchError("no event after the other process's change")
            }
            samples.append(Date().timeIntervalSince(at) * 1000)
        }
        return Percentile.of(samples, 50)
    }

    static func migrate(_ cluster: PostgresCluster) throws -> [(String, Double)] {
        // The shared generated database, read only: migration copies it and writes nothing there.
        let source = try SQLiteStore(path: try BenchDatabase.large.path())
        let db = try cluster.createDatabase(owner: "bench")
        let start = Date()
        let report = try PostgresMigration.copy(from: source, to: cluster.url(user: "bench", password: "bench-pw", database: db))
        let seconds = Date().timeIntervalSince(start)
        guard report.head == (try AuditLog.head(source)) else { throw BenchError("migrated head differs from the source's") }
        return [("pg_migrate_1m_s", seconds), ("pg_migrate_1m_events", Double(report.events))]
    }
}

/// libpq with nothing in between: BEGIN, one INSERT, COMMIT, in one pipeline.
final class RawPostgres {
    let conn: PGConnection
    init(_ url: String) throws {
        conn = try PGConnection(url)
        try conn.query("CREATE TABLE bench_raw (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload text NOT NULL)")
    }

    func insertCommit(_ i: Int) throws {
        try conn.pipeline([PGStatement("BEGIN"), PGStatement("INSERT INTO bench_raw (payload) VALUES ($1)", ["row \(i)"]),
                           PGStatement("COMMIT")])
    }
}
