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
    private var latest: [String: (event: JobsProgress.Event, tick: Int, at: Date)] = [:]
    private var tick = 0

    /// Makes the board the process's observer (the dashboard does this when it starts).
    func install() {
        JobsProgress.observe { [self] e in
            lock.withLock {
                tick += 1
                latest[Self.key(e.action, e.flag, e.env)] = (e, tick, Date())
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

    /// A run of `action` still under way anywhere (its last report is not the end and is
    /// recent: a run cut short reports no end, and must not show as running for ever).
    func running(action: String, within seconds: TimeInterval = 5) -> JobsProgress.Event? {
        let now = Date()
        return lock.withLock {
            latest.values.filter { $0.event.action == action && $0.event.progress.done < $0.event.progress.total
                && now.timeIntervalSince($0.at) < seconds }.max { $0.tick < $1.tick }?.event
        }
    }

    /// `████▌░░░░░ 1200/3000 jobs, 1200 written`.
    static func bar(_ e: JobsProgress.Event, glyphs: Glyphs) -> String {
        let p = e.progress
        let bp = p.total == 0 ? 10_000 : min(10_000, p.done * 10_000 / p.total)
        return "\(CellFormat.bar(bp, width: 10, glyphs: glyphs)) \(p.done)/\(p.total) jobs, \(p.applied) written"
    }

    static func key(_ action: String, _ flag: String, _ env: EnvironmentID) -> String { "\(action) \(flag) \(env.path)" }
}
