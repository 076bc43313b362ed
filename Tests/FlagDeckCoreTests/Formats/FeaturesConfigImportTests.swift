import Foundation
import Testing
@testable import FlagDeckCore

@Suite struct FeaturesConfigImportTests {
    static let file = VectorFiles.directory.appendingPathComponent("features-config/features_config.json").path

    @Test func seedImportsWithMetadataAndMatchesTheCascade() throws {
        let store = try SQLiteStore(path: temporaryDirectory() + "/t.sqlite", create: true)
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let ops = Operations(store: store, actor: Actor(name: "alice", host: "test"), clock: { now })
        try ops.initialize()
        let plan = try ImportReader.featuresConfig(path: Self.file, account: "shop")
        try ops.importPlan(plan)
        #expect(try ops.importPlan(try ImportReader.featuresConfig(path: Self.file, account: "shop")).isEmpty)
        let flag = try #require(try store.read { try $0.flag(key: "new_ui") })
        #expect(flag.owner == "UI Team")
        #expect(flag.description == "New and improved UI with advanced features.")
        let search = try #require(try store.read { try $0.flag(key: "advanced_search") })
        #expect(search.dependsOn == ["new_ui"])
        // flagdeck's evaluation of the imported cell agrees with the document's own cascade.
        let cascade = try FeaturesConfigEvaluator(try ImportReader.parse(Self.file))
        let state = try #require(try store.read { try $0.state(flag: "new_ui", env: try EnvironmentID(parsing: "shop/production")) })
        let inventory = try store.read { try Inventory($0, env: try EnvironmentID(parsing: "shop/production")) }
        var checked = 0
        for uid in 0..<300 {
            for region in ["US", "RO", "DE"] {
                for account in ["premium", "free"] {
                    for beta in [true, false] {
                        let ctx = JSONObject([("user_id", .int(Int64(uid))), ("region", .string(region)),
                                              ("account_type", .string(account)), ("beta_program", .bool(beta))])
                        let expected = cascade.isEnabled("new_ui", context: ctx, environment: "production", now: now).isEnabled
                        let got = CellEvaluator.evaluate(flag: flag, state: state, context: ctx, now: now).value
                        #expect(got == .bool(expected!), "\(JSONWriter.compact(.object(ctx)))")
                        // The dependent feature, through its dependency.
                        let dep = cascade.isEnabled("advanced_search", context: ctx, environment: "production", now: now).isEnabled
                        #expect(inventory.evaluate("advanced_search", context: ctx, now: now)?.value == .bool(dep!))
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 3600)
    }

    @Test func dependencyCycleIsRefusedAtImport() throws {
        let doc = try JSONParser.parse(#"{"a": {"active": true, "depends_on": ["b"]}, "b": {"active": true, "depends_on": ["a"]}}"#)
        #expect(throws: FormatError.dependencyCycle(FormatLocation(file: "f.json", path: "$.a.depends_on"), ["a", "b", "a"])) {
            try FeaturesConfigImport.plan(doc, file: "f.json")
        }
    }

    @Test func wrongTypeNamesThePath() throws {
        let doc = try JSONParser.parse(#"{"a": {"active": true, "regions": "US"}}"#)
        do { _ = try FeaturesConfigImport.plan(doc, file: "f.json"); Issue.record("accepted") } catch {
            #expect(error.location?.path == "$.a.regions")
        }
    }
}
