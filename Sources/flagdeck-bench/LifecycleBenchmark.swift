import FlagDeckCore
import Foundation

/// Measurements for `flagdeck-bench` (issue 5): `hints_all_ms`, and the history-open
/// time at two log sizes (`history_open_1m_ms` vs `history_open_10k_ms`, goal within
/// 1.5×). Each figure is the median of `runs` timed runs after one untimed warm-up, so
/// a cold page cache does not decide it.
public enum LifecycleBenchmark {
    /// What `hintsAll` measured, with counts so a suspiciously fast run is visible.
    public struct HintsResult: Sendable {
        public var milliseconds: Double
        public var flags: Int
        public var cells: Int
        public var candidates: Int
    }

    /// `hints_all_ms`: read the inventory, the settings and the per-flag audit summary in
    /// one read transaction and compute every hint of every flag, as the review does.
    public static func hintsAll(store: any FlagStore, now: Date = Date(), runs: Int = 5) throws -> HintsResult {
        var last = HintsResult(milliseconds: 0, flags: 0, cells: 0, candidates: 0)
        let ms = try median(runs: runs) {
            let input = try store.read { try LifecycleInput.load(from: $0) }
            let all = input.allHints(now: now)
            last = HintsResult(milliseconds: 0, flags: input.flags.count,
                               cells: input.cellsByFlag.values.reduce(0) { $0 + $1.count },
                               candidates: all.filter(\.isCandidate).count)
        }
        last.milliseconds = ms
        return last
    }

    /// `history_open_*_ms`: the first page (50 events, newest first) of one flag's
    /// history, as the history screen opens it. Index-backed by `audit_event(flag, seq, action)`.
    public static func historyOpen(store: any FlagStore, flag: String, pageSize: Int = 50, runs: Int = 21) throws -> Double {
        try median(runs: runs) {
            let page = try store.read { try $0.events(AuditQuery(flag: flag, limit: pageSize)) }
            if page.isEmpty { throw FlagDeckError.invalidArgument("history of \(flag) is empty; nothing to measure") }
        }
    }

    /// `history_env_*_ms`: the first page of history filtered by environment alone. No
    /// index serves it (schema 4 dropped `audit_event(env, seq)` to keep kills at three
    /// pages), so it is a newest-first scan of the log: short for an environment with
    /// recent events, the whole log for one without (`env` names no environment then).
    public static func historyByEnvironment(store: any FlagStore, env: String, pageSize: Int = 50, runs: Int = 5) throws -> Double {
        try median(runs: runs) {
            _ = try store.read { try $0.events(AuditQuery(env: env, limit: pageSize)) }
        }
    }

    /// The whole suite on a fresh store in `directory`: the history page is timed when the
    /// log holds `smallLog` events, then the log grows to `largeLog` and the page and all
    /// hints are timed again. Same flags, same cells, only the log differs. Returns the
    /// issue's metric names plus `history_open_ratio` (1m / 10k; the goal is ≤ 1.5).
    public static func run(directory: String, flags: Int = 10_000, environments: Int = 50,
                           smallLog: Int = 10_000, largeLog: Int = 1_000_000, now: Date = Date()) throws -> [(String, Double)] {
        let path = directory + "/lifecycle-bench.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let (hot, busyEnv, small): (String, String, Double) = try {
            var builder = try LifecycleBenchmarkData.Builder(store: try SQLiteStore(path: path, create: true), flags: flags,
                                                             environments: environments, plannedEvents: largeLog, now: now)
            try builder.appendEvents(upTo: smallLog)
            let hot = builder.summary.hotFlag
            let small = try historyOpen(store: builder.store, flag: hot)
            try builder.appendEvents(upTo: largeLog)
            return (hot, builder.summary.someEnvironment, small)
        }()
        // Reopened: closing the builder's connection checkpoints the write-ahead log, so
        // the large figures read the database as `flagdeck review` would find it.
        let store = try SQLiteStore(path: path)
        let large = try historyOpen(store: store, flag: hot)
        let hints = try hintsAll(store: store, now: now)
        let envPage = try historyByEnvironment(store: store, env: busyEnv)
        let envWorst = try historyByEnvironment(store: store, env: "no-such/environment")
        return [("hints_all_ms", hints.milliseconds), ("history_open_10k_ms", small), ("history_open_1m_ms", large),
                ("history_open_ratio", large / small), ("history_env_page_1m_ms", envPage), ("history_env_worst_1m_ms", envWorst)]
    }

    static func median(runs: Int, _ body: () throws -> Void) throws -> Double {
        try body()  // warm-up
        var samples: [Double] = []
        for _ in 0..<max(1, runs) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}
