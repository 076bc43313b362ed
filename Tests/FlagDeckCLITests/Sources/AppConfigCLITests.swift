import FlagDeckAWSTestSupport
import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// AppConfig sources end to end through the real binary and the emulator, with the
/// application as the oracle: Powertools' own `AppConfigStore` reading each account and
/// environment through AppConfigData.
@Suite("AppConfig end to end")
struct AppConfigCLITests {
    static let flags = ["checkout.new_flow", "search.beta"]

    @Test func aKillReachesTheKilledAccountAndEnvironmentOnlyAndUnkillRestoresIt() throws {
        let fx = try AppConfigCLIFixture(["payments-prod", "payments-dev"])
        for p in ["payments-prod", "payments-dev"] {
            _ = try SeededAppConfig(try fx.client(p), app: "checkout", envs: ["prod", "staging"], document: AppConfigDocs.powertools)
        }
        // Discovery binds all four environments; a second run binds nothing new.
        let first = try fx.ok(["aws", "discover", "--profile", "payments-prod", "--profile", "payments-dev", "--bind"])
        #expect(first.stdout.components(separatedBy: "\nbound ").count - 1 == 4, "\(first.stdout)")
        let bound = try fx.bindings().compactMap { $0["env"] as? String }.sorted()
        #expect(bound == ["payments-dev/prod", "payments-dev/staging", "payments-prod/prod", "payments-prod/staging"])
        let adds = try fx.events("source.add").count
        let again = try fx.ok(["aws", "discover", "--profile", "payments-prod", "--profile", "payments-dev", "--bind"])
        #expect(again.stdout.components(separatedBy: "already bound ").count - 1 == 4, "\(again.stdout)")
        #expect(try fx.events("source.add").count == adds, "nothing new was bound")

        let targets = [fx.target("payments-prod", "checkout", "prod"), fx.target("payments-prod", "checkout", "staging"),
                       fx.target("payments-dev", "checkout", "prod"), fx.target("payments-dev", "checkout", "staging")]
        let before = try PowertoolsAppConfig.evaluate(fx.emulator, targets, flags: Self.flags)
        for t in before { #expect(t == [["true", "false"], ["true", "true"], ["true", "false"]]) }

        try fx.ok(["kill", "checkout.new_flow", "--env", "payments-prod/prod", "--reason", "incident 42", "--yes"])
        let after = try PowertoolsAppConfig.evaluate(fx.emulator, targets, flags: Self.flags)
        #expect(after[0] == [["false", "false"], ["false", "true"], ["false", "false"]], "killed in payments-prod/prod")
        #expect(Array(after[1...]) == Array(before[1...]), "every other application, other account included, as before")

        // The audit event says which hosted version and which deployment carried it.
        let kill = try #require(try fx.events("kill").first)
        let stamp = try #require(kill.sourceStamp)
        #expect(stamp["uri"] as? String == fx.uri("payments-prod", "checkout", "prod"))
        #expect(stamp["version"] as? String == "2")
        #expect(Int(stamp["deployment"] as? String ?? "") != nil, "\(stamp)")
        #expect(stamp["strategy"] as? String == "flagdeck-immediate")
        #expect(stamp["account"] as? String == fx.ids["payments-prod"])
        #expect(stamp["origin"] as? String == "flagdeck" && stamp["intent"] is String)

        try fx.ok(["unkill", "checkout.new_flow", "--env", "payments-prod/prod", "--reason", "fixed", "--yes"])
        #expect(try PowertoolsAppConfig.evaluate(fx.emulator, targets, flags: Self.flags) == before)
        let unkill = try #require(try fx.events("unkill").first?.sourceStamp)
        #expect(unkill["version"] as? String == "3")

        // What flagdeck wrote is what it last saw: a sync records nothing.
        let events = try fx.history().count
        try fx.ok(["sync"])
        #expect(try fx.history().count == events)
    }

    @Test func aFeatureFlagsProfileServesAKillAsEnabledFalse() throws {
        let fx = try AppConfigCLIFixture(["payments-prod"])
        _ = try SeededAppConfig(try fx.client("payments-prod"), app: "payments", envs: ["prod"], type: .featureFlags,
                                document: AppConfigDocs.featureFlags)
        let bind = try fx.ok(["source", "add", "payments-prod/prod", fx.uri("payments-prod", "payments", "prod"), "--reason", "bind"])
        #expect(bind.stdout.contains("(appconfig-feature-flags)"), "\(bind.stdout)")
        let target = [fx.target("payments-prod", "payments", "prod")]
        let before = try #require(try PowertoolsAppConfig.raw(fx.emulator, target).first)
        #expect((before["payments.instant"] as? [String: Any])?["enabled"] as? Bool == true)

        try fx.ok(["kill", "payments.instant", "--env", "payments-prod/prod", "--reason", "incident", "--yes"])
        let killed = try #require(try PowertoolsAppConfig.raw(fx.emulator, target).first)
        #expect((killed["payments.instant"] as? [String: Any])?["enabled"] as? Bool == false)
        #expect((killed["payments.limit"] as? [String: Any])?["max"] as? Int == 5, "the other flag as before")

        try fx.ok(["unkill", "payments.instant", "--env", "payments-prod/prod", "--reason", "fixed", "--yes"])
        let restored = try #require(try PowertoolsAppConfig.raw(fx.emulator, target).first)
        #expect(NSDictionary(dictionary: restored).isEqual(to: before))
    }

    /// Runs `args` paused between flagdeck's read and its write, lets `other` write, then lets it go.
    func racing(_ fx: AppConfigCLIFixture, _ args: [String], _ other: () throws -> Void) throws -> CLIResult {
        let prefix = fx.dir + "/pause-\(UUID().uuidString.prefix(6))"
        nonisolated(unsafe) var result: CLIResult?
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do { result = try fx.run(args, env: ["FLAGDECK_TEST_PAUSE_BEFORE_WRITE": prefix]) } catch { result = CLIResult(status: -1, stdout: "", stderr: "\(error)") }
            done.signal()
        }
        let paused = Deadline.until(30) { FileManager.default.fileExists(atPath: prefix + ".ready") || done.wait(timeout: .now()) == .success }
        if !FileManager.default.fileExists(atPath: prefix + ".ready") {
            Issue.record("flagdeck never reached its write: \(result.map { "exit \($0.status): \($0.stdout) \($0.stderr)" } ?? "still running")")
            return try #require(result)
        }
        #expect(paused)
        try other()
        FileManager.default.createFile(atPath: prefix + ".go", contents: Data())
        #expect(done.wait(timeout: .now() + 60) == .success)
        return try #require(result)
    }

