import FlagDeckCore
import Foundation

/// Kill latency against the floor, on the product's own path: the store and operations
/// built by `StoreOpener` exactly as the CLI builds them (SQLite store, pushes a
/// crash interrupted settled, the OS account as operator), a working copy of the shared generated
/// database (10,000 flags × 50 environments × 1,000,000 events) under an access policy
/// with allow rules, and each kill asked for through `Operations.apply(KillRequest)` with
/// the cell version read just before, as the CLI's prompt and the dashboard's grid do.
///
/// The floor is SQLite's C API with nothing in between: a prepared BEGIN IMMEDIATE,
/// single-row INSERT and COMMIT on the same file with the same settings (WAL,
/// synchronous=FULL). Samples alternate so both see the same disk and cache conditions;
/// the ratio is what the issue's goal (≤ 1.5×) is about.
///
/// A third sample, the floor (`RawKillWrites`), writes exactly the rows a kill writes
/// through the same C API: `kill_floor_vs_raw` is as close to the raw commit as any
/// kill could get while writing its cell, its event and the event's index entry, and
/// `kill_nosync_p50_us − kill_floor_nosync_p50_us` is what flagdeck itself adds. On the
/// same file as the others: the raw commit already makes every kill start after another
/// connection's commit, so the floor's commits change nothing the kill sees.
enum KillBench {
    static let samples = 1_000
    static let warmup = 50

    static let suite = BenchSuite(
        name: "kill",
        metrics: ["kill_p50_us", "kill_p99_us", "raw_commit_p50_us", "raw_commit_p99_us", "kill_vs_raw_p50", "kill_vs_raw_p99",
                  "kill_floor_p50_us", "kill_floor_p99_us", "kill_floor_vs_raw_p50", "kill_floor_vs_raw_p99",
                  "kill_nosync_p50_us", "raw_nosync_p50_us", "kill_floor_nosync_p50_us"],
        run: { try run(on: .large, samples: samples, warmup: warmup) },
        how: "Operations.apply(KillRequest) via StoreOpener (SQLiteStore, OS account, policy with "
            + "\(policyRuleCount) allow rules), each on a different cell, vs prepared C-API BEGIN/INSERT/COMMIT on the same file; "
            + "\(samples) alternating samples after \(warmup) warm-up, synchronous=FULL (nosync pair: OFF); "
            + "floor: only the rows a kill writes (head read, cell update, event insert), C API, prepared, on other cells; "
            + "working copy of the \(BenchDatabase.large.label)")

    /// Both measurements on one working copy of `database`; the copy is removed afterwards.
    static func run(on database: BenchDatabase, samples: Int, warmup: Int) throws -> [(String, Double)] {
        let path = try database.workingCopy()
        defer { database.remove(copy: path) }
        // Kills are undone, so both passes kill the same cells; the floor's are not, so
        // each pass has cells of its own, none of them a kill's.
        let n = samples + warmup
        let cells = try prepare(path: path, count: 3 * n)
        let kills = Array(cells[..<n])
        return try measure(path: path, cells: kills, floorCells: Array(cells[n..<(2 * n)]), warmup: warmup, sync: true)
            + measure(path: path, cells: kills, floorCells: Array(cells[(2 * n)...]), warmup: warmup, sync: false)
    }

    static let policyRuleCount = 4

    /// The policy the kills run under: rules for others first, the bench operator's
    /// `user:` rule last, so every kill decodes and scans a real policy.
    static func policy(admins: [String], operator me: Actor) -> AccessPolicy {
        AccessPolicy(admins: admins + ["user:\(me.name)"], allow: [
            .init(principal: "group:payments-oncall", envs: "payments-*/*"),
            .init(principal: "group:sre", envs: "*/prod*"),
            .init(principal: "user:release-bot", envs: "*/staging"),
            .init(principal: "user:\(me.name)", envs: "*"),
        ])
    }

    /// Installs the policy (as the database's own admin) and picks `count` distinct cells
    /// that are not killed, spread over the flags and environments.
    static func prepare(path: String, count: Int) throws -> [(flag: String, env: EnvironmentID)] {
        let store = try SQLiteStore(path: path)
        let current = try Operations(store: store, actor: Actor(name: "bench", host: "bench")).policy()
        guard let admin = current.admins.first(where: { $0.hasPrefix("user:") }) else {
            throw BenchError("the generated database has no user: admin to install the bench policy")
        }
        let p = policy(admins: current.admins, operator: .current())
        try Operations(store: store, actor: Actor(name: String(admin.dropFirst(5)), host: "bench"))
            .setPolicy(p, reason: "bench: the kills run under a policy with allow rules")
        precondition(p.allow.count == policyRuleCount)
        return try store.read { r in
            let flags = try r.flags().map(\.key)
            let envs = try r.environments().map(\.id)
            guard flags.count * envs.count >= 2 * count else {
                throw BenchError("\(flags.count) flags × \(envs.count) environments are too few cells for \(count) kills")
            }
            // A stride coprime with the flag count visits every flag before repeating one.
            var stride = max(1, flags.count / 3 + 1)
            while gcd(stride, flags.count) != 1 { stride += 1 }
            var picked: [(flag: String, env: EnvironmentID)] = []
            var i = 0
            while picked.count < count {
                let flag = flags[(i * stride) % flags.count]
                let env = envs[(i * 7 + i / flags.count) % envs.count]
                if let s = try r.state(flag: flag, env: env), !s.killed { picked.append((flag, env)) }
                i += 1
                guard i < flags.count * envs.count else { throw BenchError("fewer than \(count) cells are not killed") }
            }
            return picked
        }
    }

