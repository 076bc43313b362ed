import FlagDeckAWS
import FlagDeckAWSTestSupport
import FlagDeckCore
import FlagDeckTestSupport
import Foundation

/// A flagdeck database and several AWS accounts on the shared emulator, each a named
/// profile in shared files of its own, driven through the real binary: `source add`,
/// `aws discover --bind`, kills and syncs exactly as an operator runs them. With
/// AUTH=false a 12-digit access key is the account, so every test gets fresh accounts.
struct AppConfigCLIFixture {
    let emulator: Ministack
    let dir: String
    let db: String
    let region = "us-east-1"
    /// Profile name → account id.
    let ids: [String: String]
    /// What the CLI sees: these shared files and the emulator, no AWS_* from the machine.
    let environment: [String: String]
    let pool: AWSClientPool

    static let removed = ["FLAGDECK_DB", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                          "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_APPCONFIG", "AWS_ENDPOINT_URL_APPCONFIGDATA",
                          "AWS_ENDPOINT_URL_STS"]

    /// `keys`: profile → (access key, secret) for an AUTH=true emulator's IAM users.
    init(_ profiles: [String] = ["payments-prod", "payments-dev"], emulator: Ministack? = nil,
         keys: [String: (String, String)] = [:], extraConfig: String = "", extraCredentials: String = "") throws {
        let m = try emulator ?? Ministack.shared()
        self.emulator = m
        dir = CLIRunner.temporaryDirectory()
        db = dir + "/flags.sqlite"
        let files = AWSProfileFiles(profiles, in: dir, region: region, keys: keys, extraConfig: extraConfig,
                                    extraCredentials: extraCredentials)
        ids = files.ids
        environment = ["AWS_CONFIG_FILE": files.config, "AWS_SHARED_CREDENTIALS_FILE": files.credentials,
                       "AWS_ENDPOINT_URL": m.endpoint, "AWS_EC2_METADATA_DISABLED": "true"]
        var vars = environment
        vars["HOME"] = dir
        vars["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        pool = AWSClientPool(environment: AWSEnvironment(variables: vars, homeDirectory: dir)) { $0.retry = .none }
        try ok(["init"])
    }

    @discardableResult
    func run(_ args: [String], env extra: [String: String] = [:]) throws -> CLIResult {
        let r = try ProcessRunner.run(CLIRunner.binary, args + ["--db", db], env: environment.merging(extra) { $1 },
                                      removing: Self.removed)
        return CLIResult(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    @discardableResult
    func ok(_ args: [String], env extra: [String: String] = [:]) throws -> CLIResult {
        let r = try run(args, env: extra)
        guard r.status == 0 else { throw CLIError("`flagdeck \(args.joined(separator: " "))` exited \(r.status): \(r.stderr)") }
        return r
    }

    func uri(_ profile: String, _ app: String, _ env: String, _ configurationProfile: String = "flags") -> String {
        "appconfig://\(profile)@\(region)/\(app)/\(env)/\(configurationProfile)"
    }

    func client(_ profile: String) throws -> AWSClient { try pool.client(profile: profile, region: region) }

    /// The aws CLI as that account: the other writer.
    func cli(_ profile: String) -> AWSCLI {
        AWSCLI(endpoint: emulator.endpoint, accessKeyId: ids[profile]!, secretAccessKey: "test", region: region)
    }

    func history() throws -> [[String: Any]] {
        try CLIRunner.json(try ok(["history", "--json"]).stdout) as! [[String: Any]]
    }

    /// Newest first, as `history` lists them.
    func events(_ action: String) throws -> [[String: Any]] {
        try history().filter { $0["action"] as? String == action }
    }

    func bindings() throws -> [[String: Any]] {
        try CLIRunner.json(try ok(["source", "list", "--json"]).stdout) as! [[String: Any]]
    }

    /// An application reading one environment, for Powertools.
    func target(_ profile: String, _ app: String, _ env: String, _ configurationProfile: String = "flags") -> PowertoolsAppConfig.Target {
        PowertoolsAppConfig.Target(account: ids[profile]!, application: app, environment: env, profile: configurationProfile)
    }
}

extension [String: Any] {
    /// The `"source":{…}` stamp of an audit event's `after` snapshot.
    var sourceStamp: [String: Any]? { (self["after"] as? [String: Any])?["source"] as? [String: Any] }
}
