import FlagDeckAWS
import FlagDeckAWSTestSupport
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// Every refusal names the profile, the resource or the limit, and changes nothing.
@Suite struct BadInputTests {
    @Test func anUnknownProfileListsTheKnownOnes() throws {
        let accounts = try Accounts(["payments-prod"])
        let e = #expect(throws: SourceError.self) { try accounts.source("payments-prdo", "checkout", "prod") }
        let text = e?.text ?? ""
        #expect(text.hasPrefix("appconfig://payments-prdo@us-east-1/checkout/prod/flags: "))
        #expect(text.contains("payments-prdo") && text.contains("payments-prod"), "\(text)")
    }

    @Test func aMissingRegionNamesTheProfile() throws {
        let accounts = try Accounts(["payments-prod"], extraConfig: "[profile noregion]\n", extraCredentials: "[noregion]\naws_access_key_id = 1\naws_secret_access_key = x\n")
        let e = #expect(throws: SourceError.self) {
            try AppConfigSource(location: .init(profile: "noregion", region: nil, application: "a", environment: "e",
                                                configurationProfile: "p"), clients: accounts.pool)
        }
        #expect(e?.text.contains("noregion") == true)
        #expect(e?.text.lowercased().contains("region") == true)
    }

    @Test func missingApplicationEnvironmentOrProfileListsWhatExists() throws {
        let accounts = try Accounts(["payments-prod"])
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod", "staging"], document: AppConfigDocs.powertools)
        let noApp = #expect(throws: SourceError.self) { try accounts.source("payments-prod", "chekout", "prod").readServed() }
        #expect(noApp?.text.contains("no application named or with id chekout") == true)
        #expect(noApp?.text.contains("checkout (\(seeded.app.id))") == true, "\(noApp?.text ?? "")")
        let noEnv = #expect(throws: SourceError.self) { try accounts.source("payments-prod", "checkout", "prdo").readLatest() }
        #expect(noEnv?.text.contains("no environment named or with id prdo in application checkout") == true)
        #expect(noEnv?.text.contains("prod (\(seeded.envs["prod"]!.id))") == true && noEnv?.text.contains("staging (") == true)
        let noProfile = #expect(throws: SourceError.self) { try accounts.source("payments-prod", "checkout", "prod", "flgas").readServed() }
        #expect(noProfile?.text.contains("no configuration profile named or with id flgas") == true)
        #expect(noProfile?.text.contains("flags (\(seeded.profile.id))") == true)
        // Ids work as well as names.
        let byId = try accounts.source("payments-prod", seeded.app.id, seeded.envs["prod"]!.id, seeded.profile.id)
        #expect(try byId.readServed().version == "1")
    }

    @Test func nothingDeployedYetIsSaid() throws {
        let accounts = try Accounts(["payments-prod"])
        _ = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools, deploy: false)
        let e = #expect(throws: SourceError.self) { try accounts.source("payments-prod", "checkout", "prod").readServed() }
        #expect(e?.text.contains("nothing is deployed to environment prod of application checkout") == true)
        #expect(e?.text.contains("latest hosted version 1") == true)
    }

    @Test func aHostedVersionThatIsNotJSONIsNeverOverwrittenBlindly() throws {
        let accounts = try Accounts(["payments-prod"])
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        _ = try seeded.client.appConfig.createHostedConfigurationVersion(application: seeded.app.id, profile: seeded.profile.id,
                                                                         content: Data(#"{"half": "#.utf8), contentType: "application/json")
        let prod = try accounts.source("payments-prod", "checkout", "prod")
        let latest = try prod.readLatest()
        #expect(latest.version == "2")
        let e = #expect(throws: SourceError.self) {
            try prod.write(SourceWrite(bytes: try AppConfigDocs.killed(AppConfigDocs.powertools, "search.beta"), baseVersion: "2", intentID: "i",
                                       description: "flagdeck kill search.beta", urgent: true))
        }
        guard case .unparseable(_, let detail)? = e else { Issue.record("expected unparseable, got \(String(describing: e))"); return }
        #expect(detail.contains("hosted version 2"))
        #expect(e?.text.contains("it was not changed") == true)
        #expect(try seeded.hostedVersions() == [1, 2])
    }

    @Test func aDocumentOverTheHostedLimitIsRefusedBeforeAnythingIsSent() throws {
        let accounts = try Accounts(["payments-prod"])
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let prod = try accounts.source("payments-prod", "checkout", "prod")
        let big = "{\"k\": \"" + String(repeating: "x", count: AppConfigBindingOptions.hostedLimitBytes) + "\"}"
        let e = #expect(throws: SourceError.self) {
            try prod.write(SourceWrite(bytes: Array(big.utf8), baseVersion: "1", intentID: "i", description: "flagdeck", urgent: true))
        }
        #expect(e?.text.contains("\(big.utf8.count) bytes, over the \(AppConfigBindingOptions.hostedLimitBytes)-byte limit") == true)
        #expect(try seeded.hostedVersions() == [1])
        // A binding whose account has a raised quota says so.
        let raised = try accounts.source("payments-prod", "checkout", "prod", options: .init(maxBytes: 4 * 1024 * 1024))
        #expect(raised.options.options == ["max_bytes": "4194304"])
    }

    @Test func notJSONIsNotUploaded() throws {
        let accounts = try Accounts(["payments-prod"])
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let prod = try accounts.source("payments-prod", "checkout", "prod")
        let e = #expect(throws: SourceError.self) {
            try prod.write(SourceWrite(bytes: Array("{nope".utf8), baseVersion: "1", intentID: "i", description: "x", urgent: false))
        }
        #expect(e?.text.contains("not valid JSON") == true)
        #expect(try seeded.hostedVersions() == [1])
    }

    @Test func anUnknownStrategyListsTheStrategies() throws {
        let accounts = try Accounts(["payments-prod"])
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let prod = try accounts.source("payments-prod", "checkout", "prod", options: .init(strategy: "Linear-typo"))
        let e = #expect(throws: SourceError.self) {
            try prod.write(SourceWrite(bytes: Array(AppConfigDocs.powertools.utf8), baseVersion: "1", intentID: "i", description: "x", urgent: false))
        }
        #expect(e?.text.contains("no deployment strategy named or with id Linear-typo") == true)
        #expect(e?.text.contains("AppConfig.AllAtOnce") == true)
        #expect(try seeded.hostedVersions() == [1])
        let badOption = #expect(throws: SourceError.self) { try AppConfigBindingOptions(options: ["max_bytes": "lots"]) }
        #expect(badOption?.text.contains("max_bytes") == true)
    }
}
