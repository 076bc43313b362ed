import FlagDeckCore
import Foundation

/// How the dashboard opens its database. Wrapped in `PublishingStore` like the CLI's,
/// so a kill made in the dashboard also rewrites any `flagdeck publish` directory — the
/// applications see it, not just the grid.
public enum DashboardStore {
    public static func open(path: String, warnings: PublishWarnings) throws -> any FlagStore {
        PublishingStore(try SQLiteStore(path: path), onError: { warnings.add($0) })
    }
}

/// Publishing failures happen after the change is committed, inside the write; the
/// event loop picks them up and shows them on the status line.
public final class PublishWarnings: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [String] = []

    public init() {}

    func add(_ message: String) { lock.withLock { pending.append(message) } }

    /// The newest warning, clearing the queue.
    public func take() -> String? {
        lock.withLock {
            defer { pending.removeAll() }
            return pending.last
        }
    }
}
