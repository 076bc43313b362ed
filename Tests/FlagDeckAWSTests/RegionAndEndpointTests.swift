@testable import FlagDeckAWS
import Foundation
import Testing

@Suite struct RegionAndEndpointTests {
    static let config = """
        [default]
        region = us-west-2

        [profile emu]
        region = eu-north-1
        endpoint_url = http://127.0.0.1:4566
        services = emu-services

        [services emu-services]
        appconfig =
          endpoint_url = http://127.0.0.1:5000/appconfig/
        dynamodb =
          region = ignored
        sts =
          endpoint_url = https://sts.vpce.example.internal

        [profile broken]
        services = missing

        [profile ignoring]
        endpoint_url = http://127.0.0.1:4566
        ignore_configured_endpoint_urls = true
        """

    static func resolve(_ service: AWSService, profile: String = "emu", explicit: String? = nil,
                        env: [String: String] = [:], region: String = "eu-north-1") throws -> Endpoint {
        let config = try SharedConfig(configFile: "/c", configText: Self.config, credentialsFile: "/k", credentialsText: nil)
        return try EndpointResolver.resolve(service: service, region: region, explicit: explicit,
                                            environment: AWSEnvironment(variables: env, homeDirectory: "/h"),
                                            profileName: profile, profile: config.profile(profile), config: config)
    }

    @Test func precedenceFollowsBotocore() throws {
        let all = ["AWS_ENDPOINT_URL_APPCONFIG": "http://svc-env:1", "AWS_ENDPOINT_URL": "http://global-env:2"]
        #expect(try Self.resolve(.appConfig, explicit: "http://explicit:9", env: all).url == "http://explicit:9")
        #expect(try Self.resolve(.appConfig, env: all).url == "http://svc-env:1")
        #expect(try Self.resolve(.appConfig, env: all).source == "AWS_ENDPOINT_URL_APPCONFIG")
        #expect(try Self.resolve(.appConfigData, env: all).url == "http://global-env:2", "the APPCONFIG variable is not APPCONFIGDATA's")
        #expect(try Self.resolve(.appConfig).url == "http://127.0.0.1:5000/appconfig")
        #expect(try Self.resolve(.appConfig).basePath == "/appconfig")
        #expect(try Self.resolve(.sts).url == "https://sts.vpce.example.internal")
        #expect(try Self.resolve(.dynamoDB).url == "http://127.0.0.1:4566", "no endpoint_url in its services block: profile global")
        #expect(try Self.resolve(.appConfigData).source.hasPrefix("profile emu endpoint_url"))
    }

    @Test(arguments: [(AWSService.appConfigData, "APPCONFIGDATA"), (.appConfig, "APPCONFIG"), (.sts, "STS"),
                      (.dynamoDB, "DYNAMODB")])
    func serviceVariablesAreUpperSnakeServiceIds(_ service: AWSService, _ suffix: String) throws {
        #expect(service.endpointEnvironmentVariable == "AWS_ENDPOINT_URL_\(suffix)")
        #expect(try Self.resolve(service, profile: "default", env: ["AWS_ENDPOINT_URL_\(suffix)": "http://x:1"]).url == "http://x:1")
    }

    @Test func defaultsAreRegional() throws {
        #expect(try Self.resolve(.appConfig, profile: "default", region: "eu-west-1").url == "https://appconfig.eu-west-1.amazonaws.com")
        #expect(try Self.resolve(.appConfigData, profile: "default", region: "eu-west-1").url == "https://appconfigdata.eu-west-1.amazonaws.com")
        #expect(try Self.resolve(.sts, profile: "default", region: "ap-south-1").url == "https://sts.ap-south-1.amazonaws.com")
        #expect(try Self.resolve(.dynamoDB, profile: "nonexistent", region: "us-east-1").url == "https://dynamodb.us-east-1.amazonaws.com")
        #expect(try Self.resolve(.dynamoDB, profile: "default", region: "cn-north-1").url == "https://dynamodb.cn-north-1.amazonaws.com.cn")
    }

    @Test func ignoringConfiguredEndpoints() throws {
        #expect(try Self.resolve(.appConfig, profile: "ignoring").source == "default")
        #expect(try Self.resolve(.appConfig, env: ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
                                                   "AWS_ENDPOINT_URL": "http://x:1"]).source == "default")
        #expect(try Self.resolve(.appConfig, explicit: "http://e:1", env: ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]).url
                    == "http://e:1", "an explicit URL is never ignored")
    }

    @Test func badEndpointsAreNamedWithTheirSource() {
        #expect(throws: AWSError.servicesSectionNotFound(profile: "broken", section: "missing", file: "/c")) {
            try Self.resolve(.appConfig, profile: "broken")
        }
        #expect(throws: AWSError.invalidEndpoint(url: "localhost:4566", source: "AWS_ENDPOINT_URL")) {
            try Self.resolve(.appConfig, env: ["AWS_ENDPOINT_URL": "localhost:4566"])
        }
    }

    @Test func regionPrecedence() throws {
        let config = try SharedConfig(configFile: "/c", configText: Self.config, credentialsFile: "/k", credentialsText: nil)
        let env = AWSEnvironment(variables: ["AWS_REGION": "r-env", "AWS_DEFAULT_REGION": "r-default"], homeDirectory: "/h")
        let p = config.profile("emu")
        #expect(try RegionResolver.resolve(explicit: "r-explicit", environment: env, profileName: "emu", profile: p).region == "r-explicit")
        #expect(try RegionResolver.resolve(explicit: nil, environment: env, profileName: "emu", profile: p).region == "r-env")
        var onlyDefault = env
        onlyDefault.variables["AWS_REGION"] = nil
        #expect(try RegionResolver.resolve(explicit: nil, environment: onlyDefault, profileName: "emu", profile: p).region == "r-default")
        let none = AWSEnvironment(variables: [:], homeDirectory: "/h")
        let fromProfile = try RegionResolver.resolve(explicit: nil, environment: none, profileName: "emu", profile: p)
        #expect(fromProfile.region == "eu-north-1" && fromProfile.source == .profile(file: "/c"))
        #expect(throws: AWSError.missingRegion(profile: "broken")) {
            try RegionResolver.resolve(explicit: nil, environment: none, profileName: "broken", profile: config.profile("broken"))
        }
        #expect(AWSError.missingRegion(profile: "broken").description.contains("profile broken: no region"))
    }
}
