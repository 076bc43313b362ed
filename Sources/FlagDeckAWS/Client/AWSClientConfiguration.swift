import Foundation

/// What to build an `AWSClient` from. Every field has a default that reads the process
/// environment and shared files the way the aws CLI does.
public struct AWSClientConfiguration: Sendable {
    /// A profile name; nil means `AWS_ACCESS_KEY_ID`…, else `AWS_PROFILE`, else `default`.
    public var profile: String?
    /// Overrides `AWS_REGION`, `AWS_DEFAULT_REGION` and the profile's `region`.
    public var region: String?
    /// One endpoint for every service (like `--endpoint-url`), over all configured ones.
    public var endpointURL: String?
    /// Fixed credentials, over the whole chain.
    public var credentials: AWSCredentials?
    /// A provider of your own (over `credentials` and the chain), e.g. one shared by
    /// several clients for different regions of one account.
    public var credentialProvider: AWSCredentialProvider?
    public var environment: AWSEnvironment
    public var retry: RetryPolicy
    /// Time for credential expiry decisions (tests move it forward).
    public var clock: AWSClock
    /// Temporary credentials are refreshed this many seconds before they expire.
    public var refreshMargin: TimeInterval
    public var transport: HTTPTransport

    public init(profile: String? = nil, region: String? = nil, endpointURL: String? = nil,
                credentials: AWSCredentials? = nil, credentialProvider: AWSCredentialProvider? = nil, environment: AWSEnvironment = .process,
                retry: RetryPolicy = .standard, clock: AWSClock = .system, refreshMargin: TimeInterval = 300,
                transport: HTTPTransport = .shared) {
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
        self.credentials = credentials
        self.credentialProvider = credentialProvider
        self.environment = environment
        self.retry = retry
        self.clock = clock
        self.refreshMargin = refreshMargin
        self.transport = transport
    }
}
