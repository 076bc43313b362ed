import FlagDeckCore
import Foundation

/// Syncs the bound documents on a thread of its own, so an edit another program makes to
/// a bound file reaches the grid without a keypress and without the event loop ever
/// waiting on a file (or, later, a network) read. It only calls `Operations.sync`: what
/// it records is audited there, and the grid learns of it like of any other commit, from
/// the change token and the events after its seq.
///
/// Files (and DynamoDB tables) are read every round. AppConfig bindings are polled on
/// their own threads, each when `AppConfigPollSchedule` says it is due (AppConfig's
/// `NextPollIntervalInSeconds`, or the `appconfig.poll_floor_seconds` floor), so a slow
/// account holds up neither the files nor another account; what each poll finds about
/// its deployment goes to `deployments` for the grid.
///
/// A read-only dashboard does not sync: it promised to write nothing, and a sync records
/// events. Run `flagdeck sync` (or a writable dashboard) to record external edits.
final class SourceWatcher: @unchecked Sendable {
    /// How often the documents are read. With the event loop's own poll (0.25 s), an
    /// external edit is on the grid within about half a second.
    static let interval: TimeInterval = 0.25

    private let operations: Operations
    private let lock = NSLock()
    private var stopped = false
    private var running = false
    private var failure: String?
    /// The last AppConfig poll's store failure, apart: poll threads end at their own times.
    private var pollFailure: String?
    private let wake = DispatchSemaphore(value: 0)
    let schedule = AppConfigPollSchedule()
    let board = DeploymentBoard()

    init(operations: Operations) {
        self.operations = operations
    }

    /// Why the last round could not run at all (the store refused the sync); a document
    /// that does not read or parse is not this: sync records it on its binding, and the
    /// environment's header shows it.
    var lastFailure: String? { lock.withLock { failure ?? pollFailure } }

    /// Each AppConfig-bound environment's deployment state, as its last poll found it.
    var deployments: [EnvironmentID: BindingDeployment] { board.snapshot }

    /// Polls every AppConfig binding at the next round, whatever its schedule: this
    /// dashboard just wrote, and the deployment it started is what the operator watches.
    func pollSoon() {
        schedule.pollAllSoon()
        wake.signal()
    }

    func start() {
        let go = lock.withLock { () -> Bool in
            guard !running else { return false }
            running = true
            stopped = false
            return true
        }
        guard go else { return }
        Thread.detachNewThread { [self] in
            while !lock.withLock({ stopped }) {
                round()
                _ = wake.wait(timeout: .now() + Self.interval)
            }
            lock.withLock { running = false }
        }
    }

    func stop() {
        lock.withLock { stopped = true }
        wake.signal()
    }

    /// One pass over every bound document; a document whose version did not move costs a
    /// read and a hash, and writes nothing.
    func round() {
        do {
            let bound = try operations.store.read { try $0.sourceBindings() }
            // Each URI is parsed once a round: AppConfig bindings keep their own schedule.
            let (remote, local) = bound.reduce(into: ([SourceBinding](), [SourceBinding]())) { split, b in
                if AppConfigPollSchedule.isAppConfig(b) { split.0.append(b) } else { split.1.append(b) }
            }
            board.keep(only: Set(remote.map(\.id)))
            if !remote.isEmpty { try poll(remote) }
            for b in local { _ = try operations.sync(binding: b) }
            lock.withLock { failure = nil }
        } catch {
            lock.withLock { failure = DashboardApp.message(error) }
        }
    }

    /// Starts a poll thread for each AppConfig binding that is due; returns at once.
    func poll(_ remote: [SourceBinding]) throws {
        let due = schedule.take(remote, now: Date())
        guard !due.isEmpty else { return }
        let settings = try operations.store.read { try AppConfigPollSettings.load(try $0.settings()) }
        for b in due {
            Thread.detachNewThread { [self] in pollOne(b, settings) }
        }
    }

    /// One AppConfig binding: sync it (recording what changed out there), post its
    /// deployment state, and schedule the next poll at the interval AppConfigData gave.
    func pollOne(_ b: SourceBinding, _ settings: AppConfigPollSettings) {
        let result = Result { try operations.sync(binding: b) }
        let driver = (try? operations.sources.documentSource(for: b)) as? AppConfigSource
        let served = driver?.lastServedState
        if case .success(let report) = result, let report, report.error == nil {
            board.post(BindingDeployment(env: b.env, deployment: served?.latestDeployment, status: report.status), binding: b.id)
        }
        lock.withLock {
            if case .failure(let error) = result { pollFailure = DashboardApp.message(error) } else { pollFailure = nil }
        }
        schedule.finished(b.id, at: Date(), interval: settings.interval(suggested: served?.nextPollIntervalSeconds))
    }
}
