import Foundation

/// One AppConfig application, environment and Powertools profile made with the aws CLI,
/// as a team has it before flagdeck arrives, and the same CLI as the other writer
/// afterwards (upload, deploy, read a deployment's state). For test targets that do not
/// link FlagDeckAWS (the tmux tests drive the real binary), and for those that want the
/// change made by the real CLI rather than by flagdeck's own client.
public struct AppConfigCLISeed: Sendable {
    public let cli: AWSCLI
    public let applicationId: String
    public let environmentId: String
    public let profileId: String
    /// A strategy that deploys at once (0 minutes, no bake), owned by the seed.
    public let immediateStrategyId: String

    /// Creates the application, environment and profile, uploads `document` as version 1
    /// and deploys it, waiting until the deployment completes.
    public init(cli: AWSCLI, application: String, environment: String, profile: String = "flags", document: String) throws {
        self.cli = cli
        applicationId = try Self.id(cli.object(["appconfig", "create-application", "--name", application]), "Id")
        environmentId = try Self.id(cli.object(["appconfig", "create-environment", "--application-id", applicationId,
                                                "--name", environment]), "Id")
        profileId = try Self.id(cli.object(["appconfig", "create-configuration-profile", "--application-id", applicationId,
                                            "--name", profile, "--location-uri", "hosted"]), "Id")
        immediateStrategyId = try Self.id(cli.object(["appconfig", "create-deployment-strategy", "--name", "seed-immediate",
                                                      "--deployment-duration-in-minutes", "0", "--final-bake-time-in-minutes", "0",
                                                      "--growth-factor", "100", "--replicate-to", "NONE"]), "Id")
        try deploy(try upload(document))
    }

    /// Uploads a hosted version; returns its number.
    public func upload(_ document: String) throws -> Int {
        let dir = RepoRoot.temporaryDirectory("appconfig-cli-seed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try document.write(toFile: dir + "/doc.json", atomically: true, encoding: .utf8)
        let o = try cli.object(["appconfig", "create-hosted-configuration-version", "--application-id", applicationId,
                                "--configuration-profile-id", profileId, "--content-type", "application/json",
                                "--content", "fileb://" + dir + "/doc.json", dir + "/out.json"])
        guard let n = o["VersionNumber"] as? Int else { throw ProcessFailure("no VersionNumber in \(o)") }
        return n
    }

    /// A strategy of the caller's making (a slow one, to watch a deployment in progress).
    public func strategy(name: String, durationMinutes: Int, bakeMinutes: Int, growth: Int = 100) throws -> String {
        try Self.id(cli.object(["appconfig", "create-deployment-strategy", "--name", name,
                                "--deployment-duration-in-minutes", String(durationMinutes),
                                "--final-bake-time-in-minutes", String(bakeMinutes), "--growth-factor", String(growth),
                                "--replicate-to", "NONE"]), "Id")
    }

    /// Starts a deployment (at once unless `strategy` says otherwise) and, with `wait`,
    /// polls until it completes; returns its number.
    @discardableResult
    public func deploy(_ version: Int, strategy: String? = nil, wait: Bool = true) throws -> Int {
        let o = try cli.object(["appconfig", "start-deployment", "--application-id", applicationId, "--environment-id", environmentId,
                                "--deployment-strategy-id", strategy ?? immediateStrategyId, "--configuration-profile-id", profileId,
                                "--configuration-version", String(version)])
        guard let n = o["DeploymentNumber"] as? Int else { throw ProcessFailure("no DeploymentNumber in \(o)") }
        if wait {
            guard try Deadline.until(20, every: 0.2, { try state(n) == "COMPLETE" }) else {
                throw ProcessFailure("deployment #\(n) of v\(version) did not complete: \(try state(n))")
            }
        }
        return n
    }

    /// `COMPLETE`, `BAKING`, `ROLLED_BACK`…
    public func state(_ deployment: Int) throws -> String {
        let o = try cli.object(["appconfig", "get-deployment", "--application-id", applicationId, "--environment-id", environmentId,
                                "--deployment-number", String(deployment)])
        return o["State"] as? String ?? ""
    }

    /// Shared config and credentials files in `directory` naming `profile` as this seed's
    /// account, for flagdeck (which reads profiles, as an operator's shell has them);
    /// returns the variables that point a process at them and at the emulator.
    public func profileFiles(_ profile: String, in directory: String) throws -> [String: String] {
        try "[profile \(profile)]\nregion = \(cli.region)\n".write(toFile: directory + "/aws-config", atomically: true, encoding: .utf8)
        try "[\(profile)]\naws_access_key_id = \(cli.accessKeyId)\naws_secret_access_key = \(cli.secretAccessKey)\n"
            .write(toFile: directory + "/aws-credentials", atomically: true, encoding: .utf8)
        return ["AWS_CONFIG_FILE": directory + "/aws-config", "AWS_SHARED_CREDENTIALS_FILE": directory + "/aws-credentials",
                "AWS_ENDPOINT_URL": cli.endpoint, "AWS_EC2_METADATA_DISABLED": "true"]
    }

    static func id(_ o: [String: Any], _ key: String) throws -> String {
        guard let v = o[key] as? String else { throw ProcessFailure("no \(key) in \(o)") }
        return v
    }
}
