import FlagDeckCore
import Foundation

/// Measurements for `flagdeck-bench` (issue 5) on databases made by the core `Generator`:
/// `hints_all_ms`, and the history-open time at two log sizes (`history_open_1m_ms` vs
/// `history_open_10k_ms`, goal within 1.5×). Each figure is the median of `runs` timed
/// runs after one untimed warm-up (`Clock.medianMillis`).
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
    public static func hintsAll(store: any FlagStore, now: Date, runs: Int = 5) throws -> HintsResult {
        var last = HintsResult(milliseconds: 0, flags: 0, cells: 0, candidates: 0)
        last.milliseconds = try Clock.medianMillis(runs: runs) {
            let input = try store.read { try LifecycleInput.load(from: $0) }
            let all = input.allHints(now: now)
            last = HintsResult(milliseconds: 0, flags: input.flags.count,
                               cells: input.cellsByFlag.values.reduce(0) { $0 + $1.count },
                               candidates: all.filter(\.isCandidate).count)
        }
        return last
    }

    /// `history_open_*_ms`: the first page (50 events, newest first) of one flag's
    /// history, as the history screen opens it. Index-backed by `audit_event(flag, seq, action)`.
    public static func historyOpen(store: any FlagStore, flag: String, pageSize: Int = 50, runs: Int = 21) throws -> Double {
        try Clock.medianMillis(runs: runs) {
            let page = try store.read { try $0.events(AuditQuery(flag: flag, limit: pageSize)) }
            if page.count < pageSize {
                throw FlagDeckError.invalidArgument("history of \(flag) has \(page.count) events, not a full page of \(pageSize)")
            }
        }
    }

    /// `history_env_*_ms`: the first page of history filtered by environment alone. No
    /// index serves it (schema 4 dropped `audit_event(env, seq)` to keep kills at three
    /// pages), so it is a newest-first scan of the log: short for an environment with
    /// recent events, the whole log for one without (`env` names no environment then).
    public static func historyByEnvironment(store: any FlagStore, env: String, pageSize: Int = 50, runs: Int = 5) throws -> Double {
        try Clock.medianMillis(runs: runs) {
            _ = try store.read { try $0.events(AuditQuery(env: env, limit: pageSize)) }
        }
    }

    /// Where the history figures look: the flag of the newest change whose history has
    /// a full first page (the flag an operator most likely opens), and the environment of
    /// the newest change (one with its share of recent events).
    public struct Subjects: Sendable, Equatable {
        public var flag: String
        public var env: String
    }

    public static func subjects(store: any FlagStore, pageSize: Int = 50) throws -> Subjects {
        try store.read { r in
            let recent = try r.events(AuditQuery(limit: 2_000))
            guard let env = recent.lazy.compactMap(\.env).first else {
                throw FlagDeckError.invalidArgument("no event names an environment; nothing to measure")
            }
            var tried = Set<String>()
            for e in recent {
                guard let f = e.flag, tried.insert(f).inserted else { continue }
                if try r.events(AuditQuery(flag: f, limit: pageSize)).count == pageSize { return Subjects(flag: f, env: env) }
            }
            throw FlagDeckError.invalidArgument("no recently changed flag has \(pageSize) events; nothing to measure")
        }
    }

    /// The whole suite: the history page of the small log's subject flag, then on the
    /// large log the same page, all hints, and the by-environment pages. Returns the
    /// issue's metric names plus `history_open_ratio` (1m / 10k; the goal is ≤ 1.5).
    public static func run(small: any FlagStore, large: any FlagStore, now: Date) throws -> [(String, Double)] {
        let smallPage = try historyOpen(store: small, flag: try subjects(store: small).flag)
        let bigSubjects = try subjects(store: large)
        let largePage = try historyOpen(store: large, flag: bigSubjects.flag)
        let hints = try hintsAll(store: large, now: now)
        guard hints.flags > 0, hints.candidates > 0 else {
            throw BenchError("hints found \(hints.flags) flags and \(hints.candidates) candidates; nothing was measured")
        }
        let envPage = try historyByEnvironment(store: large, env: bigSubjects.env)
        let envWorst = try historyByEnvironment(store: large, env: "no-such/environment")
        return [("hints_all_ms", hints.milliseconds), ("history_open_10k_ms", smallPage), ("history_open_1m_ms", largePage),
                ("history_open_ratio", largePage / smallPage), ("history_env_page_1m_ms", envPage),
                ("history_env_worst_1m_ms", envWorst)]
    }
}
