import FlagDeckAWS
import FlagDeckAWSTestSupport
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// Signatures, permissions and temporary credentials through the driver. The AUTH=true
/// emulator verifies signatures and evaluates IAM policies for keys made by
/// `iam create-access-key`.
@Suite struct CredentialsTests {
    struct User {
        var accessKeyId: String
        var secretAccessKey: String
    }

    static func user(_ m: Ministack, policy: String) throws -> User {
        let admin = AWSCLI(endpoint: m.endpoint)  // the `test` key is accepted unverified
        let name = "flagdeck-\(UUID().uuidString.prefix(8))"
        try admin.json(["iam", "create-user", "--user-name", name])
        try admin.json(["iam", "put-user-policy", "--user-name", name, "--policy-name", "p", "--policy-document", policy])
        let key = try admin.object(["iam", "create-access-key", "--user-name", name])["AccessKey"] as? [String: Any]
        return User(accessKeyId: key?["AccessKeyId"] as? String ?? "", secretAccessKey: key?["SecretAccessKey"] as? String ?? "")
    }

    static let allowAll = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
    static let noCreate = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},"#
        + #"{"Effect":"Deny","Action":"appconfig:CreateHostedConfigurationVersion","Resource":"*"}]}"#

    /// One signed-in profile `payments-prod` with `secret` (the user's own unless given).
    static func pool(_ m: Ministack, _ user: User, secret: String? = nil) -> (AWSClientPool, String) {
        let dir = RepoRoot.temporaryDirectory("flagdeck-appconfig-auth")
        _ = FileManager.default.createFile(atPath: dir + "/config", contents: Data("[profile payments-prod]\nregion = us-east-1\n".utf8))
        _ = FileManager.default.createFile(atPath: dir + "/credentials", contents: Data("""
            [payments-prod]
            aws_access_key_id = \(user.accessKeyId)
            aws_secret_access_key = \(secret ?? user.secretAccessKey)
            """.utf8))
        let env = AWSEnvironment(variables: ["AWS_CONFIG_FILE": dir + "/config", "AWS_SHARED_CREDENTIALS_FILE": dir + "/credentials",
                                             "AWS_ENDPOINT_URL": m.endpoint, "HOME": dir], homeDirectory: dir)
        return (AWSClientPool(environment: env) { $0.retry = .none }, dir)
    }

    static func seed(_ m: Ministack, _ user: User) throws -> (SeededAppConfig, String) {
        let app = "checkout-\(UUID().uuidString.prefix(6).lowercased())"
        let (pool, _) = Self.pool(m, user)
        return (try SeededAppConfig(try pool.client(profile: "payments-prod", region: nil), app: app, envs: ["prod"], document: AppConfigDocs.powertools), app)
    }

    @Test func aWrongSecretIsASignatureErrorNamingTheProfileAndNothingChanges() throws {
        let m = try Ministack.shared(auth: true)
        let user = try Self.user(m, policy: Self.allowAll)
        let (seeded, app) = try Self.seed(m, user)
        let wrong = "WRONG" + user.secretAccessKey.dropFirst(5)
        let (pool, _) = Self.pool(m, user, secret: wrong)
        let source = try AppConfigSource(location: .init(profile: "payments-prod", region: nil, application: app, environment: "prod",
                                                         configurationProfile: "flags"), clients: pool)
        let read = #expect(throws: SourceError.self) { try source.readServed() }
        let text = read?.text ?? ""
        #expect(text.contains("profile payments-prod"))
        #expect(text.contains("AWS refused the request signature"))
        #expect(text.contains("InvalidSignatureException") || text.contains("SignatureDoesNotMatch"))
        #expect(text.contains("nothing was changed"))
        let write = #expect(throws: SourceError.self) {
            try source.write(SourceWrite(bytes: Array("{}".utf8), baseVersion: "1", intentID: "i", description: "flagdeck kill", urgent: true))
        }
        for t in [text, write?.text ?? ""] {
            #expect(!t.contains(wrong) && !t.contains(user.secretAccessKey), "no secret in the message")
        }
        #expect(try seeded.hostedVersions() == [1])
    }

    @Test func accessDeniedNamesTheProfileAccountCallAndApplication() throws {
        let m = try Ministack.shared(auth: true)
        let admin = try Self.user(m, policy: Self.allowAll)
        let (seeded, app) = try Self.seed(m, admin)
        let limited = try Self.user(m, policy: Self.noCreate)
        let (pool, _) = Self.pool(m, limited)
        let source = try AppConfigSource(location: .init(profile: "payments-prod", region: nil, application: app, environment: "prod",
                                                         configurationProfile: "flags"), clients: pool)
        let base = try source.readLatest()
        #expect(try source.readServed().version == "1", "reading is allowed")
        let e = #expect(throws: SourceError.self) {
            try source.write(SourceWrite(bytes: try AppConfigDocs.killed(AppConfigDocs.powertools, "search.beta"), baseVersion: base.version,
                                         intentID: "denied", description: "flagdeck kill search.beta by alice", urgent: true))
        }
        let text = e?.text ?? ""
        let account = try #require(try pool.client(profile: "payments-prod", region: nil).accountId)
        #expect(text.contains("profile payments-prod (account \(account)) may not appconfig:CreateHostedConfigurationVersion"
                              + " on application \(app) environment prod configuration profile flags"), "\(text)")
        #expect(text.contains("AccessDeniedException"))
        #expect(try seeded.hostedVersions() == [1])
    }

    @Test func anAssumedRolesCredentialsAreRefreshedWhenTheyExpire() throws {
        let clock = TestClock()
        let roleAccount = Ministack.freshAccount()
        let accounts = try Accounts(["base"], extraConfig: """
            [profile deployer]
            role_arn = arn:aws:iam::\(roleAccount):role/deployer
            source_profile = base
            duration_seconds = 900
            region = us-east-1

            """, clock: clock.clock)
        let client = try accounts.client("deployer")
        _ = try SeededAppConfig(client, app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let source = try accounts.source("deployer", "checkout", "prod")
        #expect(try source.readServed().version == "1")
        #expect(try source.resolvedTarget().accountId == roleAccount)
        let first = try client.credentials()
        let expiry = try #require(first.expiration)
        clock.advance(expiry.timeIntervalSince(clock.now) + 1)  // past expiry
        let killed = try AppConfigDocs.killed(AppConfigDocs.powertools, "checkout.new_flow")
        let receipt = try source.write(SourceWrite(bytes: killed, baseVersion: "1", intentID: "role-kill",
                                                   description: "flagdeck kill checkout.new_flow by alice", urgent: true))
        #expect(receipt.details["account"] == roleAccount)
        let second = try client.credentials()
        #expect(second.accessKeyId != first.accessKeyId, "AssumeRole was called again")
        #expect(try source.readServed().bytes == killed)
    }
}

/// A clock a test moves by hand, to cross credential expiry without waiting.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value = Date()

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
