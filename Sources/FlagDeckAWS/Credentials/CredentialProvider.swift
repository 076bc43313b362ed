import Foundation

/// A source of credentials. `credentials()` is called before every signed request and
/// from many threads at once, so implementations cache and are thread-safe.
public protocol AWSCredentialProvider: Sendable {
    func credentials() throws -> AWSCredentials
    /// Forgets cached credentials (after the service said they expired).
    func invalidate()
}

/// Long-term keys, or any fixed set.
public struct StaticCredentialProvider: AWSCredentialProvider {
    public let value: AWSCredentials
    public init(_ value: AWSCredentials) { self.value = value }
    public func credentials() throws -> AWSCredentials { value }
    public func invalidate() {}
}

/// Caches what `fetch` returns until `refreshMargin` seconds before its expiration (by
/// `clock`), then fetches again; credentials without an expiration are kept for good.
/// One fetch at a time: concurrent callers wait for it rather than each calling STS or
/// starting a process. If a refresh fails while the old credentials have not yet
/// expired, the old ones are returned (the SDKs' "advisory refresh").
public final class CachingCredentialProvider: AWSCredentialProvider {
    private let fetch: @Sendable () throws -> AWSCredentials
    private let clock: AWSClock
    private let refreshMargin: TimeInterval
    private let cached = Locked<AWSCredentials?>(nil)
    private let fetchCount = Locked(0)

    public init(refreshMargin: TimeInterval = 300, clock: AWSClock = .system,
                fetch: @escaping @Sendable () throws -> AWSCredentials) {
        self.fetch = fetch
        self.clock = clock
        self.refreshMargin = refreshMargin
    }

    /// How many times `fetch` ran: the evidence that the cache works.
    public var fetches: Int { fetchCount.current }

    public func credentials() throws -> AWSCredentials {
        try cached.withLock { (slot: inout AWSCredentials?) throws -> AWSCredentials in
            let now = clock.now()
            if let c = slot {
                guard let exp = c.expiration else { return c }
                if now < exp.addingTimeInterval(-refreshMargin) { return c }
            }
            do {
                fetchCount.withLock { $0 += 1 }
                let fresh = try fetch()
                slot = fresh
                return fresh
            } catch {
                if let c = slot, let exp = c.expiration, now < exp { return c }
                throw error
            }
        }
    }

    public func invalidate() { cached.withLock { $0 = nil } }
}
