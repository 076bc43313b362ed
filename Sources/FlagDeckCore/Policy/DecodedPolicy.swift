import Foundation

/// The last stored policy text parsed, with its parse. Every mutation authorises itself
/// against the stored policy, and parsing its JSON cost a kill more than the rest of the
/// check; the text rarely changes. Keyed by the exact text the caller just read from the
/// store (or reused under `CommitMemo`'s data-version check), so a policy replaced by any
/// connection or process arrives as different text and is parsed afresh: the cache can
/// only ever answer for the text it is given, never for a policy that is no longer stored.
enum DecodedPolicy {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var last: (text: String, policy: AccessPolicy?)?

    /// `AccessPolicy.parse(text)`, reused while the text is the one parsed last.
    static func parse(_ text: String) -> AccessPolicy? {
        if let hit = lock.withLock({ last.flatMap { $0.text == text ? $0 : nil } }) { return hit.policy }
        let parsed = AccessPolicy.parse(text)
        lock.withLock { last = (text, parsed) }
        return parsed
    }
}
