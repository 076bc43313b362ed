import FlagDeckCore
import Foundation

/// Reads how many jobs are on in every DynamoDB-bound cell on a thread of its own, after
/// a commit (a sync, a kill, a per-job override), so the event loop never waits on a read
/// of ten thousand per-job overrides. Like `GridLoader`, it never touches the grid: the
/// loop collects the result (`take`) and swaps it in.
///
/// The same read looks through the events since the last one for syncs that re-applied a
/// held kill (a job turned back on outside flagdeck and turned off again), so the
/// dashboard can say so, whichever process ran the sync.
final class JobsSummaryLoader: @unchecked Sendable {
    struct Loaded: Sendable {
        var jobs: [CellKey: JobsCellSummary]
        var held: [JobsHeldNotice]
    }

    private let lock = NSLock()
    private var result: Result<Loaded, any Error>?
    private var running = false
    /// A commit landed while a read was under way: read again once it is done.
    private var again = false
    /// Events after this seq have not been looked at for holds yet.
    private var since: Int64?

    /// Starts a read unless one is under way (then one more follows it). `after` is the
    /// grid's seq: holds recorded before the dashboard showed the grid are not news.
    func start(store: any FlagStore, after seq: Int64) {
        let go = lock.withLock { () -> Bool in
            if since == nil { since = seq }
            guard !running else { again = true; return false }
            running = true
            return true
        }
        guard go else { return }
        Thread.detachNewThread { [self] in
            var more = true
            while more {
                let from = lock.withLock { since ?? seq }
                let r = Result { () throws -> (Loaded, Int64) in
                    try store.read { r in
                        let head = try r.head()?.seq ?? from
                        return (Loaded(jobs: try Self.summaries(r), held: try JobsHeldNotice.found(r, after: from)), head)
                    }
                }
                more = lock.withLock {
                    switch r {
                    case .success(let (loaded, head)):
                        since = max(from, head)
                        // Notices not taken yet stay: a second read must not hide the first's.
                        let earlier = (try? result?.get())?.held ?? []
                        result = .success(Loaded(jobs: loaded.jobs, held: earlier + loaded.held))
                    case .failure(let e): result = .failure(e)
                    }
                    let next = again
                    again = false
                    if !next { running = false }
                    return next
                }
            }
        }
    }

    /// The first read, once: after the first frame, which does not wait for the counts.
    func startOnce(store: any FlagStore, after seq: Int64) {
        guard lock.withLock({ since == nil }) else { return }
        start(store: store, after: seq)
    }

    /// The finished read, once.
    func take() -> Result<Loaded, any Error>? {
        lock.withLock {
            defer { result = nil }
            return result
        }
    }

    var isRunning: Bool { lock.withLock { running } }

    /// Every DynamoDB-bound cell's summary, by cell, from the core's own count.
    static func summaries(_ r: any StoreReading) throws -> [CellKey: JobsCellSummary] {
        var out: [CellKey: JobsCellSummary] = [:]
        for (flag, byEnv) in try Operations.jobsSummaries(r) {
            for (env, s) in byEnv { out[CellKey(flag: flag, env: env)] = s }
        }
        return out
    }
}
