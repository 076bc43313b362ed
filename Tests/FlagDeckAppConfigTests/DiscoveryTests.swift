import FlagDeckAWS
import FlagDeckAWSTestSupport
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// `aws discover` over several accounts: what holds flags, what is skipped and why, and
/// the environment names, the same on every run.
@Suite struct DiscoveryTests {
    struct World {
        var accounts: Accounts
        var prodCheckout: SeededAppConfig
        var devCheckout: SeededAppConfig
        var devSearch: SeededAppConfig
    }

    static func world() throws -> World {
        let accounts = try Accounts(["payments-prod", "payments-dev"])
        let prod = try accounts.client("payments-prod")
        let prodCheckout = try SeededAppConfig(prod, app: "checkout", envs: ["prod", "staging"], document: AppConfigDocs.powertools, deploy: false)
        try prodCheckout.deploy(1, to: "prod")
        let ac = prod.appConfig
        // Not flags: a freeform profile holding other JSON, and a feature-flags profile.
        let other = try ac.createConfigurationProfile(application: prodCheckout.app.id, name: "db-settings")
        _ = try ac.createHostedConfigurationVersion(application: prodCheckout.app.id, profile: other.id,
                                                    content: Data(#"{"pool": 5}"#.utf8), contentType: "application/json")
        let native = try ac.createConfigurationProfile(application: prodCheckout.app.id, name: "native", type: .featureFlags)
        let v = try ac.createHostedConfigurationVersion(application: prodCheckout.app.id, profile: native.id,
                                                        content: Data(AppConfigDocs.featureFlags.utf8), contentType: "application/json")
        _ = try ac.startDeployment(AppConfigStartDeploymentRequest(
            applicationId: prodCheckout.app.id, environmentId: prodCheckout.envs["staging"]!.id,
            deploymentStrategyId: try ac.listDeploymentStrategies().first { $0.name == "seed-immediate" }!.id,
            configurationProfileId: native.id, configurationVersion: String(v.versionNumber)))
        let dev = try accounts.client("payments-dev")
        let devCheckout = try SeededAppConfig(dev, app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let devSearch = try SeededAppConfig(dev, app: "search", envs: ["prod", "qa env"], document: AppConfigDocs.powertools)
        return World(accounts: accounts, prodCheckout: prodCheckout, devCheckout: devCheckout, devSearch: devSearch)
    }

    @Test func everyAccountsFlagsAreFoundAndNamedPredictably() throws {
        let w = try Self.world()
        let found = AppConfigDiscovery.discover(profiles: nil, regions: [], clients: w.accounts.pool)
        #expect(found.map(\.profile).sorted() == ["payments-dev", "payments-prod"])
        #expect(found.allSatisfy { $0.error == nil })
        let prod = try #require(found.first { $0.profile == "payments-prod" })
        #expect(prod.accountId == w.accounts.id("payments-prod") && prod.region == "us-east-1")
        let checkout = try #require(prod.applications.first { $0.name == "checkout" })
        #expect(checkout.flagProfiles.map(\.name) == ["flags", "native"])
        #expect(checkout.flagProfiles[0].format == .powertools && checkout.flagProfiles[0].flagCount == 2)
        #expect(checkout.flagProfiles[1].format == .appConfigFeatureFlags && checkout.flagProfiles[1].flagCount == 2)
        #expect(checkout.skipped.map(\.name) == ["db-settings"])
        #expect(checkout.skipped[0].reason.contains("not Powertools feature flags JSON"))
        let flags = checkout.flagProfiles[0].placements
        #expect(flags.map(\.environment.name) == ["prod", "staging"])
        #expect(flags[0].deployedVersion == 1 && flags[1].deployedVersion == nil && flags[1].source == nil)

        let sources = AppConfigDiscovery.sources(found)
        let byEnv = Dictionary(grouping: sources, by: { $0.env.description }).mapValues { $0.map(\.uri.description).sorted() }
        #expect(byEnv == [
            "payments-prod/prod": ["appconfig://payments-prod@us-east-1/checkout/prod/flags"],
            "payments-prod/staging": ["appconfig://payments-prod@us-east-1/checkout/staging/native"],
            "payments-dev/checkout.prod": ["appconfig://payments-dev@us-east-1/checkout/prod/flags"],
            "payments-dev/search.prod": ["appconfig://payments-dev@us-east-1/search/prod/flags"],
            "payments-dev/search.qa-env": ["appconfig://payments-dev@us-east-1/search/qa%20env/flags"],
        ])
        #expect(sources.first { $0.uri.description.hasSuffix("/native") }?.format == .appConfigFeatureFlags)

        // The same on a second run.
        #expect(AppConfigDiscovery.sources(AppConfigDiscovery.discover(profiles: nil, regions: [], clients: w.accounts.pool)) == sources)
        // Every URI found reads back through the driver.
        for s in sources {
            guard case .appConfig(let loc) = s.uri else { continue }
            #expect(try AppConfigSource(location: loc, clients: w.accounts.pool).readServed().version == "1")
        }
    }

    @Test func anotherRegionQualifiesTheAccountAndABadProfileDoesNotStopTheOthers() throws {
        let accounts = try Accounts(["payments-prod"])
        let west = try accounts.pool.client(profile: "payments-prod", region: "eu-west-1")
        _ = try SeededAppConfig(west, app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let found = AppConfigDiscovery.discover(profiles: ["payments-prod", "ghost"], regions: ["eu-west-1", "us-east-1"],
                                                clients: accounts.pool)
        #expect(found.count == 4)
        let ghost = found.filter { $0.profile == "ghost" }
        #expect(ghost.count == 2 && ghost.allSatisfy { $0.error?.contains("ghost") == true })
        let sources = AppConfigDiscovery.sources(found)
        #expect(sources.map(\.env.description) == ["payments-prod.eu-west-1/prod"])
        #expect(sources.map(\.uri.description) == ["appconfig://payments-prod@eu-west-1/checkout/prod/flags"])
        let east = try #require(found.first { $0.profile == "payments-prod" && $0.region == "us-east-1" })
        #expect(east.error == nil && east.applications.isEmpty, "regions are separate")
        let json = AppConfigDiscovery.json(found).render()
        #expect(json.contains(#""env": "payments-prod.eu-west-1/prod""#))
    }

    @Test func namingRule() {
        typealias P = AppConfigNaming.Place
        func place(_ app: String, _ env: String, appId: String? = nil, envId: String? = nil, region: String = "eu-west-1") -> P {
            P(profile: "payments prod", region: region, homeRegion: "eu-west-1", applicationId: appId ?? app, application: app,
              environmentId: envId ?? env, environment: env)
        }
        let one = AppConfigNaming.names([place("checkout", "prod"), place("checkout", "staging")])
        #expect(Set(one.values.map(\.description)) == ["payments-prod/prod", "payments-prod/staging"])
        let two = AppConfigNaming.names([place("checkout", "prod"), place("Search API", "prod")])
        #expect(Set(two.values.map(\.description)) == ["payments-prod/checkout.prod", "payments-prod/Search-API.prod"])
        let clash = AppConfigNaming.names([place("checkout", "prod/eu", envId: "e1"), place("checkout", "prod eu", envId: "e2")])
        #expect(Set(clash.values.map(\.description)) == ["payments-prod/prod-eu-e1", "payments-prod/prod-eu-e2"])
        let away = AppConfigNaming.names([place("checkout", "prod", region: "us-east-1")])
        #expect(away.values.map(\.description) == ["payments-prod.us-east-1/prod"])
        #expect(AppConfigNaming.component("..") == "env-dot" && AppConfigNaming.component("旗") == "env")
        for id in one.values { #expect((try? EnvironmentID(parsing: id.description)) != nil) }
    }
}
