import FlagDeckAWS
import Foundation

/// What every binding of one account and region can share: hosted versions (immutable once
/// created, so their content is fetched once for all the environments they are deployed
/// to) and the name lookups of a first read, done once while the other bindings of the
/// account wait for it instead of repeating it. A dashboard opening 8 environments of one
/// application then lists that application's profiles once, not 8 times.
final class AppConfigAccountCache: Sendable {
    static let versionCapacity = 64
    /// Name lookups are reused this long: long enough to serve the bindings opened together,
    /// short enough that a renamed or new resource is seen on the next open.
    static let lookupTTL: TimeInterval = 10

    private struct State {
        var versions: [String: AppConfigHostedVersion] = [:]
        var order: [String] = []
        var lookups: [String: (at: Date, value: any Sendable)] = [:]
    }
    private let state = Locked(State())
    /// One lookup at a time per key (single flight); the others wait and reuse its answer.
    private let flights = Locked([String: NSLock]())

    func hosted(_ app: String, _ profile: String, _ version: Int) -> AppConfigHostedVersion? {
        state.withLock { $0.versions["\(app)/\(profile)/\(version)"] }
    }

    func remember(_ h: AppConfigHostedVersion) {
        let key = "\(h.applicationId)/\(h.configurationProfileId)/\(h.versionNumber)"
        state.withLock { s in
            if s.versions[key] == nil { s.order.append(key) }
            s.versions[key] = h
            while s.order.count > Self.versionCapacity { s.versions[s.order.removeFirst()] = nil }
        }
    }

    func forget(_ app: String, _ profile: String, _ version: Int) {
        let key = "\(app)/\(profile)/\(version)"
        state.withLock { s in
            s.versions[key] = nil
            s.order.removeAll { $0 == key }
        }
    }

    /// `fetch`'s answer for `key`, reused for `lookupTTL`; concurrent callers share one fetch.
    func lookup<T: Sendable>(_ key: String, _ fetch: () throws -> T) throws -> T {
        if let v = fresh(key, T.self) { return v }
        let gate = flights.withLock { (m: inout [String: NSLock]) -> NSLock in
            if let l = m[key] { return l }
            let l = NSLock()
            m[key] = l
            return l
        }
        gate.lock()
        defer { gate.unlock() }
        if let v = fresh(key, T.self) { return v }
        let v = try fetch()
        state.withLock { $0.lookups[key] = (Date(), v) }
        return v
    }

    private func fresh<T>(_ key: String, _: T.Type) -> T? {
        state.withLock { s in
            guard let e = s.lookups[key], Date().timeIntervalSince(e.at) < Self.lookupTTL else { return nil }
            return e.value as? T
        }
    }
}
