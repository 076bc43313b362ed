import FlagDeckAWS
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
        var ids: [String: String] = [:]
        var config = "", credentials = ""
        for p in profiles {
            let (key, secret) = keys[p] ?? (Ministack.freshAccount(), "test")
            ids[p] = key
            config += "[profile \(p)]\nregion = \(region)\n\n"
            credentials += "[\(p)]\naws_access_key_id = \(key)\naws_secret_access_key = \(secret)\n\n"
        }
        self.ids = ids
        FileManager.default.createFile(atPath: dir + "/config", contents: Data((config + extraConfig).utf8))
        FileManager.default.createFile(atPath: dir + "/credentials", contents: Data((credentials + extraCredentials).utf8))
        environment = ["AWS_CONFIG_FILE": dir + "/config", "AWS_SHARED_CREDENTIALS_FILE": dir + "/credentials",
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
    func target(_ profile: String, _ app: String, _ env: String, _ configurationProfile: String = "flags") -> CLIPowertools.Target {
        CLIPowertools.Target(account: ids[profile]!, application: app, environment: env, profile: configurationProfile)
    }
}

extension [String: Any] {
    /// The `"source":{…}` stamp of an audit event's `after` snapshot.
    var sourceStamp: [String: Any]? { (self["after"] as? [String: Any])?["source"] as? [String: Any] }
}

/// An application with environments and one flag profile, created, uploaded and deployed
/// at once to every environment — as a team would have it before flagdeck arrives.
struct SeededAppConfig {
    var client: AWSClient
    var app: AppConfigApplication
    var envs: [String: AppConfigEnvironment]
    var profile: AppConfigConfigurationProfile

    init(_ client: AWSClient, app: String, envs: [String], profile: String = "flags", type: AppConfigProfileType = .freeform,
         document: String) throws {
        self.client = client
        let ac = client.appConfig
        self.app = try ac.createApplication(name: app)
        var e: [String: AppConfigEnvironment] = [:]
        for name in envs { e[name] = try ac.createEnvironment(application: self.app.id, name: name) }
        self.envs = e
        self.profile = try ac.createConfigurationProfile(application: self.app.id, name: profile, type: type)
        let v = try upload(document)
        for name in envs { try deploy(v, to: name) }
    }

    func upload(_ document: String) throws -> Int {
        try client.appConfig.createHostedConfigurationVersion(application: app.id, profile: profile.id, content: Data(document.utf8),
                                                              contentType: "application/json", description: "seed").versionNumber
    }

    /// Deploys with a strategy the seed owns; `wait` until complete (a baking strategy does not).
    @discardableResult
    func deploy(_ version: Int, to env: String, strategy name: String = "seed-immediate", wait: Bool = true) throws -> Int {
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

    func hostedVersions() throws -> [Int] {
        try client.appConfig.listHostedConfigurationVersions(application: app.id, profile: profile.id).map(\.versionNumber).sorted()
    }

    func hosted(_ version: Int) throws -> String {
        String(decoding: try client.appConfig.getHostedConfigurationVersion(application: app.id, profile: profile.id,
                                                                              version: version).content, as: UTF8.self)
    }

    func deployment(_ env: String, _ number: Int) throws -> AppConfigDeployment {
        try client.appConfig.getDeployment(application: app.id, environment: envs[env]!.id, number: number)
    }
}

enum AppConfigDocs {
    /// Two Powertools flags: one on for everyone, one on for beta users only.
    static let powertools = """
        {
          "checkout.new_flow": {"default": true},
          "search.beta": {
            "default": false,
            "rules": {"beta users": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "beta"}]}}
          }
        }
        """
    static let contexts: [[String: String]] = [[:], ["tier": "beta"], ["tier": "free"]]

    static let featureFlags = #"{"version":"1","flags":{"payments.instant":{"name":"payments.instant"},"payments.limit":{"name":"payments.limit","attributes":{"max":{"constraints":{"type":"number"}}}}},"values":{"payments.instant":{"enabled":true},"payments.limit":{"enabled":true,"max":5}}}"#
}

/// Powertools 3.37's own `AppConfigStore` (boto3 AppConfigData, `max_age=0`) and
/// `FeatureFlags.evaluate`, one store per target: what each application sees.
enum CLIPowertools {
    struct Target: Encodable {
        var account: String
        var application: String
        var environment: String
        var profile: String
    }

    /// `results[target][context][flag]`: JSON text of the evaluated value.
    static func evaluate(_ emulator: Ministack, _ targets: [Target], flags: [String],
                         contexts: [[String: String]] = AppConfigDocs.contexts) throws -> [[[String]]] {
        try run(emulator, targets, flags: flags, contexts: contexts, raw: false).map { t in
            guard let r = t["results"] as? [[String]] else { throw ProcessFailure("Powertools could not evaluate: \(t)") }
            return r
        }
    }

    /// The document each target's store received.
    static func raw(_ emulator: Ministack, _ targets: [Target]) throws -> [[String: Any]] {
        try run(emulator, targets, flags: [], contexts: [], raw: true).map { t in
            guard let r = t["raw"] as? [String: Any] else { throw ProcessFailure("Powertools could not read: \(t)") }
            return r
        }
    }

    private static func run(_ emulator: Ministack, _ targets: [Target], flags: [String], contexts: [[String: String]],
                            raw: Bool) throws -> [[String: Any]] {
        let venv = try PythonVenv.consumers.ensure()
        struct Spec: Encodable {
            var endpoint: String
            var region = "us-east-1"
            var targets: [Target]
            var flags: [String]
            var contexts: [[String: String]]
            var `default` = false
            var raw: Bool
        }
        let dir = CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = dir + "/spec.json"
        try JSONEncoder().encode(Spec(endpoint: emulator.endpoint, targets: targets, flags: flags, contexts: contexts, raw: raw))
            .write(to: URL(fileURLWithPath: spec))
        let r = try venv.run(RepoRoot.path("Tests/python/consumers/appconfig_powertools_eval.py"), [spec],
                             env: ["AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
                                   "AWS_EC2_METADATA_DISABLED": "true"])
        guard r.status == 0, let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let ts = obj["targets"] as? [[String: Any]], ts.count == targets.count else {
            throw ProcessFailure("appconfig_powertools_eval.py exited \(r.status): \(r.stdout.prefix(2000)) \(r.stderr.suffix(3000))")
        }
        return ts
    }
}
