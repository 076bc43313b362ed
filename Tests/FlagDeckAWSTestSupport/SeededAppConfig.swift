import FlagDeckAWS
import FlagDeckTestSupport
import Foundation

/// An application with environments and one flag profile, created, uploaded and (unless
/// told otherwise) deployed at once to every environment — as a team would have it before
/// flagdeck arrives. Made with flagdeck's own client; `AppConfigCLISeed` makes the same
/// with the aws CLI for targets that do not link FlagDeckAWS.
public struct SeededAppConfig: Sendable {
    public var client: AWSClient
    public var app: AppConfigApplication
    public var envs: [String: AppConfigEnvironment]
    public var profile: AppConfigConfigurationProfile
    /// The version the seed uploaded.
    public var version: Int

    public init(_ client: AWSClient, app: String, envs: [String], profile: String = "flags",
                type: AppConfigProfileType = .freeform, document: String, deploy: Bool = true) throws {
        self.client = client
        let ac = client.appConfig
        self.app = try ac.createApplication(name: app)
        var e: [String: AppConfigEnvironment] = [:]
        for name in envs { e[name] = try ac.createEnvironment(application: self.app.id, name: name) }
        self.envs = e
        self.profile = try ac.createConfigurationProfile(application: self.app.id, name: profile, type: type)
        version = 0
        version = try upload(document)
        if deploy { for name in envs { try self.deploy(version, to: name) } }
    }

    public func upload(_ document: String) throws -> Int {
        try client.appConfig.createHostedConfigurationVersion(application: app.id, profile: profile.id, content: Data(document.utf8),
                                                              contentType: "application/json", description: "seed").versionNumber
    }

    /// Deploys with a strategy the seed owns (so flagdeck's own is not there yet); `wait`
    /// until complete (a baking strategy does not).
    @discardableResult
    public func deploy(_ version: Int, to env: String, strategy name: String = "seed-immediate", wait: Bool = true) throws -> Int {
        let ac = client.appConfig
        let strategy = try ac.listDeploymentStrategies().first { $0.name == name } ?? ac.createDeploymentStrategy(.immediate(name: name))
        let d = try ac.startDeployment(AppConfigStartDeploymentRequest(
            applicationId: app.id, environmentId: envs[env]!.id, deploymentStrategyId: strategy.id,
            configurationProfileId: profile.id, configurationVersion: String(version)))
        if wait {
            guard Deadline.until(10, { (try? ac.getDeployment(application: app.id, environment: envs[env]!.id,
                                                              number: d.deploymentNumber).state) == .complete }) else {
                throw ProcessFailure("seed deployment of v\(version) to \(env) did not complete")
            }
        }
        return d.deploymentNumber
    }

    public func hostedVersions() throws -> [Int] {
        try client.appConfig.listHostedConfigurationVersions(application: app.id, profile: profile.id).map(\.versionNumber).sorted()
    }

    public func hosted(_ version: Int) throws -> String {
        String(decoding: try client.appConfig.getHostedConfigurationVersion(application: app.id, profile: profile.id,
                                                                              version: version).content, as: UTF8.self)
    }

    public func deployment(_ env: String, _ number: Int) throws -> AppConfigDeployment {
        try client.appConfig.getDeployment(application: app.id, environment: envs[env]!.id, number: number)
    }
}
