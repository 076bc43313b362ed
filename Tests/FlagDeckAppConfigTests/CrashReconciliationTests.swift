import FlagDeckAWS
import FlagDeckAWSTestSupport
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// A crash between CreateHostedConfigurationVersion and the local commit leaves a version
/// that carries the intent; the next open finds it and finishes the push.
@Suite struct CrashReconciliationTests {
    struct Crash: Error {}

    @Test func aVersionCreatedJustBeforeACrashIsFoundAndDeployed() throws {
        let accounts = try Accounts()
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let crashing = try accounts.source("payments-prod", "checkout", "prod", hooks: .init(afterCreate: { _ in throw Crash() }))
        let base = try crashing.readLatest()
        let intent = UUID().uuidString.lowercased()
        let killed = try AppConfigDocs.killed(AppConfigDocs.powertools, "checkout.new_flow")
        #expect(throws: SourceError.self) {
            try crashing.write(SourceWrite(bytes: killed, baseVersion: base.version, intentID: intent,
                                           description: "flagdeck kill checkout.new_flow by alice: crash test (intent \(intent))",
                                           urgent: true))
        }
        #expect(try seeded.hostedVersions() == [1, 2], "the version exists")
        #expect(try crashing.readServedState().status == "v2 staged, v1 deployed", "but was not deployed")

        // The next open: a new driver, as a new process would have.
        let reopened = try accounts.source("payments-prod", "checkout", "prod")
        #expect(try reopened.findWrite(intentID: "someone-else", after: "1") == nil)
        #expect(try reopened.findWrite(intentID: intent, after: "2") == nil, "only versions after the base count")
        #expect(try reopened.findWrite(intentID: intent, after: "1") == "2")
        let recovery = try #require(reopened.lastRecovery)
        #expect(recovery.details["recovered"] == "true")
        #expect(recovery.details["strategy"] == "flagdeck-immediate", "a kill is finished as a kill")
        let served = try reopened.readServedState()
        #expect(served.version == 2 && served.bytes == killed && served.status == nil)
        // Finding it again deploys nothing more.
        let deployments = try seeded.client.appConfig.listDeployments(application: seeded.app.id, environment: seeded.envs["prod"]!.id)
        #expect(try reopened.findWrite(intentID: intent, after: "1") == "2")
        #expect(try seeded.client.appConfig.listDeployments(application: seeded.app.id, environment: seeded.envs["prod"]!.id).count
                == deployments.count)
    }

    @Test func aVersionSupersededBeforeItWasDeployedIsNotAWrite() throws {
        let accounts = try Accounts()
        let seeded = try SeededAppConfig(try accounts.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        let crashing = try accounts.source("payments-prod", "checkout", "prod", hooks: .init(afterCreate: { _ in throw Crash() }))
        _ = try? crashing.write(SourceWrite(bytes: Array(#"{"a": {"default": true}}"#.utf8), baseVersion: "1", intentID: "lost",
                                            description: "flagdeck enable a by alice", urgent: false))
        _ = try seeded.client.appConfig.createHostedConfigurationVersion(application: seeded.app.id, profile: seeded.profile.id,
                                                                         content: Data(AppConfigDocs.powertools.utf8), contentType: "application/json")
        let reopened = try accounts.source("payments-prod", "checkout", "prod")
        #expect(try reopened.findWrite(intentID: "lost", after: "1") == nil)
        #expect(reopened.lastRecovery == nil)
        #expect(try reopened.readServed().version == "1")
    }
}
