@testable import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// The chain's precedence and its refusals, from temporary files and environments
/// (no network: resolution only reads files).
@Suite struct CredentialChainTests {
    static let config = """
        # comment
        [default]
        region = us-east-1

        [profile prod]
        region = eu-west-1
        aws_access_key_id = AKIDCONFIGPROD
        aws_secret_access_key = config-prod-secret

        [profile "with space"]
        region = ap-southeast-2
        credential_process = /bin/false

        [profile mfa]
        role_arn = arn:aws:iam::333333333333:role/admin
        source_profile = prod
        mfa_serial = arn:aws:iam::111111111111:mfa/me

        [profile sso]
        sso_start_url = https://example.awsapps.com/start
        sso_region = us-east-1

        [profile web]
        role_arn = arn:aws:iam::333333333333:role/web
        web_identity_token_file = /var/run/token

        [profile ec2]
        role_arn = arn:aws:iam::333333333333:role/ec2
        credential_source = Ec2InstanceMetadata

        [profile loop-a]
        role_arn = arn:aws:iam::333333333333:role/a
        source_profile = loop-b

        [profile loop-b]
        role_arn = arn:aws:iam::333333333333:role/b
        source_profile = loop-a

        [profile dangling]
        role_arn = arn:aws:iam::333333333333:role/x
        source_profile = nowhere

        [profile orphan-role]
        role_arn = arn:aws:iam::333333333333:role/x

        [profile self]
        role_arn = arn:aws:iam::555555555555:role/self
        source_profile = self
        aws_access_key_id = AKIDSELF
        aws_secret_access_key = self-secret

        [profile half]
        aws_access_key_id = AKIDHALF

        [profile empty]
        region = us-west-2
        """
    static let credentials = """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [prod]
        aws_access_key_id = AKIDCREDSPROD
        aws_secret_access_key = creds-prod-secret
        aws_session_token = creds-prod-token
        """

    static func client(_ profile: String? = nil, env: [String: String] = [:]) throws -> AWSClient {
        let files = TempAWSFiles(config: config, credentials: credentials)
        return try AWSClient(AWSClientConfiguration(profile: profile, region: "us-east-1",
                                                    environment: files.environment(env)))
    }

    static func failure(_ profile: String?, env: [String: String] = [:]) -> AWSError? {
        do {
            _ = try client(profile, env: env)
            return nil
        } catch {
            return error as? AWSError
        }
    }

