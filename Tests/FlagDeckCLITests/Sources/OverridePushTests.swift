import FlagDeckTestSupport
import Foundation
import Testing

/// An override set in a bound environment changes what the application serves, so it must
/// reach the document like a kill does; a format with nowhere to put it refuses it and
/// writes nothing anywhere.
@Suite("Overrides reach the bound document")
struct OverridePushTests {
    @Test func powertoolsServesTheOverrideAndItsRemoval() throws {
        let fx = try SourceFixture(document: ApplicationsSeeTheKillTests.powertools, format: "powertools")
        let ctx = SourceFixture.contexts()
        let before = try Consumers.powertools(document: fx.doc, contexts: ctx)
        #expect(before.values("premium_features")[6] == "false", "user 6 is a basic-tier user")

        try fx.ok(["override", "set", "premium_features", "--env", fx.env, "--key", "user_id", "--equals", "6",
                   "--serve", "true", "--reason", "support ticket"])
        let during = try Consumers.powertools(document: fx.doc, contexts: ctx)
        let values = during.values("premium_features")
        #expect(values[6] == "true", "the application serves the override")
        for (i, v) in values.enumerated() where i != 6 { #expect(v == before.values("premium_features")[i], "context \(i) changed") }
        for f in ["checkout", "internal_tools", "search_v2", "banner"] { #expect(during.values(f) == before.values(f), "\(f) changed") }

        let set = try #require(try fx.history().first { $0["action"] as? String == "override.set" })
        let source = try #require((set["after"] as? [String: Any])?["source"] as? [String: Any])
        #expect((source["version"] as? String)?.hasPrefix("sha256:") == true)
        #expect(set["reason"] as? String == "support ticket")

        // JSON Lines: one override per line.
        let lines = try fx.ok(["override", "list", "premium_features", "--env", fx.env, "--json"]).stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let first = try CLIRunner.json(String(try #require(lines.first))) as? [String: Any]
        let id = try #require((first?["id"] as? NSNumber)?.int64Value)
        // A second sync finds nothing: the inventory's `seen` is what the document now says.
        let events = try fx.history().count
        try fx.ok(["sync"])
        #expect(try fx.history().count == events, "a sync after the override records nothing")

        try fx.ok(["override", "rm", String(id), "--reason", "ticket closed"])
        let after = try Consumers.powertools(document: fx.doc, contexts: ctx)
        #expect(after.results == before.results)
        #expect(try fx.text() == ApplicationsSeeTheKillTests.powertools, "removing the override restores the document byte for byte")
        #expect(try fx.history().contains { $0["action"] as? String == "override.rm" })
    }

    @Test func aFormatWithoutOverridesRefusesAndWritesNothing() throws {
        let flagd = """
            {"flags": {"checkout": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}}}

            """
        let fx = try SourceFixture(document: flagd, format: "flagd")
        let r = try fx.run(["override", "set", "checkout", "--env", fx.env, "--key", "user_id", "--equals", "6",
                            "--serve", "false", "--reason", "r"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("override"), "\(r.stderr)")
        #expect(try fx.text() == flagd, "the document is untouched")
        #expect(try fx.ok(["override", "list", "--json"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func anOverrideWrittenJustBeforeACrashIsRecordedAtTheNextOpen() throws {
        let fx = try SourceFixture(document: ApplicationsSeeTheKillTests.powertools, format: "powertools")
        let crashed = try fx.run(["override", "set", "premium_features", "--env", fx.env, "--key", "user_id", "--equals", "6",
                                  "--serve", "true", "--reason", "ticket"], env: ["FLAGDECK_TEST_CRASH_AT": "source-written"])
        #expect(crashed.status == 137, "\(crashed.stderr)")
        #expect(try fx.text() != ApplicationsSeeTheKillTests.powertools, "the document received the override")
        let settled = try fx.ok(["sync"])
        #expect(settled.stderr.contains("recovered"), "\(settled.stderr)")
        let set = try #require(try fx.history().first { $0["action"] as? String == "override.set" })
        let source = try #require((set["after"] as? [String: Any])?["source"] as? [String: Any])
        #expect(source["recovered"] as? Bool == true)
        #expect(set["reason"] as? String == "ticket")
        let lines = try fx.ok(["override", "list", "--json"]).stdout.split(separator: "\n")
        #expect(lines.count == 1, "the override is in the inventory once")
    }
}
