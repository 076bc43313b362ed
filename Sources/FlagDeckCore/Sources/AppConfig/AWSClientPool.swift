import FlagDeckAWS
import Foundation

/// One `AWSClient` per profile and region, shared by every binding that names them: a
/// dashboard with 24 AppConfig bindings in 3 accounts then assumes each role once, runs
/// each `credential_process` once, and keeps one credentials cache per account.
public final class AWSClientPool: Sendable {
    /// Where profiles, keys and endpoints are read from (tests pass their own).
    public let environment: AWSEnvironment
    private let makeConfiguration: @Sendable (String?, String?, AWSEnvironment) -> AWSClientConfiguration
    private let clients = Locked<[Key: (client: AWSClient, cache: AppConfigAccountCache)]>([:])

    private struct Key: Hashable {
        var profile: String?
        var region: String?
    }

    /// `configure` may adjust each client's configuration (retries, a test clock).
    public init(environment: AWSEnvironment = .process,
                configure: @escaping @Sendable (inout AWSClientConfiguration) -> Void = { _ in }) {
        self.environment = environment
        makeConfiguration = { profile, region, env in
            var c = AWSClientConfiguration(profile: profile, region: region, environment: env)
            configure(&c)
            return c
        }
    }

    /// The process-wide pool over the process environment.
    public static let shared = AWSClientPool()

    /// The client for `profile` (nil: the default chain) in `region` (nil: the profile's).
    /// Building one reads the shared files only; a bad profile or a missing region is an
    /// error naming the profile.
    public func client(profile: String?, region: String?) throws(SourceError) -> AWSClient {
        try entry(profile: profile, region: region).client
    }

    /// The client and the cache its bindings share.
    func entry(profile: String?, region: String?) throws(SourceError) -> (client: AWSClient, cache: AppConfigAccountCache) {
        let key = Key(profile: profile, region: region)
        if let c = clients.withLock({ $0[key] }) { return c }
        let made: AWSClient
        do {
            made = try AWSClient(makeConfiguration(profile, region, environment))
        } catch {
            let where_ = "appconfig://\(profile ?? "")" + (region.map { "@" + $0 } ?? "")
            throw .unreachable(source: where_, detail: (error as? AWSError)?.description ?? "\(error)")
        }
        return clients.withLock { m in
            if let existing = m[key] { return existing }
            let e = (client: made, cache: AppConfigAccountCache())
            m[key] = e
            return e
        }
    }

    /// Profile names in the shared files, for discovery with no `--profile`.
    public func profileNames() throws(SourceError) -> [String] {
        do { return try AWSClient.profileNames(environment: environment) } catch {
            throw .unreachable(source: environment.configFilePath, detail: (error as? AWSError)?.description ?? "\(error)")
        }
    }
}
