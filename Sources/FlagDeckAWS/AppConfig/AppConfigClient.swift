import Foundation

/// AppConfig's control plane (REST-JSON) through an `AWSClient`. Every list call
/// follows `NextToken` to the end. Ids go in paths; to start from names, use the
/// resolvers in `AppConfigResolver.swift`.
public struct AppConfigClient: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) { self.client = client }

    // MARK: applications, environments, profiles

    public func listApplications() throws -> [AppConfigApplication] {
        try list("ListApplications", ["applications"], resource: nil)
    }

    public func createApplication(name: String, description: String? = nil) throws -> AppConfigApplication {
        struct Body: Encodable { var Name: String; var Description: String? }
        return try call("CreateApplication", "POST", ["applications"], body: Body(Name: name, Description: description),
                        resource: "application \(name)")
    }

    public func listEnvironments(application: String) throws -> [AppConfigEnvironment] {
        try list("ListEnvironments", ["applications", application, "environments"], resource: "application \(application)")
    }

    public func createEnvironment(application: String, name: String,
                                  description: String? = nil) throws -> AppConfigEnvironment {
        struct Body: Encodable { var Name: String; var Description: String? }
        return try call("CreateEnvironment", "POST", ["applications", application, "environments"],
                        body: Body(Name: name, Description: description),
                        resource: "application \(application) environment \(name)")
    }

    public func listConfigurationProfiles(application: String,
                                          type: AppConfigProfileType? = nil) throws -> [AppConfigProfileSummary] {
        try list("ListConfigurationProfiles", ["applications", application, "configurationprofiles"],
                 query: type.map { [QueryItem("type", $0.rawValue)] } ?? [], resource: "application \(application)")
    }

    /// A hosted profile by default (`locationUri: "hosted"`).
    public func createConfigurationProfile(application: String, name: String, type: AppConfigProfileType = .freeform,
                                           locationUri: String = "hosted",
                                           description: String? = nil) throws -> AppConfigConfigurationProfile {
        struct Body: Encodable { var Name: String; var LocationUri: String; var `Type`: String; var Description: String? }
        return try call("CreateConfigurationProfile", "POST", ["applications", application, "configurationprofiles"],
                        body: Body(Name: name, LocationUri: locationUri, Type: type.rawValue, Description: description),
                        resource: "application \(application) profile \(name)")
    }

    public func getConfigurationProfile(application: String,
                                        profile: String) throws -> AppConfigConfigurationProfile {
        try call("GetConfigurationProfile", "GET", ["applications", application, "configurationprofiles", profile],
                 resource: "application \(application) profile \(profile)")
    }

    // MARK: hosted versions

    /// `maxItems` stops following `NextToken` once that many have arrived (a poll needs the
    /// newest page, not years of history); nil reads every page.
    public func listHostedConfigurationVersions(application: String, profile: String,
                                                maxItems: Int? = nil) throws -> [AppConfigHostedVersionSummary] {
        try list("ListHostedConfigurationVersions",
                 ["applications", application, "configurationprofiles", profile, "hostedconfigurationversions"],
                 resource: "application \(application) profile \(profile)", maxItems: maxItems)
    }

    public func getHostedConfigurationVersion(application: String, profile: String,
                                              version: Int) throws -> AppConfigHostedVersion {
        let r = AWSRequest(service: .appConfig, operation: "GetHostedConfigurationVersion", method: "GET",
                           path: Path.segments(["applications", application, "configurationprofiles", profile,
                                                "hostedconfigurationversions", String(version)]),
                           resource: "application \(application) profile \(profile) version \(version)")
        let response = try client.send(r)
        return try hostedVersion(response, application: application, profile: profile, request: r)
    }

    /// Uploads a new hosted version and returns it with its version number.
    ///
    /// `latestVersionNumber` is AppConfig's optimistic lock: the version you last read.
    /// If another writer created a version since, AppConfig refuses and this throws
    /// `AWSError.versionConflict` (nothing was written).
    /// `description` travels in an HTTP header, so it must be printable ASCII.
    public func createHostedConfigurationVersion(application: String, profile: String, content: Data,
                                                 contentType: String, description: String? = nil,
                                                 latestVersionNumber: Int? = nil,
                                                 versionLabel: String? = nil) throws -> AppConfigHostedVersion {
        var headers = HTTPHeaders()
        headers["Content-Type"] = contentType
        if let description { headers["Description"] = description }
        if let latestVersionNumber { headers["Latest-Version-Number"] = String(latestVersionNumber) }
        if let versionLabel { headers["VersionLabel"] = versionLabel }
        let r = AWSRequest(service: .appConfig, operation: "CreateHostedConfigurationVersion", method: "POST",
                           path: Path.segments(["applications", application, "configurationprofiles", profile,
                                                "hostedconfigurationversions"]),
                           headers: headers, body: content, resource: "application \(application) profile \(profile)")
        try requireHeaderSafe(r, ["Content-Type", "Description", "VersionLabel"])
        do {
            let response = try client.send(r)
            var v = try hostedVersion(response, application: application, profile: profile, request: r)
            if v.content.isEmpty { v.content = content }
            return v
        } catch {
            if let latestVersionNumber, case .service(let f)? = error as? AWSError,
               f.code == "ConflictException" || f.code == "PreconditionFailed" || f.httpStatus == 412 {
                throw AWSError.versionConflict(f, expectedLatest: latestVersionNumber)
            }
            throw error
        }
    }

    /// Deletes one hosted version. flagdeck uses it only to take back a version it has just
    /// created and could not deploy, or one a service created on top of another writer's
    /// version despite a stale `Latest-Version-Number`, so no undeployed change lingers as
    /// the base of the next write.
    public func deleteHostedConfigurationVersion(application: String, profile: String, version: Int) throws {
        let r = AWSRequest(service: .appConfig, operation: "DeleteHostedConfigurationVersion", method: "DELETE",
                           path: Path.segments(["applications", application, "configurationprofiles", profile,
                                                "hostedconfigurationversions", String(version)]),
                           resource: "application \(application) profile \(profile) version \(version)")
        _ = try client.send(r)
    }

    // MARK: deployments

    public func listDeploymentStrategies() throws -> [AppConfigDeploymentStrategy] {
        try list("ListDeploymentStrategies", ["deploymentstrategies"], resource: nil)
    }

    public func createDeploymentStrategy(
        _ request: AppConfigCreateDeploymentStrategyRequest
    ) throws -> AppConfigDeploymentStrategy {
        try call("CreateDeploymentStrategy", "POST", ["deploymentstrategies"], body: request,
                 resource: "deployment strategy \(request.name)")
    }

    public func startDeployment(_ request: AppConfigStartDeploymentRequest) throws -> AppConfigDeployment {
        try call("StartDeployment", "POST",
                 ["applications", request.applicationId, "environments", request.environmentId, "deployments"],
                 body: request,
                 resource: "application \(request.applicationId) environment \(request.environmentId)")
    }

    public func getDeployment(application: String, environment: String,
                              number: Int) throws -> AppConfigDeployment {
        try call("GetDeployment", "GET",
                 ["applications", application, "environments", environment, "deployments", String(number)],
                 resource: "application \(application) environment \(environment) deployment \(number)")
    }

    /// AWS lists deployments newest first; `maxItems` stops following `NextToken` once that
    /// many have arrived (nil reads every page).
    public func listDeployments(application: String, environment: String,
                                maxItems: Int? = nil) throws -> [AppConfigDeploymentSummary] {
        try list("ListDeployments", ["applications", application, "environments", environment, "deployments"],
                 resource: "application \(application) environment \(environment)", maxItems: maxItems)
    }

    /// Stops a deployment. While it is still baking (its content already reached every
    /// target), AppConfig only stops it with `allowRevert`, which rolls the environment
    /// back to the previous version (state `ROLLED_BACK`).
    public func stopDeployment(application: String, environment: String, number: Int,
                               allowRevert: Bool = false) throws -> AppConfigDeployment {
        var headers = HTTPHeaders()
        if allowRevert { headers["Allow-Revert"] = "true" }
        return try call("StopDeployment", "DELETE",
                        ["applications", application, "environments", environment, "deployments", String(number)],
                        headers: headers,
                        resource: "application \(application) environment \(environment) deployment \(number)")
    }

    // MARK: plumbing

    private func call<Out: Decodable>(_ operation: String, _ method: String, _ path: [String],
                                      headers: HTTPHeaders = HTTPHeaders(), resource: String?) throws -> Out {
        let r = AWSRequest(service: .appConfig, operation: operation, method: method, path: Path.segments(path),
                           headers: headers, resource: resource)
        let response = try client.send(r)
        return try JSONCoding.decode(Out.self, from: response.body, context: client.context(for: r))
    }

    private func call<In: Encodable, Out: Decodable>(_ operation: String, _ method: String, _ path: [String],
                                                     body: In, resource: String?) throws -> Out {
        var headers = HTTPHeaders()
        headers["Content-Type"] = "application/json"
        var r = AWSRequest(service: .appConfig, operation: operation, method: method, path: Path.segments(path),
                           headers: headers, resource: resource)
        r.body = try JSONCoding.encode(body, context: client.context(for: r))
        let response = try client.send(r)
        return try JSONCoding.decode(Out.self, from: response.body, context: client.context(for: r))
    }

    /// Follows `next_token` until the last page.
    private func list<Item: Decodable>(_ operation: String, _ path: [String], query: [QueryItem] = [],
                                       resource: String?, maxItems: Int? = nil) throws -> [Item] {
        var items: [Item] = []
        var token: String?
        var pages = 0
        repeat {
            var q = query
            if let token { q.append(QueryItem("next_token", token)) }
            let r = AWSRequest(service: .appConfig, operation: operation, method: "GET", path: Path.segments(path),
                               query: q, resource: resource)
            let response = try client.send(r)
            let page = try JSONCoding.decode(AppConfigPage<Item>.self, from: response.body, context: client.context(for: r))
            items += page.items
            pages += 1
            if let next = page.nextToken, next == token {
                throw AWSError.invalidResponse(reason: "the service returned the same NextToken twice", context: client.context(for: r))
            }
            token = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
            if let maxItems, items.count >= maxItems { break }
            if token != nil, pages >= 10_000 {
                throw AWSError.invalidResponse(reason: "more than 10000 pages; the service keeps returning a NextToken",
                                               context: client.context(for: r))
            }
        } while token != nil
        return items
    }

    private func hostedVersion(_ response: HTTPResponse, application: String, profile: String,
                               request: AWSRequest) throws -> AppConfigHostedVersion {
        guard let raw = response.headers["Version-Number"], let number = Int(raw) else {
            throw AWSError.invalidResponse(reason: "no Version-Number header", context: client.context(for: request))
        }
        return AppConfigHostedVersion(applicationId: response.headers["Application-Id"] ?? application,
                                      configurationProfileId: response.headers["Configuration-Profile-Id"] ?? profile,
                                      versionNumber: number, contentType: response.headers["Content-Type"],
                                      description: response.headers["Description"],
                                      versionLabel: response.headers["VersionLabel"], content: response.body)
    }

    private func requireHeaderSafe(_ r: AWSRequest, _ names: [String]) throws {
        for n in names {
            guard let v = r.headers[n] else { continue }
            if !v.unicodeScalars.allSatisfy({ $0.value == 9 || (0x20...0x7E).contains($0.value) }) {
                throw AWSError.invalidRequest(reason: "\(n) must be printable ASCII (it is sent as an HTTP header): \(v)",
                                      context: client.context(for: r))
            }
        }
    }
}
