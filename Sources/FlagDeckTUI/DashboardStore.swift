import FlagDeckCore
import FlagDeckPostgres
import Foundation

/// How the dashboard opens its database: as the CLI does. A kill made in the dashboard
/// reaches bound sources through the same core push as one made by the CLI.
public enum DashboardStore {
    /// A `postgresql://` or `postgres://` URL opens the team database on that server.
    public static func open(path: String, warnings: PublishWarnings) throws -> any FlagStore {
        guard PostgresURL.isPostgres(path) else { return try SQLiteStore(path: path) }
        let store = try PostgresStore(url: path)
        // A read while the server restarts blocks the keyboard: the dashboard waits a few
        // seconds, not the CLI's window, and its listener says "reconnecting" meanwhile.
        store.reconnectWindow = dashboardReconnectWindow
        return store
    }

    static let dashboardReconnectWindow: TimeInterval = 3

    /// Who the dashboard's operations act as: the server-authenticated role on a team
    /// database (with this OS account and host as context), else the OS account.
    public static func actor(for store: any FlagStore) -> Actor {
        (store as? PostgresStore)?.actor() ?? .current()
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
