import Foundation

/// Threads for test set-up (the emulator answers many requests at once).
enum Parallel {
    static func forEach(_ count: Int, width: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let next = Locked(0)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(width, count)) {
            group.enter()
            Thread {
                while true {
                    let i = next.take()
                    guard i < count else { break }
                    body(i)
                }
                group.leave()
            }.start()
        }
        group.wait()
    }
}

final class Locked<T>: @unchecked Sendable {
    private var v: T
    private let lock = NSLock()
    init(_ v: T) { self.v = v }
    var value: T {
        lock.lock()
        defer { lock.unlock() }
        return v
    }
    func set(_ new: T) {
        lock.lock()
        v = new
        lock.unlock()
    }
    func update<R>(_ body: (inout T) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&v)
    }
}

extension Locked where T == Int {
    /// The current value, then increments it.
    func take() -> Int { update { v in defer { v += 1 }; return v } }
}
