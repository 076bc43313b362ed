import Foundation

/// The document each environment's cells were last pushed to, per database, so the next
/// change there goes straight to its push instead of first opening a write transaction
/// that only finds the binding and rolls back (a fifth of a bound kill's own work).
///
/// A hint is never trusted: the push's journal transaction checks that it is still the
/// binding the flag lives in, and throws `BindingMoved` (nothing written) if not; the
/// change is then decided the ordinary way. Only an environment's sole binding is kept,
/// so one environment with several documents does not keep guessing wrong.
public final class BindingHints: @unchecked Sendable {
    private let lock = NSLock()
    private var hints: [String: SourceBinding] = [:]

    public init() {}

    func binding(store: String, env: String) -> SourceBinding? {
        lock.withLock { hints[store + "\u{0}" + env] }
    }

    func remember(_ b: SourceBinding, store: String, env: String) {
        lock.withLock { hints[store + "\u{0}" + env] = b }
    }

    func forget(store: String, env: String) {
        _ = lock.withLock { hints.removeValue(forKey: store + "\u{0}" + env) }
    }
}

/// Thrown inside a push's journal transaction when the binding the push was started with
/// is no longer where the flag lives: the transaction rolls back having written nothing.
struct BindingMoved: Error {}
