import FlagDeckAWS
import FlagDeckTestSupport
import Foundation

/// Shared config files in a fresh directory, and an environment that points at them
/// and nowhere else (no `~/.aws`, no AWS_* variables from the machine).
struct TempAWSFiles {
    let directory: String
    var configPath: String { directory + "/config" }
    var credentialsPath: String { directory + "/credentials" }

    init(config: String? = nil, credentials: String? = nil) {
        directory = RepoRoot.temporaryDirectory("flagdeck-aws")
        if let config { _ = FileManager.default.createFile(atPath: configPath, contents: Data(config.utf8)) }
        if let credentials { _ = FileManager.default.createFile(atPath: credentialsPath, contents: Data(credentials.utf8)) }
    }

    /// Writes an executable script and returns its path.
    func script(_ name: String, _ body: String) -> String {
        let path = directory + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(body.utf8), attributes: [.posixPermissions: 0o755])
        return path
    }

    func environment(_ extra: [String: String] = [:]) -> AWSEnvironment {
        var v = ["AWS_CONFIG_FILE": configPath, "AWS_SHARED_CREDENTIALS_FILE": credentialsPath, "HOME": directory,
                 "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        for (k, val) in extra { v[k] = val }
        return AWSEnvironment(variables: v, homeDirectory: directory)
    }
}

enum Emulator {
    /// A client for a fresh account on the shared AUTH=false emulator.
    static func client(account: String = Ministack.freshAccount(), retry: RetryPolicy = .standard) throws -> AWSClient {
        let m = try Ministack.shared()
        return try AWSClient(AWSClientConfiguration(
            region: "us-east-1", endpointURL: m.endpoint,
            credentials: AWSCredentials(accessKeyId: account, secretAccessKey: "test"),
            environment: TempAWSFiles().environment(), retry: retry))
    }

    /// The aws CLI as the same account.
    static func cli(account: String) throws -> AWSCLI {
        AWSCLI(endpoint: try Ministack.shared().endpoint, accessKeyId: account, secretAccessKey: "test")
    }
}

/// A clock a test moves by hand, to cross credential expiry without waiting.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date

    init(_ start: Date = Date()) { value = start }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func advance(_ seconds: TimeInterval) {
        lock.lock()
        value += seconds
        lock.unlock()
    }

    var clock: AWSClock { AWSClock { [self] in now } }
}
