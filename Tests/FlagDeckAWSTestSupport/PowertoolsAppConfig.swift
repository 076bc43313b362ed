import FlagDeckTestSupport
import Foundation

/// Powertools 3.37's own `AppConfigStore` (boto3 AppConfigData, `max_age=0`) and
/// `FeatureFlags.evaluate`, one store per target: what each application sees.
public enum PowertoolsAppConfig {
    public struct Target: Encodable, Sendable {
        public var account: String
        public var application: String
        public var environment: String
        public var profile: String

        public init(account: String, application: String, environment: String, profile: String) {
            self.account = account
            self.application = application
            self.environment = environment
            self.profile = profile
        }
    }

    /// `results[target][context][flag]`: JSON text of the evaluated value.
    public static func evaluate(_ emulator: Ministack, _ targets: [Target], flags: [String],
                                contexts: [[String: String]] = AppConfigDocs.contexts) throws -> [[[String]]] {
        try run(emulator, targets, flags: flags, contexts: contexts, raw: false).map { t in
            guard let r = t["results"] as? [[String]] else { throw ProcessFailure("Powertools could not evaluate: \(t)") }
            return r
        }
    }

    /// The document each target's store received.
    public static func raw(_ emulator: Ministack, _ targets: [Target]) throws -> [[String: Any]] {
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
