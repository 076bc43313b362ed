import FlagDeckCore
import Foundation

/// Issue 5: all hints at 10,000 flags × 50 environments × 1,000,000 events, and one
/// flag's history page at 10,000 vs 1,000,000 events (goal: within 1.5×), on the shared
/// generated databases (read only).
enum LifecycleBench {
    static let suite = BenchSuite(
        name: "lifecycle",
        metrics: ["hints_all_ms", "history_open_10k_ms", "history_open_1m_ms", "history_open_ratio",
                  "history_env_page_1m_ms", "history_env_worst_1m_ms"],
        run: {
            let large = try SQLiteStore(path: try BenchDatabase.large.path())
            let small = try SQLiteStore(path: try BenchDatabase.history10k.path())
            return try LifecycleBenchmark.run(small: small, large: large, now: BenchDatabase.historyEnd)
        },
        how: "median of 5 (hints, env pages) / 21 (history pages) runs after a warm-up; hints judged at 2026-01-01; "
            + "1m figures on the \(BenchDatabase.large.label); 10k on the \(BenchDatabase.history10k.label)")
}