    @Test func environmentKeysWinOverAWSProfile() throws {
        let c = try Self.client(env: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
                                      "AWS_SESSION_TOKEN": "env-token", "AWS_PROFILE": "prod"])
        #expect(c.credentialSource == .environment)
        let creds = try c.credentials()
        #expect(creds.accessKeyId == "AKIDENV" && creds.sessionToken == "env-token")
        #expect(c.profileName == "prod", "the profile still supplies settings")
    }

    @Test func anExplicitProfileIgnoresEnvironmentKeys() throws {
        let c = try Self.client("prod", env: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"])
        #expect(try c.credentials().accessKeyId == "AKIDCREDSPROD")
    }

    @Test func credentialsFileBeatsConfigFileForTheSameProfile() throws {
        let c = try Self.client("prod")
        let creds = try c.credentials()
        #expect(creds.accessKeyId == "AKIDCREDSPROD")
        #expect(creds.sessionToken == "creds-prod-token")
        guard case .profileKeys(let p, let file) = c.credentialSource else { Issue.record("source"); return }
        #expect(p == "prod" && file.hasSuffix("/credentials"))
    }

    @Test func awsProfileThenDefault() throws {
        #expect(try Self.client(env: ["AWS_PROFILE": "prod"]).credentials().accessKeyId == "AKIDCREDSPROD")
        let d = try Self.client()
        #expect(d.profileName == "default")
        #expect(try d.credentials().accessKeyId == "AKIDDEFAULT")
    }

    @Test func quotedProfileNamesWork() throws {
        let c = try Self.client("with space")
        #expect(c.credentialSource == .credentialProcess(profile: "with space"))
    }

    @Test func aMissingProfileListsTheKnownOnes() {
        for error in [Self.failure("prdo"), Self.failure(nil, env: ["AWS_PROFILE": "prdo"])] {
            let text = error?.description ?? ""
            #expect(text.contains("profile prdo not found"))
            #expect(text.contains("known profiles: dangling, default, ec2"))
            #expect(text.contains("prod"))
        }
    }

    @Test(arguments: [("mfa", "mfa_serial"), ("sso", "sso_"), ("web", "web_identity_token_file"),
                      ("ec2", "credential_source")])
    func unsupportedSourcesAreRefusedNamingTheProfile(_ profile: String, _ setting: String) {
        let error = Self.failure(profile)
        guard case .unsupportedCredentials(let p, let s, let file)? = error else {
            Issue.record("expected unsupportedCredentials, got \(String(describing: error))")
            return
        }
        #expect(p == profile && s.hasPrefix(setting) && file.hasSuffix("/config"))
        let text = error!.description
        #expect(text.contains("profile \(profile) uses \(s)"))
        #expect(text.contains("credential_process"))
    }

    @Test func sourceProfileLoopsAreDetected() {
        let error = Self.failure("loop-a")
        #expect(error == .sourceProfileLoop(chain: ["loop-a", "loop-b", "loop-a"]))
        #expect(error?.description == "source_profile loop: loop-a -> loop-b -> loop-a")
    }

    @Test func sourceProfileProblemsAreNamed() {
        let dangling = Self.failure("dangling")?.description ?? ""
        #expect(dangling.contains("profile dangling: source_profile nowhere not found; known profiles:"))
        #expect(Self.failure("orphan-role")?.description.contains("profile orphan-role has role_arn but no source_profile") == true)
    }

    @Test func aProfileMayBeItsOwnSourceWhenItHasKeys() throws {
        let c = try Self.client("self")
        guard case .assumeRole(let p, let role, let source) = c.credentialSource else { Issue.record("source"); return }
        #expect(p == "self" && role == "arn:aws:iam::555555555555:role/self")
        guard case .profileKeys(let sp, _) = source else { Issue.record("source of source"); return }
        #expect(sp == "self")
        #expect(c.accountId == "555555555555", "the account comes from the role ARN")
    }

    @Test func halfAKeyPairIsAnError() {
        let text = Self.failure("half")?.description ?? ""
        #expect(text.contains("profile half: aws_secret_access_key is missing"))
        let env = Self.failure(nil, env: ["AWS_ACCESS_KEY_ID": "AKID"])?.description ?? ""
        #expect(env.contains("AWS_SECRET_ACCESS_KEY is missing"))
    }

    @Test func aProfileWithoutCredentialsSaysWhereItLooked() {
        let text = Self.failure("empty")?.description ?? ""
        #expect(text.contains("profile empty: no credentials"))
        #expect(text.contains("/config"))
    }

    @Test func noFilesAndNoEnvironmentMeansNoCredentials() {
        let files = TempAWSFiles()
        #expect(throws: AWSError.noCredentials(profile: "default", files: [files.configPath, files.credentialsPath])) {
            _ = try AWSClient(AWSClientConfiguration(region: "us-east-1", environment: files.environment()))
        }
    }

    @Test func defaultFilesAreUnderHomeDotAWS() throws {
        let home = RepoRoot.temporaryDirectory("flagdeck-home")
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        try "[profile p]\nregion = sa-east-1\n".write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
        try "[p]\naws_access_key_id = AKIDHOME\naws_secret_access_key = s\n".write(toFile: home + "/.aws/credentials",
                                                                                  atomically: true, encoding: .utf8)
        let env = AWSEnvironment(variables: ["HOME": home])
        #expect(env.configFilePath == home + "/.aws/config")
        let c = try AWSClient(AWSClientConfiguration(profile: "p", environment: env))
        #expect(c.region == "sa-east-1")
        #expect(try c.credentials().accessKeyId == "AKIDHOME")
        let moved = AWSEnvironment(variables: ["HOME": home, "AWS_CONFIG_FILE": "~/elsewhere", "AWS_SHARED_CREDENTIALS_FILE": "/abs/creds"])
        #expect(moved.configFilePath == home + "/elsewhere" && moved.credentialsFilePath == "/abs/creds")
    }

    @Test func malformedFilesNameFileAndLine() {
        let files = TempAWSFiles(config: "[default]\nregion = us-east-1\nthis line has no equals sign\n")
        let error = #expect(throws: AWSError.self) {
            _ = try AWSClient(AWSClientConfiguration(environment: files.environment()))
        }
        #expect(error == .configSyntax(file: files.configPath, line: 3, reason: "expected `name = value`"))
        let dup = TempAWSFiles(credentials: "[a]\nx = 1\n[a]\n")
        #expect(throws: AWSError.configSyntax(file: dup.credentialsPath, line: 3,
                                              reason: "section [a] appears again (first on line 1)")) {
            _ = try SharedConfig.load(dup.environment())
        }
    }

    @Test func iniDialectDetails() throws {
        let text = """
            [profile x]
            Region: eu-west-1
            endpoint_url = http://localhost:4566   # not a comment in botocore
            s3 =
              addressing_style = path
              max_concurrent_requests=10
            ; a comment
            description = first line
              second line

            [services dev]
            appconfig =
              endpoint_url = http://127.0.0.1:1
            """
        let c = try SharedConfig(configFile: "c", configText: text, credentialsFile: "k", credentialsText: nil)
        let p = try #require(c.profile("x"))
        #expect(p.string("region") == "eu-west-1")
        #expect(p.string("endpoint_url") == "http://localhost:4566   # not a comment in botocore")
        #expect(p.settings["s3"] == .nested(["addressing_style": "path", "max_concurrent_requests": "10"]))
        #expect(p.string("description") == "first line\nsecond line")
        #expect(c.servicesSection("dev")?["appconfig"] == .nested(["endpoint_url": "http://127.0.0.1:1"]))
    }
}
