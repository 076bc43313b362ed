import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation

/// Several AWS accounts on the shared emulator, each a named profile in shared config files
/// of its own (no `~/.aws`, no AWS_* variables from the machine). With AUTH=false a
/// 12-digit access key is the account, so every test gets accounts no other test uses.
struct Accounts {
    let emulator: Ministack
    let directory: String
    let environment: AWSEnvironment
    let pool: AWSClientPool
    /// Profile name → account id.
    let ids: [String: String]
    let region: String

    init(_ profiles: [String] = ["payments-prod", "payments-dev"], region: String = "us-east-1", extraConfig: String = "",
         extraCredentials: String = "", clock: AWSClock? = nil, emulator: Ministack? = nil) throws {
        let m = try emulator ?? Ministack.shared()
        self.emulator = m
        self.region = region
        directory = RepoRoot.temporaryDirectory("flagdeck-appconfig")
        var ids: [String: String] = [:]
        var config = "", credentials = ""
        for p in profiles {
            let id = Ministack.freshAccount()
            ids[p] = id
            config += "[profile \(p)]\nregion = \(region)\n\n"
            credentials += "[\(p)]\naws_access_key_id = \(id)\naws_secret_access_key = test\n\n"
        }
        self.ids = ids
        _ = FileManager.default.createFile(atPath: directory + "/config", contents: Data((config + extraConfig).utf8))
        _ = FileManager.default.createFile(atPath: directory + "/credentials", contents: Data((credentials + extraCredentials).utf8))
        environment = AWSEnvironment(variables: [
            "AWS_CONFIG_FILE": directory + "/config", "AWS_SHARED_CREDENTIALS_FILE": directory + "/credentials",
            "AWS_ENDPOINT_URL": m.endpoint, "HOME": directory,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ], homeDirectory: directory)
        pool = AWSClientPool(environment: environment) { c in
            if let clock { c.clock = clock }
        }
    }

    func id(_ profile: String) -> String { ids[profile]! }

    func client(_ profile: String) throws -> AWSClient {
        try pool.client(profile: profile, region: region)
    }

    /// The aws CLI as that account: the other writer.
    func cli(_ profile: String) -> AWSCLI {
        AWSCLI(endpoint: emulator.endpoint, accessKeyId: id(profile), secretAccessKey: "test", region: region)
    }

    func source(_ profile: String, _ app: String, _ env: String, _ configurationProfile: String = "flags",
                options: AppConfigBindingOptions = AppConfigBindingOptions(),
                hooks: AppConfigSource.Hooks = .none) throws -> AppConfigSource {
        try AppConfigSource(location: .init(profile: profile, region: region, application: app, environment: env,
                                            configurationProfile: configurationProfile),
                            options: options, clients: pool, hooks: hooks)
    }

    /// An application reading one environment, for Powertools.
    func target(_ profile: String, _ app: String, _ env: String, _ configurationProfile: String = "flags") -> PowertoolsApp.Target {
        PowertoolsApp.Target(account: id(profile), application: app, environment: env, profile: configurationProfile)
    }
}

/// An application with environments and one flag profile, created, uploaded and (unless
/// told otherwise) deployed at once to every environment — as a team would have it before
/// flagdeck arrives.
struct Seeded {
    var client: AWSClient
    var app: AppConfigApplication
    var envs: [String: AppConfigEnvironment]
    var profile: AppConfigConfigurationProfile
    var version: Int

    init(_ client: AWSClient, app: String, envs: [String], profile: String = "flags", type: AppConfigProfileType = .freeform,
         document: String, deploy: Bool = true) throws {
        self.client = client
        let ac = client.appConfig
        self.app = try ac.createApplication(name: app)
        var e: [String: AppConfigEnvironment] = [:]
        for name in envs { e[name] = try ac.createEnvironment(application: self.app.id, name: name) }
        self.envs = e
        self.profile = try ac.createConfigurationProfile(application: self.app.id, name: profile, type: type)
        version = try ac.createHostedConfigurationVersion(application: self.app.id, profile: self.profile.id,
                                                          content: Data(document.utf8), contentType: "application/json",
                                                          description: "seed").versionNumber
        if deploy { for name in envs { try self.deploy(version, to: name) } }
    }

    /// Deploys at once (a strategy the seed owns, so flagdeck's own is not there yet).
    func deploy(_ version: Int, to env: String) throws {
        let ac = client.appConfig
        let strategy = try ac.listDeploymentStrategies().first { $0.name == "seed-immediate" }
            ?? ac.createDeploymentStrategy(.immediate(name: "seed-immediate"))
        let d = try ac.startDeployment(AppConfigStartDeploymentRequest(
            applicationId: app.id, environmentId: envs[env]!.id, deploymentStrategyId: strategy.id,
            configurationProfileId: profile.id, configurationVersion: String(version)))
        guard Deadline.until(10, { (try? ac.getDeployment(application: app.id, environment: envs[env]!.id,
                                                          number: d.deploymentNumber).state) == .complete }) else {
            throw ProcessFailure("seed deployment of v\(version) to \(env) did not complete")
        }
    }

    func hostedVersions() throws -> [Int] {
        try client.appConfig.listHostedConfigurationVersions(application: app.id, profile: profile.id).map(\.versionNumber).sorted()
    }
}

enum Docs {
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

    /// The document with `key` killed, as the operations would write it.
    static func killed(_ text: String, _ key: String, format: DocumentFormat = .powertools) throws -> [UInt8] {
        try FlagDocuments.parse(Array(text.utf8), format: format, file: "test").killing(key).bytes
    }
}

/// Powertools 3.37's own `AppConfigStore` (boto3 AppConfigData, `max_age=0`) and
/// `FeatureFlags.evaluate`, one store per target: what each application sees.
enum PowertoolsApp {
    struct Target: Encodable {
        var account: String
        var application: String
        var environment: String
        var profile: String
    }

    /// `results[target][context][flag]`: JSON text of the evaluated value.
    static func evaluate(_ emulator: Ministack, _ targets: [Target], flags: [String],
                         contexts: [[String: String]] = Docs.contexts) throws -> [[[String]]] {
        let out = try run(emulator, targets, flags: flags, contexts: contexts, raw: false)
        return try out.map { t in
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
        let dir = RepoRoot.temporaryDirectory("powertools-app")
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

extension SourceError {
    var text: String { description }
}
