import Foundation

/// Runs blocking calls (each one a network round trip) on threads of their own. Not GCD's
/// global queues: those are sized to the cores, and two cores would mean two requests in
/// flight. Bounded: never more than `width` threads at once.
enum BlockingThreads {
    /// Calls `body(i)` for every `i` in `0..<count` on at most `width` threads and
    /// returns when all have returned.
    static func forEach(_ count: Int, width: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let next = LockedBox(0)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(width, count)) {
            group.enter()
            let t = Thread {
                while true {
                    let i = next.withLock { (n: inout Int) -> Int in
                        defer { n += 1 }
                        return n
                    }
                    guard i < count else { break }
                    body(i)
                }
                group.leave()
            }
            t.stackSize = 1 << 20
            t.start()
        }
        group.wait()
    }

    /// Runs `body` on a new thread and resumes the caller with its result, so an async
    /// caller (the dashboard's refresh task) never blocks its own thread on the network.
    static func detached<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            Thread {
                do { c.resume(returning: try body()) } catch { c.resume(throwing: error) }
            }.start()
        }
    }
}

/// A value behind a lock, shared by the threads above.
final class LockedBox<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var current: Value { withLock { $0 } }
}
