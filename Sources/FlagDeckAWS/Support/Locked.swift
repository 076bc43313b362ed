import Foundation

/// A value behind a lock. Callers of this module are synchronous threads (parallel scan
/// segments, concurrent polls), so a plain lock is the right tool; `Synchronization.Mutex`
/// would raise the macOS deployment target for no gain on Linux.
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) { self.value = value }

    public func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    public var current: Value { withLock { $0 } }
}
