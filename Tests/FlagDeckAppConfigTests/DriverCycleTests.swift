import FlagDeckAWS
import FlagDeckAWSTestSupport
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// The driver's whole cycle against ministack: read what is served and what is hosted,
/// write with the precondition and deploy, kill at once.
@Suite struct DriverCycleTests {
    @Test func readWriteDeployAndKill() throws {
        let accounts = try Accounts()
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod", "staging"],
                                document: AppConfigDocs.powertools)
        let prod = try accounts.source("payments-prod", "checkout", "prod")

        let served = try prod.readServed()
        #expect(served.bytes == Array(AppConfigDocs.powertools.utf8))
        #expect(served.version == "1")
        #expect(served.status == nil)
        let latest = try prod.readLatest()
        #expect(latest.bytes == Array(AppConfigDocs.powertools.utf8) && latest.version == "1")
        #expect(try prod.readServed() == served, "an unchanged poll (empty body) still reads the document")

        // An ordinary change: AppConfig.AllAtOnce, which bakes for 10 minutes.
        let changed = AppConfigDocs.powertools.replacingOccurrences(of: #""default": true"#, with: #""default": false"#)
        let receipt = try prod.write(SourceWrite(bytes: Array(changed.utf8), baseVersion: "1", intentID: "intent-ordinary-1",
                                                 description: "flagdeck disable checkout.new_flow by alice: test (intent intent-ordinary-1)",
                                                 urgent: false))
        #expect(receipt.version == "2")
        #expect(receipt.details["strategy"] == "AppConfig.AllAtOnce")
        #expect(receipt.details["stopped_deployment"] == nil)
        let deployment = try #require(receipt.details["deployment"].flatMap(Int.init))
        let afterChange = try prod.readServedState()
        #expect(afterChange.bytes == Array(changed.utf8) && afterChange.version == 2 && afterChange.deployment == deployment)
        #expect(afterChange.status == "v2 deployed, baking (deployment #\(deployment))")
        let baking = try #require(try prod.deploymentState())
        #expect(baking.phase == .baking && baking.strategy == "AppConfig.AllAtOnce" && baking.configurationVersion == 2)
        let hosted = try seeded.client.appConfig.getHostedConfigurationVersion(application: seeded.app.id,
                                                                               profile: seeded.profile.id, version: 2)
        #expect(hosted.versionLabel == "flagdeck-intent-ordinary-1", "the intent travels in the label")

        // The other environment was not touched.
        let staging = try accounts.source("payments-prod", "checkout", "staging")
        #expect(try staging.readServed().version == "1")
        #expect(try staging.readServed().status == "v2 staged, v1 deployed")

        // A kill while that deployment bakes: it is stopped (Allow-Revert), the kill deployed at once.
        let kill = try prod.write(SourceWrite(bytes: try AppConfigDocs.killed(changed, "search.beta"), baseVersion: "2",
                                              intentID: "intent-kill-1", description: "flagdeck kill search.beta by alice: incident",
                                              urgent: true))
        #expect(kill.version == "3")
        #expect(kill.details["strategy"] == "flagdeck-immediate")
        #expect(kill.details["stopped_deployment"] == String(deployment))
        #expect(kill.details["stopped_state"] == "baking")
        let killDeployment = try #require(kill.details["deployment"].flatMap(Int.init))
        #expect(killDeployment == deployment + 1)
        let ac = seeded.client.appConfig
        #expect(try ac.getDeployment(application: seeded.app.id, environment: seeded.envs["prod"]!.id, number: deployment).state == .rolledBack)
        let strategy = try #require(try ac.listDeploymentStrategies().first { $0.name == "flagdeck-immediate" })
        #expect(strategy.deploymentDurationInMinutes == 0 && strategy.finalBakeTimeInMinutes == 0 && strategy.growthFactor == 100)
        let afterKill = try prod.readServedState()
        #expect(afterKill.bytes == (try AppConfigDocs.killed(changed, "search.beta")))
        #expect(afterKill.version == 3 && afterKill.deployment == killDeployment && afterKill.status == nil)
        #expect(try prod.deploymentState()?.phase == .complete)

        // The description names the action, the operator, the reason and the intent, in ASCII.
        let listed = try ac.listHostedConfigurationVersions(application: seeded.app.id, profile: seeded.profile.id)
        #expect(listed.map(\.versionNumber).sorted() == [1, 2, 3])
        #expect(try ac.getHostedConfigurationVersion(application: seeded.app.id, profile: seeded.profile.id, version: 3)
            .versionLabel == "flagdeck-kill-intent-kill-1")

