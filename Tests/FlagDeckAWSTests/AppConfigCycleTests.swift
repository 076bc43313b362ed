import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// The whole AppConfig path against ministack: create, upload, deploy, read back
/// through AppConfigData as an application would.
@Suite struct AppConfigCycleTests {
    @Test func freeformCycleFromUploadToAppConfigData() throws {
        let client = try Emulator.client()
        let ac = client.appConfig
        let app = try ac.createApplication(name: "checkout", description: "cycle test")
        let env = try ac.createEnvironment(application: app.id, name: "prod")
        let profile = try ac.createConfigurationProfile(application: app.id, name: "flags", type: .freeform)
        #expect(profile.type == .freeform)
        #expect(try ac.getConfigurationProfile(application: app.id, profile: profile.id).type == .freeform)

        let doc1 = Data(#"{"dark_mode":{"default":false}}"#.utf8)
        let v1 = try ac.createHostedConfigurationVersion(application: app.id, profile: profile.id, content: doc1,
                                                         contentType: "application/json", description: "first",
                                                         latestVersionNumber: nil)
        let doc2 = Data(#"{"dark_mode":{"default":true}, "é":"旗"}"#.utf8)
        let v2 = try ac.createHostedConfigurationVersion(application: app.id, profile: profile.id, content: doc2,
                                                         contentType: "application/json", description: "second",
                                                         latestVersionNumber: v1.versionNumber)
        #expect(v2.versionNumber == v1.versionNumber + 1)
        // A stale precondition must be refused. ministack 1.5.33 ignores the header (its
        // handler never reads it), so the refusal itself is tested against a loopback
        // server in ServiceAnswersTests; this known issue reports when ministack catches up.
        withKnownIssue("ministack 1.5.33 ignores Latest-Version-Number") {
            do {
                _ = try ac.createHostedConfigurationVersion(application: app.id, profile: profile.id, content: doc1,
                                                            contentType: "application/json", latestVersionNumber: v1.versionNumber)
                Issue.record("a stale Latest-Version-Number was accepted")
            } catch AWSError.versionConflict {
            }
        }
        let v3 = try #require(try ac.listHostedConfigurationVersions(application: app.id, profile: profile.id)
            .map(\.versionNumber).max())
        if v3 > v2.versionNumber {  // the stale upload went through: put v2's content back on top
            _ = try ac.createHostedConfigurationVersion(application: app.id, profile: profile.id, content: doc2,
                                                        contentType: "application/json", latestVersionNumber: v3)
        }
        let listed = try ac.listHostedConfigurationVersions(application: app.id, profile: profile.id)
        #expect(listed.map(\.versionNumber).sorted().prefix(2) == [v1.versionNumber, v2.versionNumber])
        let fetched = try ac.getHostedConfigurationVersion(application: app.id, profile: profile.id, version: v2.versionNumber)
        #expect(fetched.content == doc2)
        #expect(fetched.contentType == "application/json")
        #expect(fetched.versionNumber == v2.versionNumber)
        let latest = try #require(listed.map(\.versionNumber).max())

        let strategy = try ac.createDeploymentStrategy(.immediate(name: "flagdeck-immediate"))
        #expect(try ac.listDeploymentStrategies().contains { $0.id == strategy.id })
        let started = try ac.startDeployment(AppConfigStartDeploymentRequest(
            applicationId: app.id, environmentId: env.id, deploymentStrategyId: strategy.id,
            configurationProfileId: profile.id, configurationVersion: String(latest)))
        let finished = try Deadline.poll(10) { () -> AppConfigDeployment? in
            let d = try ac.getDeployment(application: app.id, environment: env.id, number: started.deploymentNumber)
            return d.state == .complete ? d : nil
        }
        #expect(finished?.percentageComplete == 100)
        #expect(try ac.listDeployments(application: app.id, environment: env.id).map(\.deploymentNumber)
                    .contains(started.deploymentNumber))

        // Names resolve to the same ids.
        let target = try ac.resolve(application: "checkout", environment: "prod", profile: "flags")
        #expect(target.application.id == app.id && target.environment.id == env.id && target.profile.id == profile.id)
        #expect(try ac.resolve(application: app.id, environment: env.id, profile: profile.id) == target)

        // An application reads it: first poll delivers, second says "unchanged".
        let session = AppConfigDataSession(client: client, application: app.id, environment: env.id, profile: profile.id)
        let first = try session.poll()
        #expect(first.changed && first.document == doc2)
        #expect(first.nextPollIntervalSeconds != nil)
        let second = try session.poll()
        #expect(!second.changed && second.document == doc2)
        #expect(session.document == doc2)

        // An application reading by names sees the same bytes.
        let byName = AppConfigDataSession(client: client, application: "checkout", environment: "prod", profile: "flags")
        #expect(try byName.poll().document == doc2)
    }

