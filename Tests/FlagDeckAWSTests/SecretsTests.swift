@testable import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// Secrets never reach a rendering: not in errors (even when a server or a helper
/// process echoes them), not in `description`, `dump` or `String(reflecting:)`.
@Suite struct SecretsTests {
    static let secret = "KNOWN-SECRET-wJalrXUtnFEMI-K7MDENG"
    static let token = "KNOWN-TOKEN-FQoGZXIvYXdzEJr-session"

    static func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        var out = ["\(value)", String(reflecting: value), dumped]
        if let e = value as? Error { out.append(e.localizedDescription) }
        if let e = value as? AWSError { out.append(e.description) }
        return out
    }

    static func assertClean(_ value: Any, _ note: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for r in renderings(value) {
            #expect(!r.contains(secret), "\(note): secret in \(r)", sourceLocation: sourceLocation)
            #expect(!r.contains(token), "\(note): token in \(r)", sourceLocation: sourceLocation)
        }
    }

    @Test func credentialsAndClientsNeverShowTheirSecrets() throws {
        let creds = AWSCredentials(accessKeyId: "AKIDSHOWN", secretAccessKey: Self.secret, sessionToken: Self.token)
        Self.assertClean(creds, "credentials")
        #expect("\(creds)".contains("AKIDSHOWN"))
        let files = TempAWSFiles(config: "[default]\nregion = us-east-1\n", credentials: """
            [default]
            aws_access_key_id = AKIDSHOWN
            aws_secret_access_key = \(Self.secret)
            aws_session_token = \(Self.token)
            """)
        let client = try AWSClient(AWSClientConfiguration(environment: files.environment()))
        Self.assertClean(client, "client")
        Self.assertClean(client.sharedConfig, "shared config")
        Self.assertClean(try #require(client.sharedConfig.profile("default")), "profile")
        Self.assertClean(StaticCredentialProvider(creds), "provider")
        Self.assertClean(client.credentialSource, "source")
    }

    @Test func errorsFromARequestSignedWithTheSecretNeverContainIt() throws {
        // A hostile server that echoes everything it received, headers included.
        let server = try LoopbackHTTPServer { r in
            let echo = r.headers.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            return .json(400, #"{"__type":"ValidationException","message":"echo: \#(echo.replacingOccurrences(of: "\"", with: "'"))"}"#)
        }
        defer { server.stop() }
        let creds = AWSCredentials(accessKeyId: "AKIDSHOWN", secretAccessKey: Self.secret, sessionToken: Self.token)
        let client = try AWSClient(AWSClientConfiguration(region: "us-east-1", endpointURL: server.endpoint,
                                                          credentials: creds, environment: TempAWSFiles().environment(),
                                                          retry: .none))
        #expect(server.log.isEmpty)
        var errors: [AWSError] = []
        do { _ = try client.dynamoDB.describeTable("jobs") } catch let e as AWSError { errors.append(e) }
        do { _ = try client.appConfig.listApplications() } catch let e as AWSError { errors.append(e) }
        do { _ = try client.sts.getCallerIdentity() } catch let e as AWSError { errors.append(e) }
        #expect(errors.count == 3)
        #expect(server.log.allSatisfy { $0.headers["x-amz-security-token"] == Self.token }, "the token was really sent")
        #expect(errors[0].description.contains("x-amz-security-token=<redacted>"))
        for e in errors { Self.assertClean(e, "service error") }

        // A network error after signing with the same secret.
        let dead = try AWSClient(AWSClientConfiguration(region: "us-east-1", endpointURL: "http://127.0.0.1:\(FreePort.next())",
                                                        credentials: creds, environment: TempAWSFiles().environment(),
                                                        retry: .none))
        do { _ = try dead.sts.getCallerIdentity(); Issue.record("no server there") } catch {
            Self.assertClean(error, "network error")
        }
    }

    @Test func assumeRoleFailuresAndProcessFailuresAreClean() throws {
        let files = TempAWSFiles(config: """
            [profile role]
            region = us-east-1
            role_arn = arn:aws:iam::333333333333:role/r
            source_profile = keys
            [profile keys]
            aws_access_key_id = AKIDSHOWN
            aws_secret_access_key = \(Self.secret)
            aws_session_token = \(Self.token)
            """)
        let server = try LoopbackHTTPServer { r in
            .json(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>token \(r.headers["x-amz-security-token"] ?? "")</Message></Error></ErrorResponse>")
        }
        defer { server.stop() }
        let client = try AWSClient(AWSClientConfiguration(profile: "role", environment: files.environment(["AWS_ENDPOINT_URL": server.endpoint]),
                                                          retry: .none))
        do { _ = try client.credentials(); Issue.record("must fail") } catch {
            #expect((error as? AWSError)?.code == "AccessDenied")
            Self.assertClean(error, "assume role error")
        }
    }
}
