import FlagDeckCore
import FlagDeckDemo
import FlagDeckPostgres
import FlagDeckTestSupport
import Foundation

/// Team mode on a throwaway local cluster (started like the tests', PostgreSQL's
/// defaults: fsync on, synchronous_commit on, TCP on 127.0.0.1 with scram):
///
/// - `pg_raw_commit_*`: the floor — one row inserted and committed in an explicit
///   transaction, the three statements pipelined in one round trip, prepared, on its own
///   connection to the same server.
/// - `pg_migrate_1m_s`: `flagdeck migrate` of the generated 10,000 flags × 50
///   environments × 1,000,000 events database (generation not counted).
///
/// Without a server the suite says so and the bench exits non-zero, unless
/// `--no-postgres` was given, which skips it.
enum PostgresBench {
    static let suite = BenchSuite(
        name: "postgres",
        metrics: ["pg_raw_commit_p50_us", "pg_raw_commit_p99_us", "pg_migrate_1m_s", "pg_migrate_1m_events"],
        run: { try run() })

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
        out += try rawCommits(cluster)
        out += try migrate(cluster)
        return out
    }

    /// The baseline every team-mode write is compared with.
    static func rawCommits(_ cluster: PostgresCluster) throws -> [(String, Double)] {
        let db = try cluster.createDatabase(owner: "bench")
        let raw = try RawPostgres(cluster.url(user: "bench", password: "bench-pw", database: db))
        var samples: [Double] = []
        for i in 0..<1_050 {
            let t = try Clock.micros { try raw.insertCommit(i) }
            if i >= 50 { samples.append(t) }
        }
        return [("pg_raw_commit_p50_us", Percentile.of(samples, 50)), ("pg_raw_commit_p99_us", Percentile.of(samples, 99))]
    }

    static func migrate(_ cluster: PostgresCluster) throws -> [(String, Double)] {
        let dir = NSTemporaryDirectory() + "flagdeck-bench-pg-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = try SQLiteStore(path: dir + "/gen.sqlite", create: true)
        _ = try Generator(GeneratorConfig(flags: 10_000, envs: 50, events: 1_000_000, seed: 1)).run(into: source)
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
