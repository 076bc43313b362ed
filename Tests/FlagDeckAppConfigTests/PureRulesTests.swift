@testable import FlagDeckCore
import FlagDeckAWS
import Foundation
import Testing

/// The driver's pure rules: status wording, intent markers, the served form, options.
@Suite struct PureRulesTests {
    typealias S = AppConfigDeploymentStatus

    @Test func statusWording() {
        let complete = S(deploymentNumber: 7, configurationVersion: 14, phase: .complete)
        #expect(AppConfigStatusText.render(served: 14, latestHosted: 14, latestDeployment: complete) == nil)
        #expect(AppConfigStatusText.render(served: 14, latestHosted: 15, latestDeployment: complete) == "v15 staged, v14 deployed")
        let deploying = S(deploymentNumber: 8, configurationVersion: 15, phase: .deploying(percent: 40))
        #expect(AppConfigStatusText.render(served: 14, latestHosted: 15, latestDeployment: deploying) == "deploying v15 40 %, v14 deployed")
        #expect(AppConfigStatusText.render(served: 14, latestHosted: 16, latestDeployment: deploying)
                == "v16 staged, deploying v15 40 %, v14 deployed")
        let baking = S(deploymentNumber: 8, configurationVersion: 15, phase: .baking)
        #expect(AppConfigStatusText.render(served: 15, latestHosted: 15, latestDeployment: baking) == "v15 deployed, baking (deployment #8)")
        let alarm = S(deploymentNumber: 8, configurationVersion: 15, phase: .rolledBack(by: "CLOUDWATCH_ALARM"))
        #expect(AppConfigStatusText.render(served: 14, latestHosted: 15, latestDeployment: alarm)
                == "v15 rolled back by alarm (deployment #8), v14 deployed")
        #expect(S.Phase.deploying(percent: 12.5).text == "deploying 12.5 %")
        #expect(S.Phase(state: .rolledBack, percent: nil, triggeredBy: "INTERNAL_ERROR") == .failed("AppConfig internal error"))
        #expect(S.Phase(state: .validating, percent: nil, triggeredBy: nil).isInProgress)
        #expect(!S.Phase.complete.isInProgress && S.Phase.baking.isInProgress && S.Phase.rollingBack.isInProgress)
    }

    @Test func intentMarkers() {
        let id = "0f8fad5b-d9cb-469f-a165-70867728950e"
        #expect(AppConfigIntentMarker.versionLabel(intentID: id, urgent: true) == "flagdeck-kill-" + id)
        #expect(AppConfigIntentMarker.versionLabel(intentID: id, urgent: false) == "flagdeck-" + id)
        #expect(AppConfigIntentMarker.versionLabel(intentID: String(repeating: "x", count: 60), urgent: false) == nil)
        #expect(AppConfigIntentMarker.intent(fromLabel: "flagdeck-kill-" + id)?.id == id)
        #expect(AppConfigIntentMarker.intent(fromLabel: "flagdeck-kill-" + id)?.urgent == true)
        #expect(AppConfigIntentMarker.intent(fromLabel: "flagdeck-" + id)?.urgent == false)
        #expect(AppConfigIntentMarker.intent(fromLabel: "v2.2.0") == nil)
        #expect(AppConfigIntentMarker.carries(id, label: nil, description: "flagdeck kill a by b: c (intent \(id))"))
        #expect(!AppConfigIntentMarker.carries(id, label: "flagdeck-other", description: ""))

        let d = AppConfigIntentMarker.description("flagdeck kill checkout.v2 by élodie: 旗 down", intentID: id)
        #expect(d == "flagdeck kill checkout.v2 by \\u00e9lodie: \\u65d7 down (intent \(id))")
        #expect(d.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) })
        let long = AppConfigIntentMarker.description("flagdeck kill x by y: " + String(repeating: "r", count: 2000) + " (intent \(id))",
                                                     intentID: id)
        #expect(long.count <= 1024 && long.hasSuffix("(intent \(id))") && long.contains("... "))
        let longNoIntent = AppConfigIntentMarker.description(String(repeating: "r", count: 2000), intentID: id)
        #expect(longNoIntent.count <= 1024 && longNoIntent.hasSuffix("... (intent \(id))"))
    }

    @Test func servedFormMatching() {
        let hosted = Data(#"{"version":"1","flags":{"a":{"name":"a"},"b":{"name":"b"}},"values":{"a":{"enabled":true,"max":5},"b":{"enabled":false}}}"#.utf8)
        #expect(AppConfigServedForm.matches(served: Data(#"{"a":{"enabled":true,"max":5},"b":{"enabled":false}}"#.utf8), hosted: hosted, featureFlags: true))
        #expect(AppConfigServedForm.matches(served: Data(#"{"a":{"max":5,"enabled":true}}"#.utf8), hosted: hosted, featureFlags: true),
                "a disabled flag may be left out")
        #expect(!AppConfigServedForm.matches(served: Data(#"{"a":{"enabled":false},"b":{"enabled":false}}"#.utf8), hosted: hosted, featureFlags: true))
        #expect(!AppConfigServedForm.matches(served: Data(#"{"a":{"enabled":true,"max":6}}"#.utf8), hosted: hosted, featureFlags: true))
        #expect(!AppConfigServedForm.matches(served: Data(#"{"a":{"enabled":true,"max":5},"c":{"enabled":true}}"#.utf8), hosted: hosted, featureFlags: true))
        #expect(!AppConfigServedForm.matches(served: Data("{ }".utf8), hosted: Data("{}".utf8), featureFlags: false), "freeform: byte for byte")
    }

    @Test func optionsRoundTrip() throws {
        #expect(try AppConfigBindingOptions(options: [:]) == AppConfigBindingOptions())
        let o = try AppConfigBindingOptions(options: ["strategy": "AppConfig.Linear50PercentEvery30Seconds", "kill_strategy": "team-kill",
                                                      "format": "powertools"])
        #expect(o.strategy == "AppConfig.Linear50PercentEvery30Seconds" && o.killStrategyName == "team-kill")
        #expect(o.options == ["strategy": "AppConfig.Linear50PercentEvery30Seconds", "kill_strategy": "team-kill"])
        #expect(AppConfigBindingOptions().killStrategyName == "flagdeck-immediate")
        #expect(throws: SourceError.self) { try AppConfigBindingOptions(options: ["kill_strategy": ""]) }
    }
}
