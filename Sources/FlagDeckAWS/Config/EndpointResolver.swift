import Foundation

/// A parsed endpoint: scheme, host, optional port and a base path that request paths
/// are appended to (a VPC endpoint or a proxy may mount the API under one).
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int?
    public var basePath: String
    /// Where the URL came from: `AWS_ENDPOINT_URL_APPCONFIG`, `profile x endpoint_url`, `default`…
    public var source: String

    public init(url: String, source: String) throws {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = c.host, !host.isEmpty, c.query == nil else {
            throw AWSError.invalidEndpoint(url: url, source: source)
        }
        self.scheme = scheme
        self.host = host
        self.port = c.port
        var path = c.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
        self.source = source
    }

    public var url: String {
        "\(scheme)://\(host.contains(":") ? "[\(host)]" : host)\(port.map { ":\($0)" } ?? "")\(basePath)"
    }

    public var description: String { url }
}

/// The endpoint for one service, with the precedence botocore implements
/// (`ConfiguredEndpointProvider`, and `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`):
///
/// 1. an explicit URL given to the client (like `--endpoint-url`);
/// 2. `AWS_ENDPOINT_URL_<SERVICE>` (`AWS_ENDPOINT_URL_APPCONFIGDATA`, …);
/// 3. `AWS_ENDPOINT_URL`;
/// 4. the profile's `services = NAME` → `[services NAME]` → `<service> = endpoint_url = …`;
/// 5. the profile's `endpoint_url`;
/// 6. `https://{prefix}.{region}.amazonaws.com` (`.amazonaws.com.cn` in China regions).
///
/// Steps 2–5 are skipped when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
/// `ignore_configured_endpoint_urls`) is true.
public enum EndpointResolver {
    public static func resolve(service: AWSService, region: String, explicit: String?, environment: AWSEnvironment,
                               profileName: String, profile: AWSProfile?,
                               config: SharedConfig) throws -> Endpoint {
        if let explicit, !explicit.isEmpty { return try Endpoint(url: explicit, source: "explicit endpoint") }
        if !ignoreConfigured(environment: environment, profile: profile) {
            if let u = environment[service.endpointEnvironmentVariable] {
                return try Endpoint(url: u, source: service.endpointEnvironmentVariable)
            }
            if let u = environment["AWS_ENDPOINT_URL"] { return try Endpoint(url: u, source: "AWS_ENDPOINT_URL") }
            if let p = profile {
                if let sectionName = p.string("services") {
                    guard let section = config.servicesSection(sectionName) else {
                        throw AWSError.servicesSectionNotFound(profile: profileName, section: sectionName, file: config.configFile)
                    }
                    if case .nested(let sub)? = section[service.configId], let u = sub["endpoint_url"], !u.isEmpty {
                        return try Endpoint(url: u, source: "[services \(sectionName)] \(service.configId) in \(config.configFile)")
                    }
                }
                if let u = p.string("endpoint_url") {
                    return try Endpoint(url: u, source: "profile \(profileName) endpoint_url in \(p.source(of: "endpoint_url"))")
                }
            }
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return try Endpoint(url: "https://\(service.endpointPrefix).\(region).\(suffix)", source: "default")
    }

    static func ignoreConfigured(environment: AWSEnvironment, profile: AWSProfile?) -> Bool {
        if let v = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] { return v.lowercased() == "true" }
        return profile?.string("ignore_configured_endpoint_urls")?.lowercased() == "true"
    }
}
