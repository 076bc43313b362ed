import Foundation

/// The aws CLI (v1, from `PythonVenv.consumers`) pointed at an emulator: the "other
/// writer" in tests, and the way to set up what the code under test does not create
/// itself (IAM users and keys). Isolated from the machine's own `~/.aws`.
public struct AWSCLI: Sendable {
    public var endpoint: String
    public var accessKeyId: String
    public var secretAccessKey: String
    public var region: String
    public var extraEnvironment: [String: String]

    public init(endpoint: String, accessKeyId: String = "test", secretAccessKey: String = "test",
                region: String = "us-east-1", extraEnvironment: [String: String] = [:]) {
        self.endpoint = endpoint
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.extraEnvironment = extraEnvironment
    }

    /// The environment every call gets: endpoint, keys, region, no pager, and config
    /// files that do not exist (unless `extraEnvironment` names real ones).
    public var environment: [String: String] {
        var env = [
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": accessKeyId,
            "AWS_SECRET_ACCESS_KEY": secretAccessKey,
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_PAGER": "",
            "AWS_CONFIG_FILE": "/nonexistent/flagdeck-aws-config",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/flagdeck-aws-credentials",
        ]
        for (k, v) in extraEnvironment { env[k] = v }
        return env
    }

    /// Runs `aws ARGS --output json` and returns its exit status and output as is.
    public func run(_ args: [String], stdin: String? = nil) throws -> ProcessResult {
        let venv = try PythonVenv.consumers.ensure()
        return try ProcessRunner.run(venv.bin("aws"), args + ["--output", "json"], env: environment,
                                     removing: ["AWS_PROFILE", "AWS_SESSION_TOKEN"], stdin: stdin)
    }

    /// Runs and insists on success; returns the parsed JSON (nil for an empty answer).
    @discardableResult
    public func json(_ args: [String]) throws -> Any? {
        let r = try run(args)
        guard r.status == 0 else {
            throw ProcessFailure("`aws \(args.joined(separator: " "))` exited \(r.status): \(r.stderr.suffix(3000))")
        }
        let out = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if out.isEmpty { return nil }
        return try JSONSerialization.jsonObject(with: Data(out.utf8), options: [.fragmentsAllowed])
    }

    /// `json` for an answer that is an object.
    public func object(_ args: [String]) throws -> [String: Any] {
        guard let o = try json(args) as? [String: Any] else {
            throw ProcessFailure("`aws \(args.joined(separator: " "))` did not print a JSON object")
        }
        return o
    }
}
