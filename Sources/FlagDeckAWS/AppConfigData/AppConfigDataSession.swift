import Foundation

/// What one poll saw.
public struct AppConfigDataPoll: Sendable, Hashable {
    /// The current document: the new one, or the last one when nothing changed.
    public var document: Data
    /// True when this poll delivered a document (the first poll always does, if one is deployed).
    public var changed: Bool
    public var contentType: String?
    public var versionLabel: String?
    public var nextPollIntervalSeconds: Int?
}

/// A polling session as an application holds one: it keeps the next token and the last
/// non-empty document, because AppConfigData answers "unchanged" with an empty body.
/// Thread-safe; polls are serialised (a token is good for one call).
public final class AppConfigDataSession: Sendable {
    public let application: String
    public let environment: String
    public let profile: String
    private let data: AppConfigDataClient
    private let minimumPollInterval: Int?

    private struct State {
        var token: String?
        var last: AppConfigDataPoll?
    }
    private let state = Locked(State())

    public init(client: AWSClient, application: String, environment: String, profile: String,
                requiredMinimumPollIntervalInSeconds: Int? = nil) {
        self.data = client.appConfigData
        self.application = application
        self.environment = environment
        self.profile = profile
        self.minimumPollInterval = requiredMinimumPollIntervalInSeconds
    }

    /// The last document seen, if any.
    public var document: Data? { state.current.last?.document }

    /// Polls once (starting the session on first use). If the token was refused (they
    /// expire after 24 hours), starts a fresh session and polls again, once.
    public func poll() throws -> AppConfigDataPoll {
        try state.withLock { (s: inout State) throws -> AppConfigDataPoll in
            do {
                return try pollLocked(&s)
            } catch {
                guard s.token != nil, (error as? AWSError)?.code == "BadRequestException" else { throw error }
                s.token = nil
                return try pollLocked(&s)
            }
        }
    }

    private func pollLocked(_ s: inout State) throws -> AppConfigDataPoll {
        let token: String
        if let t = s.token {
            token = t
        } else {
            token = try data.startConfigurationSession(application: application, environment: environment, profile: profile,
                                                       requiredMinimumPollIntervalInSeconds: minimumPollInterval)
        }
        let latest = try data.getLatestConfiguration(token: token)
        s.token = latest.nextPollToken
        let poll: AppConfigDataPoll
        if latest.configuration.isEmpty, let last = s.last {
            poll = AppConfigDataPoll(document: last.document, changed: false, contentType: last.contentType,
                                     versionLabel: last.versionLabel, nextPollIntervalSeconds: latest.nextPollIntervalSeconds)
        } else {
            poll = AppConfigDataPoll(document: latest.configuration, changed: !latest.configuration.isEmpty,
                                     contentType: latest.contentType, versionLabel: latest.versionLabel,
                                     nextPollIntervalSeconds: latest.nextPollIntervalSeconds)
        }
        s.last = poll
        return poll
    }
}
