import FlagDeckAWS
import FlagDeckAWSTestSupport
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
        let files = AWSProfileFiles(profiles, in: directory, region: region, extraConfig: extraConfig, extraCredentials: extraCredentials)
        ids = files.ids
        environment = AWSEnvironment(variables: [
            "AWS_CONFIG_FILE": files.config, "AWS_SHARED_CREDENTIALS_FILE": files.credentials,
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
    func target(_ profile: String, _ app: String, _ env: String, _ configurationProfile: String = "flags") -> PowertoolsAppConfig.Target {
        PowertoolsAppConfig.Target(account: id(profile), application: app, environment: env, profile: configurationProfile)
    }
}

extension SourceError {
    var text: String { description }
}
