import Foundation

/// One AWS identity in one region: a resolved profile (credentials, region, endpoints)
/// plus the shared transport. Build one per profile/account; they are cheap (no network
/// until the first call), immutable and safe to use from any number of threads. All
/// calls block the calling thread.
///
/// ```swift
/// let prod = try AWSClient(AWSClientConfiguration(profile: "payments-prod"))
/// let apps = try prod.appConfig.listApplications()
/// ```
public final class AWSClient: Sendable, CustomStringConvertible, CustomReflectable {
    /// The profile whose settings apply (`default` when none was named).
    public let profileName: String
    public let region: String
    public let regionSource: RegionSource
    public let credentialSource: CredentialSource
    public let retry: RetryPolicy
    public let sharedConfig: SharedConfig

    let provider: AWSCredentialProvider
    private let sender: SignedSender
    private let endpoints: [String: Endpoint]
    private let knownAccount: Locked<String?>
    private let profile: AWSProfile?
    private let environment: AWSEnvironment
    private let explicitEndpoint: String?

    /// Resolves profile, region, credentials source and endpoints now, so configuration
    /// mistakes surface here rather than on the first call; runs no process and calls
    /// no service.
    public init(_ configuration: AWSClientConfiguration = AWSClientConfiguration()) throws {
        let env = configuration.environment
        let config = try SharedConfig.load(env)
        let name = configuration.profile ?? env["AWS_PROFILE"] ?? "default"
        let profile = config.profile(name)
        // A profile that was named (explicitly or by AWS_PROFILE) must exist, even when the
        // environment's keys would be used: its absence is a typo worth stopping for.
        if profile == nil, configuration.profile != nil || env["AWS_PROFILE"] != nil, configuration.credentials == nil,
           configuration.credentialProvider == nil {
            throw AWSError.profileNotFound(profile: name, known: config.profileNames, files: [config.configFile, config.credentialsFile])
        }
        let (region, regionSource) = try RegionResolver.resolve(explicit: configuration.region, environment: env,
                                                                profileName: name, profile: profile)
        var endpoints: [String: Endpoint] = [:]
        for s in [AWSService.sts, .appConfig, .appConfigData, .dynamoDB] {
            endpoints[s.configId] = try EndpointResolver.resolve(service: s, region: region,
                                                                explicit: configuration.endpointURL, environment: env,
                                                                profileName: name, profile: profile, config: config)
        }
        let sender = SignedSender(transport: configuration.transport, retry: configuration.retry, region: region)
        let stsEndpoint = endpoints[AWSService.sts.configId]!
        let chain = CredentialChain(
            config: config, environment: env, clock: configuration.clock, refreshMargin: configuration.refreshMargin,
            assume: { (hop: String, source: AWSCredentialProvider, request: STSAssumeRoleRequest) throws -> STSAssumedRole in
                let r = STSOperations.assumeRole(request)
                let context = AWSErrorContext(profile: hop, accountId: ARN.account(request.roleArn), service: "sts",
                                              operation: "AssumeRole", resource: r.resource)
                let response = try sender.send(r, endpoint: stsEndpoint, credentials: source, context: context)
                return try STSOperations.parseAssumeRole(response.body, context: context)
            })
        let resolved = try configuration.credentialProvider.map {
            CredentialChain.Resolved(provider: $0, source: .explicit, accountId: nil)
        } ?? chain.resolve(explicitCredentials: configuration.credentials, explicitProfile: configuration.profile)
        self.profileName = name
        self.region = region
        self.regionSource = regionSource
        self.credentialSource = resolved.source
        self.retry = configuration.retry
        self.sharedConfig = config
        self.provider = resolved.provider
        self.sender = sender
        self.endpoints = endpoints
        self.knownAccount = Locked(resolved.accountId ?? profile?.string("aws_account_id"))
        self.profile = profile
        self.environment = env
        self.explicitEndpoint = configuration.endpointURL
    }

    /// Shorthand for `AWSClient(AWSClientConfiguration(profile:region:environment:))`.
    public convenience init(profile: String?, region: String? = nil,
                            environment: AWSEnvironment = .process) throws {
        try self.init(AWSClientConfiguration(profile: profile, region: region, environment: environment))
    }

    /// Profile names in the shared files `environment` points at.
    public static func profileNames(environment: AWSEnvironment = .process) throws -> [String] {
        try SharedConfig.load(environment).profileNames
    }

    /// The account id, once known: from `role_arn`, `aws_account_id`, `AWS_ACCOUNT_ID`,
    /// a `credential_process` `AccountId`, or a GetCallerIdentity call.
    public var accountId: String? { knownAccount.current }

    func learnAccountId(_ id: String) { knownAccount.withLock { $0 = id } }

    /// The endpoint calls to `service` go to.
    public func endpoint(for service: AWSService) throws -> Endpoint {
        if let e = endpoints[service.configId] { return e }
        return try EndpointResolver.resolve(service: service, region: region, explicit: explicitEndpoint,
                                            environment: environment, profileName: profileName, profile: profile,
                                            config: sharedConfig)
    }

    /// Current credentials (runs `credential_process` or calls STS when the cache is
    /// empty or about to expire). The value's textual forms hide the secret.
    public func credentials() throws -> AWSCredentials {
        let c = try provider.credentials()
        if let a = c.accountId, accountId == nil { learnAccountId(a) }
        return c
    }

    /// The error context for a request from this client.
    public func context(for request: AWSRequest) -> AWSErrorContext {
        AWSErrorContext(profile: profileName, accountId: accountId, service: request.service.endpointPrefix,
                        operation: request.operation, resource: request.resource)
    }

    /// Signs, sends and retries `request`; returns a 2xx response or throws.
    public func send(_ request: AWSRequest) throws -> HTTPResponse {
        let endpoint = try endpoint(for: request.service)
        _ = try credentials()  // first, so the error context can carry a process-reported account
        return try sender.send(request, endpoint: endpoint, credentials: provider, context: context(for: request))
    }

    public var description: String {
        "AWSClient(profile: \(profileName), region: \(region), credentials: \(credentialSource)"
            + (accountId.map { ", account: \($0)" } ?? "") + ")"
    }

    /// `dump(client)` shows what `description` shows, never the configuration's secrets.
    public var customMirror: Mirror {
        Mirror(self, children: ["profile": profileName, "region": region, "credentials": credentialSource.description,
                                "account": accountId as Any], displayStyle: .class)
    }

    public var sts: STSClient { STSClient(self) }
    public var appConfig: AppConfigClient { AppConfigClient(self) }
    public var appConfigData: AppConfigDataClient { AppConfigDataClient(self) }
    public var dynamoDB: DynamoDBClient { DynamoDBClient(self) }
}
