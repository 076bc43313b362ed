import FlagDeckAWS
import Foundation

/// Runs blocking work (AWS calls that wait on the network: AppConfig polls, DynamoDB scan
/// segments and writes) on threads of its own, up to `width` at once. `DispatchQueue.concurrentPerform` sizes itself to the CPU count — two
/// here — which would make 24 accounts' polls wait on each other's round trips.
public enum BlockingParallel {
    public static func forEach(_ count: Int, width: Int = 32, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        if count == 1 { body(0); return }
        let next = Locked(0)
        let group = DispatchGroup()
        for _ in 0..<min(width, count) {
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

    /// `forEach`, collecting one result per index in order.
    public static func map<T: Sendable>(_ count: Int, width: Int = 32, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let results = Locked([T?](repeating: nil, count: count))
        forEach(count, width: width) { i in
            let r = body(i)
            results.withLock { $0[i] = r }
        }
        return results.withLock { $0 }.map { $0! }
    }

    /// Runs `body` on a new thread and resumes the caller with its result, so an async
    /// caller (the dashboard's refresh task) never blocks its own thread on the network.
    public static func detached<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            Thread {
                do { c.resume(returning: try body()) } catch { c.resume(throwing: error) }
            }.start()
        }
    }
}
