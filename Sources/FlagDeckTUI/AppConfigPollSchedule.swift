import FlagDeckCore
import Foundation

/// When each AppConfig binding is polled next. Files are local and cheap, so the watcher
/// reads them every round; an AppConfig poll is a few network calls per binding per
/// account, and AppConfigData says how often a session should poll
/// (`NextPollIntervalInSeconds`), so each AppConfig binding has a due time of its own:
/// after a poll, AppConfig's interval or the `appconfig.poll_floor_seconds` floor,
/// whichever is sooner (`AppConfigPollSettings.interval`). A binding is polled by one
/// thread at a time; a slow account never holds up another, or the files.
final class AppConfigPollSchedule: @unchecked Sendable {
    private let lock = NSLock()
    private var due: [Int64: Date] = [:]
    private var inFlight: Set<Int64> = []

    /// The bindings to poll now, marked in flight (each must be passed to `finished`).
    func take(_ bindings: [SourceBinding], now: Date) -> [SourceBinding] {
        lock.withLock {
            let ids = Set(bindings.map(\.id))
            due = due.filter { ids.contains($0.key) }
            let ready = bindings.filter { b in !inFlight.contains(b.id) && (due[b.id].map { $0 <= now } ?? true) }
            inFlight.formUnion(ready.map(\.id))
            return ready
        }
    }

    /// A poll of `id` ended (read or failed); the next is due `interval` seconds on.
    func finished(_ id: Int64, at now: Date, interval: TimeInterval) {
        lock.withLock {
            inFlight.remove(id)
            due[id] = now.addingTimeInterval(interval)
        }
    }

    /// Every binding is due at the next round (a kill from this dashboard just started a
    /// deployment the operator is waiting to see complete); one in flight stays in flight.
    func pollAllSoon() {
        lock.withLock { due.removeAll() }
    }

    /// When `id` is due, for tests and the status of a binding never polled (nil).
    func nextDue(_ id: Int64) -> Date? { lock.withLock { due[id] } }

    static func isAppConfig(_ b: SourceBinding) -> Bool {
        guard case .some(.appConfig) = try? SourceURI(parsing: b.uri) else { return false }
        return true
    }
}
