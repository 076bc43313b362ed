import Foundation

/// One GetLatestConfiguration answer.
public struct AppConfigLatestConfiguration: Sendable, Hashable {
    /// The document; empty means "unchanged since the token you sent".
    public var configuration: Data
    /// Use this token for the next call (each token is good for one call).
    public var nextPollToken: String
    /// Wait at least this long before the next poll.
    public var nextPollIntervalSeconds: Int?
    public var versionLabel: String?
    public var contentType: String?
}

/// AppConfigData, the data plane applications read from: what a flag kill must reach.
public struct AppConfigDataClient: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) { self.client = client }

    /// Starts a session and returns its InitialConfigurationToken. Identifiers may be ids
    /// or names (AppConfigData accepts both).
    public func startConfigurationSession(application: String, environment: String, profile: String,
                                          requiredMinimumPollIntervalInSeconds: Int? = nil) throws -> String {
        struct Body: Encodable {
            var ApplicationIdentifier: String
            var EnvironmentIdentifier: String
            var ConfigurationProfileIdentifier: String
            var RequiredMinimumPollIntervalInSeconds: Int?
        }
        struct Out: Decodable { var InitialConfigurationToken: String }
        var headers = HTTPHeaders()
        headers["Content-Type"] = "application/json"
        var r = AWSRequest(service: .appConfigData, operation: "StartConfigurationSession", method: "POST",
                           path: "/configurationsessions", headers: headers,
                           resource: "application \(application) environment \(environment) profile \(profile)")
        r.body = try JSONCoding.encode(Body(ApplicationIdentifier: application, EnvironmentIdentifier: environment,
                                            ConfigurationProfileIdentifier: profile,
                                            RequiredMinimumPollIntervalInSeconds: requiredMinimumPollIntervalInSeconds),
                                       context: client.context(for: r))
        let response = try client.send(r)
        return try JSONCoding.decode(Out.self, from: response.body, context: client.context(for: r)).InitialConfigurationToken
    }

    public func getLatestConfiguration(token: String) throws -> AppConfigLatestConfiguration {
        let r = AWSRequest(service: .appConfigData, operation: "GetLatestConfiguration", method: "GET",
                           path: "/configuration", query: [QueryItem("configuration_token", token)])
        let response = try client.send(r)
        guard let next = response.headers["Next-Poll-Configuration-Token"], !next.isEmpty else {
            throw AWSError.invalidResponse(reason: "no Next-Poll-Configuration-Token header", context: client.context(for: r))
        }
        return AppConfigLatestConfiguration(configuration: response.body, nextPollToken: next,
                                            nextPollIntervalSeconds: response.headers["Next-Poll-Interval-In-Seconds"].flatMap { Int($0) },
                                            versionLabel: response.headers["Version-Label"],
                                            contentType: response.headers["Content-Type"])
    }
}
