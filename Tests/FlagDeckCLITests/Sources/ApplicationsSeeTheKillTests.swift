import FlagDeckTestSupport
import Foundation
import Testing

/// The question that matters: does the application see the kill? The real consumers read
/// the files flagdeck writes: Powertools' `FeatureFlags`, the cascade seed's own
/// `FeatureManager`, and the flagd provider in file mode. For each, the killed flag
/// evaluates off, an unrelated flag in the same document as before, and after unkill every
/// context exactly as before the kill.
@Suite("Applications see the kill")
struct ApplicationsSeeTheKillTests {
    static let powertools = """
        {
          "checkout": {"default": true},
          "premium_features": {
            "default": false,
            "rules": {
              "premium tier": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "premium"}]}
            }
          },
          "internal_tools": {
            "default": false,
            "rules": {
              "staff": {"when_match": true, "conditions": [{"action": "ENDSWITH", "key": "email", "value": "@example.com"}]}
            }
          },
          "search_v2": {"default": true, "rules": {
              "not in UK": {"when_match": false, "conditions": [{"action": "EQUALS", "key": "region", "value": "UK"}]}}},
          "banner": {"default": {"color": "blue"}, "boolean_type": false}
        }

        """

    @Test func powertoolsFeatureFlags() throws {
        let fx = try SourceFixture(document: Self.powertools, format: "powertools")
        let ctx = SourceFixture.contexts()
        let before = try Consumers.powertools(document: fx.doc, contexts: ctx)
        #expect(Set(before.values("premium_features")) == ["true", "false"], "the fixture must serve both values")
        let killed = try fx.kill("premium_features")
        #expect(killed.status == 0, "\(killed.stderr)")
        let during = try Consumers.powertools(document: fx.doc, contexts: ctx)
        #expect(during.values("premium_features").allSatisfy { $0 == "false" })
        for f in ["checkout", "internal_tools", "search_v2", "banner"] { #expect(during.values(f) == before.values(f), "\(f) changed") }
        #expect(try fx.unkill("premium_features").status == 0)
        let after = try Consumers.powertools(document: fx.doc, contexts: ctx)
        #expect(after.results == before.results)
        #expect(try fx.text() == Self.powertools, "unkill restores the document byte for byte")
        let kill = try #require(try fx.history().first { $0["action"] as? String == "kill" })
        let source = try #require((kill["after"] as? [String: Any])?["source"] as? [String: Any])
        #expect((source["uri"] as? String)?.hasSuffix("features.json") == true)
        #expect((source["version"] as? String)?.hasPrefix("sha256:") == true)
    }

    static let featuresConfig = """
        {
            "new_ui": {
                "active": true,
                "regions": ["US", "RO"],
                "percentage_rollout": 90,
                "environments": ["dev", "staging", "production"],
                "metadata": {"description": "New UI", "owner": "UI Team"}
            },
            "advanced_search": {
                "active": true,
                "depends_on": ["new_ui"],
                "regions": ["US"],
                "environments": ["dev", "staging", "production"]
            },
            "dark_mode": {
                "active": true,
                "account_types": ["premium"],
                "environments": ["production"]
            }
        }

        """

    @Test func theCascadeSeedsFeatureManager() throws {
        let fx = try SourceFixture(document: Self.featuresConfig, name: "features_config.json", format: "features-config",
                                   options: ["--app-environment", "production"])
        let ctx = SourceFixture.contexts()
        let before = try Consumers.featuresConfig(document: fx.doc, contexts: ctx, environment: "production")
        #expect(before.values("new_ui").contains("true"))
        #expect(try fx.kill("new_ui").status == 0)
        let during = try Consumers.featuresConfig(document: fx.doc, contexts: ctx, environment: "production")
        #expect(during.values("new_ui").allSatisfy { $0 == "false" })
        #expect(during.values("dark_mode") == before.values("dark_mode"), "an unrelated feature changed")
        // The kill is the seed's own: FeatureManager.disable sets active to false, nothing else.
        let written = try CLIRunner.json(try fx.text()) as! [String: [String: Any]]
        #expect(written["new_ui"]?["active"] as? Bool == false)
        #expect(written["new_ui"]?["percentage_rollout"] as? Int == 90)
        #expect(try fx.unkill("new_ui").status == 0)
        let after = try Consumers.featuresConfig(document: fx.doc, contexts: ctx, environment: "production")
        #expect(after.results == before.results)
    }

    static let flagd = """
        {
          "$schema": "https://flagd.dev/schema/v0/flags.json",
          "flags": {
            "new-checkout": {
              "state": "ENABLED",
              "variants": {"on": true, "off": false},
              "defaultVariant": "off",
              "targeting": {"if": [{"==": [{"var": "tier"}, "premium"]}, "on", "off"]}
            },
            "fast-search": {
              "state": "ENABLED",
              "variants": {"on": true, "off": false},
              "defaultVariant": "on"
            },
            "promo": {
              "state": "ENABLED",
              "variants": {"yes": true, "no": false},
              "defaultVariant": "yes",
              "targeting": {"if": [{"in": [{"var": "region"}, ["EU", "UK"]]}, "no", "yes"]}
            }
          }
        }

        """

    @Test func theFlagdProviderInFileMode() throws {
        let fx = try SourceFixture(document: Self.flagd, name: "flags.flagd.json", format: "flagd")
        let ctx = SourceFixture.contexts()
        // The caller's default is true, so a "kill" that only disabled the flag would not pass.
        let before = try Consumers.flagd(document: fx.doc, contexts: ctx, defaultBool: true)
        #expect(Set(before.values("promo")) == ["true", "false"])
        #expect(try fx.kill("promo").status == 0)
        let during = try Consumers.flagd(document: fx.doc, contexts: ctx, defaultBool: true)
        #expect(during.values("promo").allSatisfy { $0 == "false" })
        for f in ["new-checkout", "fast-search"] { #expect(during.values(f) == before.values(f)) }
        #expect(try fx.unkill("promo").status == 0)
        #expect(try Consumers.flagd(document: fx.doc, contexts: ctx, defaultBool: true).results == before.results)
    }
}