        // A second kill uses the strategy it created, not a new one.
        _ = try prod.write(SourceWrite(bytes: try AppConfigDocs.killed(changed, "checkout.new_flow"), baseVersion: "3", intentID: "intent-kill-2",
                                       description: "flagdeck kill checkout.new_flow by alice", urgent: true))
        #expect(try ac.listDeploymentStrategies().filter { $0.name == "flagdeck-immediate" }.count == 1)
        #expect(prod.destination(urgent: true).contains("with flagdeck-immediate, stopping any deployment in progress"))
        #expect(prod.destination(urgent: false).contains("with AppConfig.AllAtOnce"))
    }

    @Test func aStaleBaseIsChangedSinceAndNothingIsWritten() throws {
        let accounts = try Accounts()
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let prod = try accounts.source("payments-prod", "checkout", "prod")
        let base = try prod.readLatest()
        // The other writer, between read and write.
        try accounts.cli("payments-prod").json(["appconfig", "create-hosted-configuration-version", "--application-id", seeded.app.id,
                                               "--configuration-profile-id", seeded.profile.id, "--content-type", "application/json",
                                               "--content", #"{"other": {"default": true}}"#,
                                               "/dev/null"])
        let e = #expect(throws: SourceError.self) {
            try prod.write(SourceWrite(bytes: try AppConfigDocs.killed(AppConfigDocs.powertools, "search.beta"), baseVersion: base.version,
                                       intentID: "i-stale", description: "flagdeck kill search.beta by bob", urgent: true))
        }
        #expect(e == .changedSince(source: prod.uri.description, expected: "1", found: "2"))
        #expect(e?.exitCode == 2)
        #expect(try seeded.hostedVersions() == [1, 2])
        #expect(try prod.readServed().version == "1")
    }

    /// The other writer acts exactly between flagdeck's last check and its create. AWS
    /// refuses the create (precondition); ministack ignores the precondition, so flagdeck
    /// sees the number it got back, takes its version back, and reports the conflict.
    @Test func aWriterBetweenTheCheckAndTheCreateIsCaughtEitherWay() throws {
        let accounts = try Accounts()
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let cli = accounts.cli("payments-prod")
        let other = #"{"other": {"default": true}}"#
        let prod = try accounts.source("payments-prod", "checkout", "prod", hooks: .init(beforeCreate: {
            try cli.json(["appconfig", "create-hosted-configuration-version", "--application-id", seeded.app.id,
                          "--configuration-profile-id", seeded.profile.id, "--content-type", "application/json",
                          "--content", other, "/dev/null"])
        }))
        let base = try prod.readLatest()
        let e = #expect(throws: SourceError.self) {
            try prod.write(SourceWrite(bytes: try AppConfigDocs.killed(AppConfigDocs.powertools, "search.beta"), baseVersion: base.version,
                                       intentID: "i-race", description: "flagdeck kill search.beta by bob", urgent: true))
        }
        #expect(e == .changedSince(source: prod.uri.description, expected: "1", found: "2"))
        #expect(try seeded.hostedVersions() == [1, 2], "flagdeck's version made on top of the other one was taken back")
        let latest = try prod.readLatest()
        #expect(latest.version == "2" && latest.bytes == Array(other.utf8))
        #expect(try prod.readServed().version == "1", "nothing was deployed")
        #expect(try prod.findWrite(intentID: "i-race", after: "1") == nil)
    }

    @Test func anOrdinaryChangeWaitsForADeploymentInProgress() throws {
        let accounts = try Accounts()
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let prod = try accounts.source("payments-prod", "checkout", "prod")
        let first = try prod.write(SourceWrite(bytes: Array(AppConfigDocs.powertools.replacingOccurrences(of: "true}", with: "false}").utf8),
                                               baseVersion: "1", intentID: "i-1", description: "flagdeck disable", urgent: false))
        #expect(first.version == "2")
        let e = #expect(throws: SourceError.self) {
            try prod.write(SourceWrite(bytes: Array(AppConfigDocs.powertools.utf8), baseVersion: "2", intentID: "i-2",
                                       description: "flagdeck enable", urgent: false))
        }
        #expect(e?.text.contains("deployment #\(first.details["deployment"]!) (v2) is baking") == true)
        #expect(e?.text.contains("nothing was written") == true)
        #expect(try seeded.hostedVersions() == [1, 2])
    }

    @Test func aVersionStagedOutsideFlagdeckShowsInTheStatus() throws {
        let accounts = try Accounts()
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        _ = try seeded.client.appConfig.createHostedConfigurationVersion(application: seeded.app.id, profile: seeded.profile.id,
                                                                         content: Data("{}".utf8), contentType: "application/json")
        let prod = try accounts.source("payments-prod", "checkout", "prod")
        let s = try prod.readServedState()
        #expect(s.version == 1 && s.latestHosted == 2)
        #expect(s.status == "v2 staged, v1 deployed")
        #expect(try prod.readLatest().version == "2")
    }
}
