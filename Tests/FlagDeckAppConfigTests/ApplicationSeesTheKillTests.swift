import FlagDeckAWS
import FlagDeckAWSTestSupport
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// The oracle is the application: Powertools' own `AppConfigStore` (boto3 AppConfigData,
/// `max_age=0`) evaluating the flags in every account and environment.
@Suite struct ApplicationSeesTheKillTests {
    @Test func aKillTurnsTheFlagOffWhereItWasKilledAndNowhereElse() throws {
        let accounts = try Accounts(["payments-prod", "payments-dev"])
        for profile in ["payments-prod", "payments-dev"] {
            _ = try SeededAppConfig(try accounts.client(profile), app: "checkout", envs: ["prod", "staging"], document: AppConfigDocs.powertools)
        }
        let targets = [accounts.target("payments-prod", "checkout", "prod"), accounts.target("payments-prod", "checkout", "staging"),
                       accounts.target("payments-dev", "checkout", "prod"), accounts.target("payments-dev", "checkout", "staging")]
        let flags = ["checkout.new_flow", "search.beta"]
        let before = try PowertoolsAppConfig.evaluate(accounts.emulator, targets, flags: flags)
        // Every application sees the seed: new_flow on for all, beta on for beta users.
        for t in before { #expect(t == [["true", "false"], ["true", "true"], ["true", "false"]]) }

        let prod = try accounts.source("payments-prod", "checkout", "prod")
        let latest = try prod.readLatest()
        let receipt = try prod.write(SourceWrite(bytes: try AppConfigDocs.killed(String(decoding: latest.bytes, as: UTF8.self), "checkout.new_flow"),
                                                 baseVersion: latest.version, intentID: "kill-across-accounts",
                                                 description: "flagdeck kill checkout.new_flow by alice: incident 42", urgent: true))
        #expect(receipt.details["strategy"] == "flagdeck-immediate")
        #expect(receipt.details["account"] == accounts.id("payments-prod"))

        let after = try PowertoolsAppConfig.evaluate(accounts.emulator, targets, flags: flags)
        #expect(after[0] == [["false", "false"], ["false", "true"], ["false", "false"]], "killed in payments-prod/prod only")
        #expect(after[1] == before[1] && after[2] == before[2] && after[3] == before[3], "every other application as before")

        // Unkill: the pre-kill bytes on top of the kill.
        let killed = try prod.readLatest()
        _ = try prod.write(SourceWrite(bytes: latest.bytes, baseVersion: killed.version, intentID: "unkill-across-accounts",
                                       description: "flagdeck unkill checkout.new_flow by alice", urgent: false))
        let restored = try PowertoolsAppConfig.evaluate(accounts.emulator, targets, flags: flags)
        #expect(restored == before)
    }

    @Test func aFeatureFlagsProfileIsServedDisabledAfterAKillShapedWriteAndRestoredAfter() throws {
        let accounts = try Accounts(["payments-prod", "payments-dev"])
        for profile in ["payments-prod", "payments-dev"] {
            _ = try SeededAppConfig(try accounts.client(profile), app: "payments", envs: ["prod"], profile: "native", type: .featureFlags,
                           document: AppConfigDocs.featureFlags)
        }
        let source = try accounts.source("payments-prod", "payments", "prod", "native")
        #expect(try source.resolvedTarget().isFeatureFlags)
        let served = try JSONSerialization.jsonObject(with: Data(try source.readServed().bytes)) as? [String: Any]
        #expect((served?["payments.instant"] as? [String: Any])?["enabled"] as? Bool == true)
        #expect(served?["values"] == nil, "served flattened")

        let latest = try source.readLatest()
        #expect(latest.bytes == Array(AppConfigDocs.featureFlags.utf8), "the hosted form, to change on top of")
        let killedBytes = try AppConfigDocs.killed(AppConfigDocs.featureFlags, "payments.instant", format: .appConfigFeatureFlags)
        let receipt = try source.write(SourceWrite(bytes: killedBytes, baseVersion: latest.version, intentID: "ff-kill",
                                                   description: "flagdeck kill payments.instant by alice", urgent: true))
        let state = try source.readServedState()
        #expect(state.version == Int(receipt.version), "the flattened served form is matched to its hosted version")
        let targets = [accounts.target("payments-prod", "payments", "prod", "native"),
                       accounts.target("payments-dev", "payments", "prod", "native")]
        let apps = try PowertoolsAppConfig.raw(accounts.emulator, targets)
        #expect((apps[0]["payments.instant"] as? [String: Any])?["enabled"] as? Bool == false)
        #expect((apps[0]["payments.limit"] as? [String: Any])?["max"] as? Int == 5, "the other flag untouched")
        #expect((apps[1]["payments.instant"] as? [String: Any])?["enabled"] as? Bool == true, "the other account untouched")

        _ = try source.write(SourceWrite(bytes: latest.bytes, baseVersion: receipt.version, intentID: "ff-unkill",
                                         description: "flagdeck unkill payments.instant by alice", urgent: true))
        let back = try PowertoolsAppConfig.raw(accounts.emulator, [targets[0]])
        #expect((back[0]["payments.instant"] as? [String: Any])?["enabled"] as? Bool == true)
    }
}
