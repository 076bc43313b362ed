import FlagDeckCore
import Foundation

/// The latest progress of every bulk DynamoDB write in this process (kill, unkill, a
/// sync's hold), as the core reports it through `JobsProgress.observe`. The core allows
/// one observer per process; the board is that observer for the dashboard, so two
/// cells killed at once each find their own bar, and nothing is written to stderr under
/// the full-screen terminal (the CLI's progress line would be).
final class JobsProgressBoard: @unchecked Sendable {
    static let shared = JobsProgressBoard()

    private let lock = NSLock()
    private var latest: [String: (event: JobsProgress.Event, tick: Int)] = [:]
    private var tick = 0

    /// Makes the board the process's observer (the dashboard does this when it starts).
    func install() {
        JobsProgress.observe { [self] e in
            lock.withLock {
                tick += 1
                latest[Self.key(e.action, e.flag, e.env)] = (e, tick)
            }
        }
    }

    /// The most recent progress of `action` on `flag` in any of `envs`, nil before the
    /// engine's first batch (it is still scanning the table).
    func progress(action: String, flag: String, envs: [EnvironmentID]) -> JobsProgress.Event? {
        lock.withLock {
            envs.compactMap { latest[Self.key(action, flag, $0)] }.max { $0.tick < $1.tick }?.event
        }
    }

    /// Forgets a finished run's progress, so the next run starts with no bar.
    func clear(action: String, flag: String, envs: [EnvironmentID]) {
        lock.withLock { for e in envs { latest[Self.key(action, flag, e)] = nil } }
    }

    static func key(_ action: String, _ flag: String, _ env: EnvironmentID) -> String { "\(action) \(flag) \(env.path)" }
}
