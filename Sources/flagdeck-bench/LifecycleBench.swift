import FlagDeckCore
import Foundation

/// Issue 5: all hints at 10,000 flags × 50 environments × 1,000,000 events, and one
/// flag's history page at 10,000 vs 1,000,000 events (goal: within 1.5×).
enum LifecycleBench {
    static let suite = BenchSuite(
        name: "lifecycle",
        metrics: ["hints_all_ms", "history_open_10k_ms", "history_open_1m_ms", "history_open_ratio",
                  "history_env_page_1m_ms", "history_env_worst_1m_ms"],
        run: {
            let dir = NSTemporaryDirectory() + "flagdeck-bench-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            return try LifecycleBenchmark.run(directory: dir)
        })
}
