/// The few facts about a service that the transport needs: how it is named in endpoint
/// configuration, in hostnames and in signatures. The four services differ in all three
/// (AppConfigData signs as `appconfig`).
public struct AWSService: Sendable, Hashable, CustomStringConvertible {
    /// The snake-case service id used in `AWS_ENDPOINT_URL_<ID>` (upper-cased) and in a
    /// `[services …]` section (as is): `appconfig`, `appconfigdata`, `sts`, `dynamodb`.
    public var configId: String
    /// The host prefix of the default endpoint: `https://{prefix}.{region}.amazonaws.com`.
    public var endpointPrefix: String
    /// The SigV4 service name.
    public var signingName: String

    public init(configId: String, endpointPrefix: String, signingName: String) {
        self.configId = configId
        self.endpointPrefix = endpointPrefix
        self.signingName = signingName
    }

    public static let appConfig = AWSService(configId: "appconfig", endpointPrefix: "appconfig", signingName: "appconfig")
    public static let appConfigData = AWSService(configId: "appconfigdata", endpointPrefix: "appconfigdata",
                                                 signingName: "appconfig")
    public static let sts = AWSService(configId: "sts", endpointPrefix: "sts", signingName: "sts")
    public static let dynamoDB = AWSService(configId: "dynamodb", endpointPrefix: "dynamodb", signingName: "dynamodb")

    /// `AWS_ENDPOINT_URL_APPCONFIGDATA` etc.
    public var endpointEnvironmentVariable: String { "AWS_ENDPOINT_URL_" + configId.uppercased() }

    public var description: String { endpointPrefix }
}
