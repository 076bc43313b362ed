import FlagDeckCore
import Foundation

/// Reads the whole grid on a thread of its own while the first frame is already on
/// screen. The grid is a value owned by the event loop, so the loader never touches it:
/// the loop collects the finished `GridData` (`take`) and swaps it in.
final class GridLoader: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<GridData, any Error>?
    private var running = false
    private let done = DispatchSemaphore(value: 0)

    var isRunning: Bool { lock.withLock { running } }

    /// Starts a load unless one is under way; its result waits for `take`.
    func start(store: any FlagStore, now: Date) {
        let started = lock.withLock { () -> Bool in
            guard !running else { return false }
            running = true
            result = nil
            return true
        }
        guard started else { return }
        Thread.detachNewThread { [self] in
            let r = Result { try GridData.load(from: store, now: now) }
            lock.withLock { result = r }
            done.signal()
        }
    }

    /// The finished load, once.
    func take() -> Result<GridData, any Error>? {
        lock.withLock {
            guard let r = result else { return nil }
            result = nil
            running = false
            return r
        }
    }

    /// Blocks until the running load finishes (the benchmark's `finishLoading`).
    func wait(timeout: TimeInterval) -> Bool {
        let deadline = DispatchTime.now() + timeout
        while true {
            let (busy, finished) = lock.withLock { (running, result != nil) }
            if !busy || finished { return true }
            // A signal left by an earlier load only wakes this once; the loop checks again.
            if done.wait(timeout: deadline) == .timedOut { return false }
        }
    }
}
