import FlagDeckAWS
import FlagDeckAWSTestSupport
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// ministack 1.5.33 returns the first 50 items of a list in creation order with no
/// NextToken; the driver must still see the newest version and deployment.
@Suite struct ListsAndStrategiesTests {
    @Test func theNewestVersionAndDeploymentAreFoundPastATruncatedList() throws {
        let accounts = try Accounts(["payments-prod"])
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let ac = seeded.client.appConfig
        var last = seeded.version
        for i in 0..<56 {
            last = try ac.createHostedConfigurationVersion(application: seeded.app.id, profile: seeded.profile.id,
                                                           content: Data(#"{"n\#(i)": {"default": true}}"#.utf8),
                                                           contentType: "application/json").versionNumber
            if i >= 4 { try seeded.deploy(last, to: "prod") }  // 52 deployments after the seed's
        }
        #expect(try ac.listHostedConfigurationVersions(application: seeded.app.id, profile: seeded.profile.id).count == 50,
                "the emulator still truncates (when this fails, it paginates now: keep the probe anyway)")
        let prod = try accounts.source("payments-prod", "checkout", "prod")
        #expect(try prod.readLatest().version == String(last))
        let served = try prod.readServedState()
        #expect(served.version == last && served.status == nil)
        #expect(served.deployment == 53)
        #expect(try prod.deploymentState()?.deploymentNumber == 53)
        // A write on top of the newest version works, and is seen the same way.
        let receipt = try prod.write(SourceWrite(bytes: Array(AppConfigDocs.powertools.utf8), baseVersion: String(last), intentID: "after-many",
                                                 description: "flagdeck", urgent: true))
        #expect(receipt.version == String(last + 1) && receipt.details["deployment"] == "54")
        #expect(try prod.findWrite(intentID: "after-many", after: String(last)) == String(last + 1))
        #expect(try accounts.source("payments-prod", "checkout", "prod").readServed().version == String(last + 1))
    }

    @Test func aKillUsesTheBindingsKillStrategyAndCreatesNone() throws {
        let accounts = try Accounts(["payments-prod"])
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let ac = seeded.client.appConfig
        let own = try ac.createDeploymentStrategy(.immediate(name: "team-kill"))
        let prod = try accounts.source("payments-prod", "checkout", "prod", options: .init(killStrategy: "team-kill"))
        #expect(prod.destination(urgent: true).contains("with team-kill"))
        let receipt = try prod.write(SourceWrite(bytes: try AppConfigDocs.killed(AppConfigDocs.powertools, "search.beta"), baseVersion: "1",
                                                 intentID: "k", description: "flagdeck kill", urgent: true))
        #expect(receipt.details["strategy"] == "team-kill" && receipt.details["strategy_id"] == own.id)
        #expect(try ac.listDeploymentStrategies().contains { $0.name == "flagdeck-immediate" } == false)
        #expect(try prod.deploymentState()?.strategy == "team-kill")
    }

    @Test func aRollbackByAppConfigShowsInTheStatusAndTheServedVersionGoesBack() throws {
        let accounts = try Accounts(["payments-prod"])
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let prod = try accounts.source("payments-prod", "checkout", "prod")
        let r = try prod.write(SourceWrite(bytes: try AppConfigDocs.killed(AppConfigDocs.powertools, "search.beta"), baseVersion: "1", intentID: "slow",
                                           description: "flagdeck kill", urgent: false))
        #expect(try prod.readServed().version == "2")
        let number = try #require(Int(r.details["deployment"] ?? ""))
        _ = try seeded.client.appConfig.stopDeployment(application: seeded.app.id, environment: seeded.envs["prod"]!.id,
                                                       number: number, allowRevert: true)
        let s = try prod.readServedState()
        #expect(s.version == 1 && s.bytes == Array(AppConfigDocs.powertools.utf8) && s.deployment == 1)
        #expect(s.status == "v2 rolled back by an operator (deployment #\(number)), v1 deployed")
        let state = try #require(try prod.deploymentState())
        #expect(state.phase == .rolledBack(by: "USER"))
        #expect(state.description == "deployment #\(number) of v2: rolled back by an operator")
    }
}
