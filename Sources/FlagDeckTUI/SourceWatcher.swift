import FlagDeckCore
import Foundation

/// Syncs the bound documents on a thread of its own, so an edit another program makes to
/// a bound file reaches the grid without a keypress and without the event loop ever
/// waiting on a file (or, later, a network) read. It only calls `Operations.sync`: what
/// it records is audited there, and the grid learns of it like of any other commit, from
/// the change token and the events after its seq.
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
    private let wake = DispatchSemaphore(value: 0)

    init(operations: Operations) {
        self.operations = operations
    }

    /// Why the last round could not run at all (the store refused the sync); a document
    /// that does not read or parse is not this: sync records it on its binding, and the
    /// environment's header shows it.
    var lastFailure: String? { lock.withLock { failure } }

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
            if !bound.isEmpty { _ = try operations.sync() }
            lock.withLock { failure = nil }
        } catch {
            lock.withLock { failure = DashboardApp.message(error) }
        }
    }
}
