import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// `role_arn` + `source_profile` through ministack's STS, as the aws CLI would do it.
@Suite struct AssumeRoleTests {
    static func files(sourceAccount: String) throws -> TempAWSFiles {
        TempAWSFiles(config: """
            [profile base]
            region = us-east-1

            [profile deployer]
            role_arn = arn:aws:iam::333333333333:role/deployer
            source_profile = base
            role_session_name = flagdeck-test
            external_id = ext-1
            duration_seconds = 900

            [profile reader]
            role_arn = arn:aws:iam::444444444444:role/reader
            source_profile = deployer
            """, credentials: """
            [base]
            aws_access_key_id = \(sourceAccount)
            aws_secret_access_key = test
            """)
    }

    static func client(_ profile: String, clock: TestClock = TestClock()) throws -> AWSClient {
        let m = try Ministack.shared()
        let files = try files(sourceAccount: Ministack.freshAccount())
        return try AWSClient(AWSClientConfiguration(profile: profile, region: "us-east-1",
                                                    environment: files.environment(["AWS_ENDPOINT_URL": m.endpoint]),
                                                    clock: clock.clock, refreshMargin: 300))
    }

    @Test func assumesTheRoleAndActsAsIt() throws {
        let client = try Self.client("deployer")
        #expect(client.accountId == "333333333333", "known from the role ARN before any call")
        let id = try client.sts.getCallerIdentity()
        #expect(id.account == "333333333333")
        #expect(id.arn == "arn:aws:sts::333333333333:assumed-role/deployer/flagdeck-test")
        let creds = try client.credentials()
        #expect(creds.sessionToken != nil && creds.expiration != nil)
        #expect(creds.accessKeyId.hasPrefix("ASIA"))
    }

    @Test func chainsOfRolesWork() throws {
        let client = try Self.client("reader")
        guard case .assumeRole(_, let role, .assumeRole(let mid, _, .profileKeys(let base, _))) = client.credentialSource else {
            Issue.record("unexpected source \(client.credentialSource)")
            return
        }
        #expect(role == "arn:aws:iam::444444444444:role/reader" && mid == "deployer" && base == "base")
        let id = try client.sts.getCallerIdentity()
        #expect(id.account == "444444444444")
        #expect(id.arn.hasPrefix("arn:aws:sts::444444444444:assumed-role/reader/flagdeck-"))
    }

    @Test func credentialsAreCachedAndRefreshedAfterExpiry() throws {
        let clock = TestClock()
        let client = try Self.client("deployer", clock: clock)
        let first = try client.credentials()
        let exp = try #require(first.expiration)
        #expect(abs(exp.timeIntervalSinceNow - 900) < 120, "duration_seconds = 900 was sent")
        clock.advance(60)
        #expect(try client.credentials().accessKeyId == first.accessKeyId, "cached")
        clock.advance(exp.timeIntervalSince(clock.now) - 299)  // inside the 300 s refresh margin
        let second = try client.credentials()
        #expect(second.accessKeyId != first.accessKeyId, "refreshed through STS")
        #expect(second.expiration! >= exp)
        #expect(try client.sts.getCallerIdentity().account == "333333333333")
    }

    @Test func aFailingAssumeRoleNamesTheProfileAndRole() throws {
        // Nothing listens on the STS endpoint: the error says which profile and role.
        let port = FreePort.next()
        let files = try Self.files(sourceAccount: "111111111111")
        let client = try AWSClient(AWSClientConfiguration(
            profile: "deployer", region: "us-east-1",
            environment: files.environment(["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(port)"]),
            retry: .none))
        let error = #expect(throws: AWSError.self) { try client.credentials() }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("profile deployer: cannot assume role arn:aws:iam::333333333333:role/deployer: "))
        #expect(text.contains("cannot reach http://127.0.0.1:\(port)/ for sts:AssumeRole"))
    }
}