    /// With `sync: false` both sides run with synchronous=OFF: no fsync, so the figures
    /// are the software cost alone (GRDB, validation, policy, snapshots, hashing,
    /// publishing check) — a diagnostic for when the fsync-bound ratio moves.
    static func measure(path: String, cells: [(flag: String, env: EnvironmentID)],
                        floorCells: [(flag: String, env: EnvironmentID)], warmup: Int,
                        sync: Bool) throws -> [(String, Double)] {
        let store = try SQLiteStore(path: path)
        let ops = try StoreOpener.operations(on: store)
        let raw = try RawSQLite(path: path)
        defer { raw.close() }
        let floor = try RawKillWrites(path: path)
        defer { floor.close() }
        if !sync {
            try store.withDatabase { try $0.execute(sql: "PRAGMA synchronous = OFF") }
            try raw.exec("PRAGMA synchronous = OFF")
            try floor.exec("PRAGMA synchronous = OFF")
        }
        try raw.exec("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        try raw.prepare()
        let headBefore = try store.read { try $0.head()?.seq } ?? 0

        var kills: [Double] = [], raws: [Double] = [], floors: [Double] = []
        kills.reserveCapacity(cells.count)
        raws.reserveCapacity(cells.count)
        for (i, cell) in cells.enumerated() {
            // What the operator was shown: the CLI reads the cell before its prompt, the
            // dashboard has it in the grid. Not timed; the kill is.
            guard let seen = try store.read({ try $0.state(flag: cell.flag, env: cell.env) }) else {
                throw BenchError("no cell \(cell.flag) in \(cell.env)")
            }
            let request = KillRequest(.kill, flag: cell.flag, scope: .environment(cell.env.path), reason: "bench: incident drill",
                                      seenVersions: [cell.env: seen.version])
            var killed = MutationResult()
            let k = try Clock.micros { killed = try ops.apply(request) }
            guard let after = killed.states.first, after.killed, killed.events.count == 1 else {
                throw BenchError("the kill of \(cell.flag) in \(cell.env) wrote nothing: \(killed.unchangedReason ?? "?")")
            }
            let undo = KillRequest(.unkill, flag: cell.flag, scope: .environment(cell.env.path), reason: "bench: drill over",
                                   seenVersions: [cell.env: after.version])
            guard try ops.apply(undo).changed else { throw BenchError("the unkill of \(cell.flag) in \(cell.env) wrote nothing") }
            let r = try Clock.micros { try raw.insertCommit(i) }
            let other = floorCells[i]
            try floor.see(flag: other.flag, env: other.env)
            let f = try Clock.micros { try floor.killWrites(flag: other.flag, env: other.env, i) }
            if i >= warmup { kills.append(k); raws.append(r); floors.append(f) }  // the first ones warm caches
        }
        let headAfter = try store.read { try $0.head()?.seq } ?? 0
        // A kill and its unkill through the product, and the floor's one event, per sample.
        guard headAfter - headBefore == Int64(3 * cells.count) else {
            throw BenchError("expected \(3 * cells.count) audit events, the log grew by \(headAfter - headBefore)")
        }

        let kp50 = Percentile.of(kills, 50), kp99 = Percentile.of(kills, 99)
        let rp50 = Percentile.of(raws, 50), rp99 = Percentile.of(raws, 99)
        let fp50 = Percentile.of(floors, 50), fp99 = Percentile.of(floors, 99)
        if !sync { return [("kill_nosync_p50_us", kp50), ("raw_nosync_p50_us", rp50), ("kill_floor_nosync_p50_us", fp50)] }
        return [("kill_p50_us", kp50), ("kill_p99_us", kp99), ("raw_commit_p50_us", rp50), ("raw_commit_p99_us", rp99),
                ("kill_vs_raw_p50", kp50 / rp50), ("kill_vs_raw_p99", kp99 / rp99),
                ("kill_floor_p50_us", fp50), ("kill_floor_p99_us", fp99), ("kill_floor_vs_raw_p50", fp50 / rp50), ("kill_floor_vs_raw_p99", fp99 / rp99)]
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
