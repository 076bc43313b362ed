import FlagDeckAWSTestSupport
import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// Bad input to an AppConfig source gets a clear error naming what is wrong, exits
/// non-zero, and changes nothing: not the hosted versions, not the inventory.
@Suite("AppConfig bad input")
struct AppConfigBadInputTests {
    /// Runs a refused command and checks that nothing was recorded.
    func refused(_ fx: AppConfigCLIFixture, _ args: [String], saying words: [String]) throws {
        let events = try fx.history().count
        let r = try fx.run(args)
        #expect(r.status != 0, "`\(args.joined(separator: " "))` should fail: \(r.stdout)")
        for w in words { #expect(r.stderr.contains(w), "missing \(w) in: \(r.stderr)") }
        #expect(try fx.history().count == events, "nothing recorded by \(args.joined(separator: " "))")
    }

    @Test func unknownProfileMissingRegionAndMissingApplicationEnvironmentOrProfile() throws {
        let fx = try AppConfigCLIFixture(["payments-prod"], extraConfig: "[profile noregion]\n",
                                         extraCredentials: "[noregion]\naws_access_key_id = 123456789012\naws_secret_access_key = test\n")
        _ = try SeededAppConfig(try fx.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        try refused(fx, ["source", "add", "x/prod", fx.uri("payments-prdo", "checkout", "prod"), "--reason", "r"],
                    saying: ["payments-prdo"])
        try refused(fx, ["source", "add", "x/prod", "appconfig://noregion/checkout/prod/flags", "--reason", "r"],
                    saying: ["noregion", "region"])
        try refused(fx, ["source", "add", "x/prod", fx.uri("payments-prod", "chekout", "prod"), "--reason", "r"],
                    saying: ["chekout", "checkout"])
        try refused(fx, ["source", "add", "x/prod", fx.uri("payments-prod", "checkout", "prdo"), "--reason", "r"],
                    saying: ["prdo", "prod"])
        try refused(fx, ["source", "add", "x/prod", fx.uri("payments-prod", "checkout", "prod", "flgas"), "--reason", "r"],
                    saying: ["flgas", "flags"])
        #expect(try fx.bindings().isEmpty)
    }

    @Test func aHostedVersionThatIsNotJSONIsNeverOverwritten() throws {
        let fx = try AppConfigCLIFixture(["payments-prod"])
        let seeded = try SeededAppConfig(try fx.client("payments-prod"), app: "checkout", envs: ["prod"], document: AppConfigDocs.powertools)
        try fx.ok(["source", "add", "payments-prod/prod", fx.uri("payments-prod", "checkout", "prod"), "--reason", "bind"])
        _ = try seeded.upload("{\"checkout.new_flow\": {\"default\": tru")
        try refused(fx, ["kill", "checkout.new_flow", "--env", "payments-prod/prod", "--reason", "incident", "--yes"],
                    saying: ["cannot be parsed", "not changed"])
        #expect(try seeded.hostedVersions() == [1, 2], "the broken version was not built on")
        #expect(try fx.events("kill").isEmpty)
    }

    @Test func aDocumentOverTheHostedLimitIsRefused() throws {
        let fx = try AppConfigCLIFixture(["payments-prod"])
        // Exactly at the 2 MiB limit; the kill's `true` → `false` makes it one byte over.
        let limit = 2 * 1024 * 1024
        let body = "{\"checkout.new_flow\": {\"default\": true}}"
        let padded = body + String(repeating: " ", count: limit - body.utf8.count)
        let seeded = try SeededAppConfig(try fx.client("payments-prod"), app: "checkout", envs: ["prod"], document: padded)
        try fx.ok(["source", "add", "payments-prod/prod", fx.uri("payments-prod", "checkout", "prod"), "--format", "powertools",
                   "--reason", "bind"])
        let r = try fx.run(["kill", "checkout.new_flow", "--env", "payments-prod/prod", "--reason", "incident", "--yes"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("over the \(limit)-byte limit") && r.stderr.contains("nothing was written"), "\(r.stderr)")
        #expect(try seeded.hostedVersions() == [1])
        #expect(try fx.events("kill").isEmpty)
        #expect(try fx.events("push.failed").first != nil, "the attempt is recorded")
    }

    @Test func accessDeniedNamesTheProfileAndTheCallAndChangesNothing() throws {
        let m = try Ministack.shared(auth: true)
        let admin = AWSCLI(endpoint: m.endpoint)  // the `test` key is accepted unverified
        func user(_ policy: String) throws -> (String, String) {
            let name = "flagdeck-\(UUID().uuidString.prefix(8))"
            try admin.json(["iam", "create-user", "--user-name", name])
            try admin.json(["iam", "put-user-policy", "--user-name", name, "--policy-name", "p", "--policy-document", policy])
            let key = try admin.object(["iam", "create-access-key", "--user-name", name])["AccessKey"] as? [String: Any]
            return (key?["AccessKeyId"] as? String ?? "", key?["SecretAccessKey"] as? String ?? "")
        }
        let allowAll = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        let noCreate = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},"#
            + #"{"Effect":"Deny","Action":"appconfig:CreateHostedConfigurationVersion","Resource":"*"}]}"#
        let denied = try user(noCreate)
        let fx = try AppConfigCLIFixture(["owner", "payments-prod"], emulator: m,
                                         keys: ["owner": try user(allowAll), "payments-prod": denied])
        let app = "checkout-\(UUID().uuidString.prefix(6))"
        let seeded = try SeededAppConfig(try fx.client("owner"), app: app, envs: ["prod"], document: AppConfigDocs.powertools)
        try fx.ok(["source", "add", "payments-prod/prod", fx.uri("payments-prod", app, "prod"), "--reason", "bind"])
        let events = try fx.history().count
        let r = try fx.run(["kill", "search.beta", "--env", "payments-prod/prod", "--reason", "incident", "--yes"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("profile payments-prod") && r.stderr.contains("may not appconfig:CreateHostedConfigurationVersion")
                && r.stderr.contains("application \(app)"), "\(r.stderr)")
        #expect(r.stderr.contains("AccessDeniedException"))
        let log = try fx.ok(["history", "--json"]).stdout
        #expect(!r.stderr.contains(denied.1) && !log.contains(denied.1), "no secret")
        #expect(try seeded.hostedVersions() == [1])
        let added = try fx.history().prefix(try fx.history().count - events)
        #expect(added.map { $0["action"] as? String } == ["push.failed"], "only the attempt is recorded")
    }
}
