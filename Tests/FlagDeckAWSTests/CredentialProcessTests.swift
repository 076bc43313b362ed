@testable import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// `credential_process` with real (tiny) helper scripts.
@Suite struct CredentialProcessTests {
    static let secret = "PROCESS-SECRET-wJalrXUtnFEMI"
    static let token = "PROCESS-TOKEN-FQoGZXIvYXdz"

    /// A helper that counts its runs in `runs` and prints credentials expiring in `expiresIn` seconds.
    static func setup(expiresIn: Int?, extra: String = "") -> (TempAWSFiles, String) {
        let files = TempAWSFiles()
        let runs = files.directory + "/runs"
        let expiration = expiresIn.map { ISO8601.format(Date().addingTimeInterval(TimeInterval($0))) }
        let script = files.script("creds.sh", """
            #!/bin/sh
            echo run >> "\(runs)"
            \(extra)
            cat <<JSON
            {"Version": 1, "AccessKeyId": "AKIDPROC$(wc -l < "\(runs)" | tr -d ' ')", "SecretAccessKey": "\(secret)",
             "SessionToken": "\(token)"\(expiration.map { #", "Expiration": "\#($0)""# } ?? ""), "AccountId": "777777777777"}
            JSON
            """)
        let config = """
            [profile sso-backed]
            region = us-east-1
            credential_process = "\(script)" --profile 'has spaces' arg2
            """
        _ = FileManager.default.createFile(atPath: files.configPath, contents: Data(config.utf8))
        return (files, runs)
    }

    static func runs(_ path: String) -> Int {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test func credentialsAreCachedUntilShortlyBeforeExpiry() throws {
        let (files, runs) = Self.setup(expiresIn: 3600)
        let clock = TestClock()
        let client = try AWSClient(AWSClientConfiguration(profile: "sso-backed", environment: files.environment(),
                                                          clock: clock.clock, refreshMargin: 300))
        #expect(client.credentialSource == .credentialProcess(profile: "sso-backed"))
        #expect(Self.runs(runs) == 0, "building a client runs nothing")
        let first = try client.credentials()
        #expect(first.accessKeyId == "AKIDPROC1" && first.secretAccessKey == Self.secret && first.sessionToken == Self.token)
        #expect(client.accountId == "777777777777")
        clock.advance(3000)
        #expect(try client.credentials().accessKeyId == "AKIDPROC1")
        #expect(Self.runs(runs) == 1)
        clock.advance(301)  // now inside the refresh margin
        #expect(try client.credentials().accessKeyId == "AKIDPROC2")
        #expect(Self.runs(runs) == 2)
    }

    @Test func withoutExpirationTheyAreKept() throws {
        let (files, runs) = Self.setup(expiresIn: nil)
        let clock = TestClock()
        let client = try AWSClient(AWSClientConfiguration(profile: "sso-backed", environment: files.environment(),
                                                          clock: clock.clock))
        _ = try client.credentials()
        clock.advance(86400 * 30)
        _ = try client.credentials()
        #expect(Self.runs(runs) == 1)
    }

    @Test func expiredCredentialsAreRefused() throws {
        let (files, _) = Self.setup(expiresIn: -60)
        let client = try AWSClient(AWSClientConfiguration(profile: "sso-backed", environment: files.environment()))
        let error = #expect(throws: AWSError.self) { try client.credentials() }
        guard case .credentialProcessExpired(let p, let program, _)? = error else {
            Issue.record("expected credentialProcessExpired, got \(String(describing: error))")
            return
        }
        #expect(p == "sso-backed" && program == "creds.sh")
        #expect(error?.description.contains("profile sso-backed: credential_process creds.sh returned credentials that expired") == true)
    }

    @Test func aFailingProcessShowsItsStderrButNoSecret() throws {
        // Prints good-looking credentials, then echoes the secret on stderr and fails.
        let (files, _) = Self.setup(expiresIn: 3600, extra: """
            echo "token refresh failed for \(Self.secret) / \(Self.token): run aws sso login" >&2
            trap 'exit 3' EXIT
            """)
        let client = try AWSClient(AWSClientConfiguration(profile: "sso-backed", environment: files.environment()))
        let error = #expect(throws: AWSError.self) { try client.credentials() }
        let text = error?.description ?? ""
        #expect(text.contains("profile sso-backed: credential_process creds.sh exited with status 3"))
        #expect(text.contains("token refresh failed for <redacted> / <redacted>: run aws sso login"))
        #expect(!text.contains(Self.secret) && !text.contains(Self.token))
        #expect(!String(reflecting: error as Any).contains(Self.secret))
    }

    @Test(arguments: [
        ("echo 'not json {{' ; exit 0", "printed 12 bytes that are not a JSON object"),
        (#"echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S3CR3T-NEVER-SHOWN"}'; exit 0"#, #"without "Version": 1"#),
        (#"echo '{"Version": 1, "SecretAccessKey": "S3CR3T-NEVER-SHOWN"}'; exit 0"#, "without AccessKeyId"),
        (#"echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S3CR3T-NEVER-SHOWN", "Expiration": "tomorrow"}'; exit 0"#,
         "Expiration that is not an ISO 8601 time"),
    ])
    func unusableOutputIsDescribedWithoutEchoingIt(_ body: String, _ expected: String) throws {
        let files = TempAWSFiles()
        let script = files.script("bad.sh", "#!/bin/sh\n\(body)\n")
        _ = FileManager.default.createFile(atPath: files.configPath, contents: Data("[default]\ncredential_process = \(script)\n".utf8))
        let client = try AWSClient(AWSClientConfiguration(region: "us-east-1", environment: files.environment()))
        let error = #expect(throws: AWSError.self) { try client.credentials() }
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        #expect(error?.description.contains("S3CR3T-NEVER-SHOWN") == false)
    }

    @Test func aMissingProgramIsNamed() throws {
        let files = TempAWSFiles(config: "[default]\ncredential_process = flagdeck-no-such-helper --x\n")
        let client = try AWSClient(AWSClientConfiguration(region: "us-east-1", environment: files.environment()))
        let error = #expect(throws: AWSError.self) { try client.credentials() }
        #expect(error?.description == "profile default: credential_process flagdeck-no-such-helper was not found (not executable, or not on PATH)")
    }

    @Test func commandLinesSplitLikeAShell() {
        #expect(SharedConfig.shellWordsOrNil(#"a "b c" 'd e' f\ g "h\"i""#) == ["a", "b c", "d e", "f g", #"h"i"#])
        #expect(SharedConfig.shellWordsOrNil(#"a "unterminated"#) == nil)
    }
}
