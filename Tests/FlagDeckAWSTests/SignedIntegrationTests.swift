import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// Against ministack with `AUTH=true`: signatures are verified for keys made with
/// `iam create-access-key`, so these calls prove the signer works on the wire, and a
/// wrong secret proves that a bad signature is refused, reported and harmless.
@Suite struct SignedIntegrationTests {
    struct User {
        var accessKeyId: String
        var secretAccessKey: String
        var userName: String
    }

    /// One IAM user for the suite: each aws CLI call costs about half a second.
    static let shared: Result<(Ministack, User), Error> = Result {
        let m = try Ministack.shared(auth: true)
        return (m, try user(m))
    }

    static func user(_ m: Ministack) throws -> User {
        let admin = AWSCLI(endpoint: m.endpoint)  // `test` is accepted unverified
        let name = "flagdeck-\(UUID().uuidString.prefix(8))"
        try admin.json(["iam", "create-user", "--user-name", name])
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        try admin.json(["iam", "put-user-policy", "--user-name", name, "--policy-name", "all", "--policy-document", policy])
        let key = try admin.object(["iam", "create-access-key", "--user-name", name])["AccessKey"] as? [String: Any]
        return User(accessKeyId: key?["AccessKeyId"] as? String ?? "", secretAccessKey: key?["SecretAccessKey"] as? String ?? "",
                    userName: name)
    }

    static func client(_ m: Ministack, _ user: User, secret: String? = nil, profile: String = "ci") throws -> AWSClient {
        let files = TempAWSFiles(config: "[profile \(profile)]\nregion = eu-west-1\n", credentials: """
            [\(profile)]
            aws_access_key_id = \(user.accessKeyId)
            aws_secret_access_key = \(secret ?? user.secretAccessKey)
            """)
        return try AWSClient(AWSClientConfiguration(profile: profile, endpointURL: m.endpoint,
                                                    environment: files.environment(), retry: .standard))
    }

    @Test func signedCallsAreAccepted() throws {
        let (m, user) = try Self.shared.get()
        #expect(user.accessKeyId.count >= 16)
        let client = try Self.client(m, user)

        let id = try client.sts.getCallerIdentity()
        #expect(id.arn.hasSuffix(":user/\(user.userName)"))
        #expect(client.accountId == id.account)

        let app = try client.appConfig.createApplication(name: "signed-\(user.userName)")
        #expect(try client.appConfig.listApplications().contains { $0.id == app.id })
        let profile = try client.appConfig.createConfigurationProfile(application: app.id, name: "flags")
        let v = try client.appConfig.createHostedConfigurationVersion(
            application: app.id, profile: profile.id, content: Data(#"{"k":"é 旗"}"#.utf8),
            contentType: "application/json", description: "signed   upload", latestVersionNumber: 0)
        #expect(v.versionNumber == 1)

        let table = "signed-\(user.userName)"
        _ = try client.dynamoDB.createTable(DynamoDBCreateTableRequest(tableName: table, partitionKey: "job_id"))
        try client.dynamoDB.putItem(table: table, item: ["job_id": .s("ü-1"), "on": .bool(true)])
        let items = try client.dynamoDB.scanAll(DynamoDBScanRequest(tableName: table, projectionExpression: "job_id"))
        #expect(items == [["job_id": .s("ü-1")]])

        // The other writer (aws CLI, same key) sees what we wrote.
        let cli = AWSCLI(endpoint: m.endpoint, accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey,
                         region: "eu-west-1")
        let listed = try cli.object(["appconfig", "list-applications"])["Items"] as? [[String: Any]]
        #expect(listed?.contains { $0["Id"] as? String == app.id } == true)
    }

    @Test func aWrongSecretIsRefusedNamingTheProfileAndChangesNothing() throws {
        let (m, user) = try Self.shared.get()
        let wrongSecret = "WRONG-" + user.secretAccessKey.dropFirst(6)
        let bad = try Self.client(m, user, secret: wrongSecret, profile: "payments-prod")
        let error = #expect(throws: AWSError.self) { try bad.appConfig.createApplication(name: "must-not-exist") }
        #expect(error?.code == "InvalidSignatureException" || error?.code == "SignatureDoesNotMatch")
        let text = error?.description ?? ""
        #expect(text.hasPrefix("profile payments-prod"))
        #expect(text.contains("appconfig:CreateApplication"))
        #expect(error?.failure?.attempts == 1, "a signature error is not retried")
        for secret in [wrongSecret, user.secretAccessKey] {
            #expect(!text.contains(secret))
            #expect(!String(reflecting: error as Any).contains(secret))
        }
        let sts = #expect(throws: AWSError.self) { try bad.sts.getCallerIdentity() }
        #expect(sts?.description.hasPrefix("profile payments-prod") == true)

        let good = try Self.client(m, user)
        #expect(try good.appConfig.listApplications().allSatisfy { $0.name != "must-not-exist" })
    }
}
