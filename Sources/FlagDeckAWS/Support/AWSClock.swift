import Foundation

/// The time source for credential expiry decisions. Injected so a test can move past an
/// expiry without waiting; signatures always use the real time (a server rejects skew).
public struct AWSClock: Sendable {
    public let now: @Sendable () -> Date

    public init(_ now: @escaping @Sendable () -> Date) { self.now = now }

    public static let system = AWSClock { Date() }
}