    @Test func featureFlagsProfileIsServedFlattened() throws {
        let client = try Emulator.client()
        let ac = client.appConfig
        let app = try ac.createApplication(name: "payments")
        let env = try ac.createEnvironment(application: app.id, name: "staging")
        let profile = try ac.createConfigurationProfile(application: app.id, name: "native", type: .featureFlags)
        #expect(try ac.listConfigurationProfiles(application: app.id).first?.type == .featureFlags)
        let doc = #"{"version":"1","flags":{"kill_switch":{"name":"kill_switch"},"limit":{"name":"limit","attributes":{"max":{"constraints":{"type":"number"}}}}},"values":{"kill_switch":{"enabled":false},"limit":{"enabled":true,"max":5}}}"#
        let v = try ac.createHostedConfigurationVersion(application: app.id, profile: profile.id, content: Data(doc.utf8),
                                                        contentType: "application/json")
        let strategy = try ac.createDeploymentStrategy(.immediate(name: "now"))
        let d = try ac.startDeployment(AppConfigStartDeploymentRequest(
            applicationId: app.id, environmentId: env.id, deploymentStrategyId: strategy.id,
            configurationProfileId: profile.id, configurationVersion: String(v.versionNumber)))
        #expect(Deadline.until(10) {
            (try? ac.getDeployment(application: app.id, environment: env.id, number: d.deploymentNumber).state) == .complete
        })
        let poll = try AppConfigDataSession(client: client, application: app.id, environment: env.id,
                                            profile: profile.id).poll()
        let flat = try JSONSerialization.jsonObject(with: poll.document) as? [String: Any]
        #expect((flat?["kill_switch"] as? [String: Any])?["enabled"] as? Bool == false)
        #expect((flat?["limit"] as? [String: Any])?["max"] as? Int == 5)
        #expect(flat?["flags"] == nil && flat?["values"] == nil)
    }

    @Test func stopDeploymentWhileBakingNeedsAllowRevertAndRollsBack() throws {
        let client = try Emulator.client()
        let ac = client.appConfig
        let app = try ac.createApplication(name: "search")
        let env = try ac.createEnvironment(application: app.id, name: "prod")
        let profile = try ac.createConfigurationProfile(application: app.id, name: "flags")
        let v = try ac.createHostedConfigurationVersion(application: app.id, profile: profile.id,
                                                        content: Data(#"{"a":1}"#.utf8), contentType: "application/json")
        let allAtOnce = try #require(try ac.listDeploymentStrategies().first { $0.name == "AppConfig.AllAtOnce" || $0.id == "AppConfig.AllAtOnce" })
        let d = try ac.startDeployment(AppConfigStartDeploymentRequest(
            applicationId: app.id, environmentId: env.id, deploymentStrategyId: allAtOnce.id,
            configurationProfileId: profile.id, configurationVersion: String(v.versionNumber)))
        #expect(Deadline.until(10) {
            (try? ac.getDeployment(application: app.id, environment: env.id, number: d.deploymentNumber).state) == .baking
        })
        #expect(throws: AWSError.self) {
            try ac.stopDeployment(application: app.id, environment: env.id, number: d.deploymentNumber)
        }
        let stopped = try ac.stopDeployment(application: app.id, environment: env.id, number: d.deploymentNumber,
                                            allowRevert: true)
        #expect(stopped.deploymentNumber == d.deploymentNumber)
        #expect(Deadline.until(10) {
            (try? ac.getDeployment(application: app.id, environment: env.id, number: d.deploymentNumber).state) == .rolledBack
        })
    }

    @Test func unknownNamesListWhatExists() throws {
        let client = try Emulator.client()
        let ac = client.appConfig
        let app = try ac.createApplication(name: "orders")
        _ = try ac.createEnvironment(application: app.id, name: "prod")
        let error = #expect(throws: AWSError.self) { try ac.resolve(application: "orders", environment: "prdo", profile: "x") }
        let text = error?.description ?? ""
        #expect(text.contains("no environment named or with id prdo"))
        #expect(text.contains("prod ("))
        #expect(text.contains("profile default") || text.contains("profile "))
        let noApp = #expect(throws: AWSError.self) { try ac.resolveApplication("nope") }
        #expect(noApp?.description.contains("orders (\(app.id))") == true)
    }

    @Test func descriptionMustBeASCIIBecauseItIsAHeader() throws {
        let client = try Emulator.client()
        let ac = client.appConfig
        let app = try ac.createApplication(name: "a")
        let profile = try ac.createConfigurationProfile(application: app.id, name: "p")
        let e = #expect(throws: AWSError.self) {
            try ac.createHostedConfigurationVersion(application: app.id, profile: profile.id, content: Data("{}".utf8),
                                                    contentType: "application/json", description: "déjà vu")
        }
        #expect(e?.description.contains("printable ASCII") == true)
        #expect(try ac.listHostedConfigurationVersions(application: app.id, profile: profile.id).isEmpty)
    }
}