    @Test func aConcurrentHostedVersionKeepsItsChangeUnderAKillAndStopsARollout() throws {
        let fx = try AppConfigCLIFixture(["payments-prod"])
        let seeded = try SeededAppConfig(try fx.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        try fx.ok(["source", "add", "payments-prod/prod", fx.uri("payments-prod", "checkout", "prod"), "--reason", "bind"])
        let other = AppConfigDocs.powertools.replacingOccurrences(of: "\"default\": false", with: "\"default\": false, \"owner\": \"search-team\"")
        let upload = fx.dir + "/other.json"
        FileManager.default.createFile(atPath: upload, contents: Data(other.utf8))
        let cli = fx.cli("payments-prod")
        let kill = try racing(fx, ["kill", "checkout.new_flow", "--env", "payments-prod/prod", "--reason", "incident", "--yes"]) {
            let r = try cli.run(["appconfig", "create-hosted-configuration-version", "--application-id", seeded.app.id,
                                 "--configuration-profile-id", seeded.profile.id, "--content-type", "application/json",
                                 "--content", "fileb://" + upload, fx.dir + "/out.bin"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(kill.status == 0, "\(kill.stderr)")
        #expect(try seeded.hostedVersions() == [1, 2, 3])
        let top = try CLIRunner.json(try seeded.hosted(3)) as! [String: [String: Any]]
        #expect(top["checkout.new_flow"]?["default"] as? Bool == false, "the kill is on top")
        #expect(top["search.beta"]?["owner"] as? String == "search-team", "the other writer's change is kept")
        #expect(try fx.events("kill").first?.sourceStamp?["version"] as? String == "3")

        // Sync takes in the other writer's change (an outside change to search.beta)…
        try fx.ok(["sync"])
        // …and a rollout racing a writer who changes the same flag again refuses with exit 2.
        let same = try seeded.hosted(3).replacingOccurrences(of: "\"owner\": \"search-team\"", with: "\"owner\": \"growth-team\"")
        FileManager.default.createFile(atPath: upload, contents: Data(same.utf8))
        let rollout = try racing(fx, ["rollout", "search.beta", "--env", "payments-prod/prod", "--percent", "100", "--reason", "ramp up"]) {
            let r = try cli.run(["appconfig", "create-hosted-configuration-version", "--application-id", seeded.app.id,
                                 "--configuration-profile-id", seeded.profile.id, "--content-type", "application/json",
                                 "--content", "fileb://" + upload, fx.dir + "/out.bin"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(rollout.status == 2, "exit \(rollout.status): \(rollout.stderr)")
        #expect(rollout.stderr.contains("search.beta") && rollout.stderr.contains("outside flagdeck"), "\(rollout.stderr)")
        #expect(try seeded.hostedVersions() == [1, 2, 3, 4], "nothing written over the other writer")
        #expect(try fx.events("rollout").isEmpty)
        // The other writer's version is hosted but not deployed: sync says so.
        let status = try CLIRunner.json(try fx.ok(["sync", "--json"]).stdout) as! [[String: Any]]
        #expect(status.first?["status"] as? String == "v4 staged, v3 deployed", "\(status)")
    }

    @Test func aKillStopsASlowDeploymentAndBothAreRecorded() throws {
        let fx = try AppConfigCLIFixture(["payments-prod"])
        let seeded = try SeededAppConfig(try fx.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        try fx.ok(["source", "add", "payments-prod/prod", fx.uri("payments-prod", "checkout", "prod"), "--reason", "bind"])
        // An ordinary change deploys with AppConfig.AllAtOnce, which bakes for ten minutes.
        let disable = try fx.ok(["disable", "checkout.new_flow", "--env", "payments-prod/prod", "--reason", "wind down"])
        let slow = try #require(try fx.events("disable").first?.sourceStamp, "\(disable.stdout) \(disable.stderr)")
        let slowNumber = try #require(Int(slow["deployment"] as? String ?? ""), "\(slow)")
        #expect(slow["strategy"] as? String == "AppConfig.AllAtOnce")
        #expect(!(try seeded.deployment("prod", slowNumber).state.isFinal), "still baking")

        try fx.ok(["kill", "search.beta", "--env", "payments-prod/prod", "--reason", "incident", "--yes"])
        let kill = try #require(try fx.events("kill").first?.sourceStamp)
        #expect(kill["stopped_deployment"] as? String == String(slowNumber), "\(kill)")
        #expect(kill["strategy"] as? String == "flagdeck-immediate")
        #expect(try seeded.deployment("prod", slowNumber).state == .rolledBack)
        let killNumber = try #require(Int(kill["deployment"] as? String ?? ""))
        #expect(try seeded.deployment("prod", killNumber).state == .complete)
        let served = try #require(try PowertoolsAppConfig.evaluate(fx.emulator, [fx.target("payments-prod", "checkout", "prod")],
                                                             flags: Self.flags).first)
        #expect(served == [["false", "false"], ["false", "false"], ["false", "false"]], "the kill is served, on top of the disable")
    }

    @Test func aCrashBetweenTheHostedVersionAndTheCommitIsRecordedAtTheNextOpen() throws {
        let fx = try AppConfigCLIFixture(["payments-prod"])
        let seeded = try SeededAppConfig(try fx.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        try fx.ok(["source", "add", "payments-prod/prod", fx.uri("payments-prod", "checkout", "prod"), "--reason", "bind"])
        let crashed = try fx.run(["kill", "checkout.new_flow", "--env", "payments-prod/prod", "--reason", "incident 7", "--yes"],
                                 env: ["FLAGDECK_TEST_CRASH_AT": "source-written"])
        #expect(crashed.status == 137, "\(crashed.stderr)")
        #expect(try seeded.hostedVersions() == [1, 2], "the hosted version exists")
        #expect(try fx.events("kill").isEmpty)

        let next = try fx.ok(["sync"])
        #expect(next.stderr.contains("settled an interrupted change: kill checkout.new_flow"), "\(next.stderr)")
        let kill = try #require(try fx.events("kill").first)
        #expect(kill["reason"] as? String == "incident 7")
        #expect(kill["operator"] as? String == CLIRunner.osUser)
        let stamp = try #require(kill.sourceStamp, "\(kill)")
        #expect(stamp["recovered"] as? Bool == true && stamp["version"] as? String == "2", "\(stamp)")
        #expect(stamp["deployment"] as? String != nil, "the deployment that carries it: \(stamp)")
        #expect(try fx.events("push.abandoned").isEmpty)
        // Recorded once: another open settles nothing.
        let again = try fx.ok(["sync"])
        #expect(!again.stderr.contains("settled"))
        #expect(try fx.events("kill").count == 1)
    }
}
