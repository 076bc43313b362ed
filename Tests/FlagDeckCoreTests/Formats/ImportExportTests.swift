import Foundation
import Testing
@testable import FlagDeckCore

@Suite struct ImportExportTests {
    static let tree = VectorFiles.directory.appendingPathComponent("sample-tree").path

    func fresh() throws -> (Operations, any FlagStore) {
        let store = try SQLiteStore(path: temporaryDirectory() + "/t.sqlite", create: true)
        let ops = Operations(store: store, actor: Actor(name: "alice", host: "test"), clock: { Date(timeIntervalSince1970: 1_790_000_000) })
        try ops.initialize()
        return (ops, store)
    }

    @Test func roundTripImportExportImportChangesNothing() throws {
        let (ops, store) = try fresh()
        let plan = try ImportReader.powertools(path: Self.tree, env: nil)
        let first = try ops.importPlan(plan)
        #expect(first.contains { $0.kind == .createEnvironment && $0.env == "acme/prod" })
        let eventsAfterFirst = try store.read { try $0.eventCount() }
        // Same tree again: nothing to do, nothing written.
        #expect(try ops.importPlan(try ImportReader.powertools(path: Self.tree, env: nil)).isEmpty)
        #expect(try store.read { try $0.eventCount() } == eventsAfterFirst)
        // Export, then import the export: still nothing.
        let out = temporaryDirectory()
        let (files, _) = try store.read { try Exporter.files($0, format: .powertools) }
        try Exporter.write(files, to: out)
        #expect(try ops.importPlan(try ImportReader.powertools(path: out, env: nil)).isEmpty)
        // Export is byte-stable.
        let (again, _) = try store.read { try Exporter.files($0, format: .powertools) }
        #expect(again == files)
        // The exported prod document evaluates like the original file.
        let original = try PowertoolsEvaluator(json: try ImportReader.parse(Self.tree + "/acme/prod/features.json"))
        let exported = try PowertoolsEvaluator(json: try ImportReader.parse(out + "/acme/prod/features.json"))
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        for ctx in [[("tier", JSONValue.string("premium"))], [("tenant_id", .int(345345435))], [("region", .string("eu-west-1")), ("user_id", .int(42))], []] {
            let c = JSONObject(ctx)
            for f in original.config.features {
                #expect(original.evaluate(f.name, context: c, default: .null, now: now) == exported.evaluate(f.name, context: c, default: .null, now: now))
            }
        }
    }

    /// An override in force is part of what the application must be told: Powertools gets
    /// it as a leading override rule (as a push writes it), flagd cannot hold one and says so.
    @Test func overridesAreExportedWhereTheFormatHasThemAndNamedWhereItHasNot() throws {
        let (ops, store) = try fresh()
        try ops.importPlan(try ImportReader.powertools(path: Self.tree, env: nil))
        try ops.setOverride(flag: "premium_features", env: "acme/prod", key: "user_id", equals: .string("u-1"), serve: .bool(true),
                            expires: nil, reason: "pinned for support")
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let (files, warnings) = try store.read { try Exporter.files($0, format: .powertools, now: now) }
        #expect(warnings.allSatisfy { !$0.contains("premium_features") })
        let prod = try #require(files.first { $0.env.path == "acme/prod" })
        let doc = try FlagDocuments.parse(prod.contents, format: .powertools, file: prod.relativePath)
        let cell = try doc.cell("premium_features", context: DocumentContext(environment: "prod"))
        #expect(cell.overrides == [DocumentOverride(contextKey: "user_id", matchValue: .string("u-1"), serve: "true")])
        let evaluator = try PowertoolsEvaluator(json: try JSONParser.parse(prod.contents))
        #expect(evaluator.evaluate("premium_features", context: JSONObject([("user_id", .string("u-1"))]), default: .null, now: now) == .bool(true))
        // Other environments' documents carry no override.
        for f in files where f.env.path != "acme/prod" { #expect(!f.contents.contains("flagdeck override")) }
        let (_, flagdWarnings) = try store.read { try Exporter.files($0, format: .flagd, now: now) }
        #expect(flagdWarnings.contains { $0.hasPrefix("premium_features in acme/prod has overrides") })
    }

    @Test func dryRunWritesNothing() throws {
        let (ops, store) = try fresh()
        let before = try store.read { try $0.eventCount() }
        let diff = try ops.importPlan(try ImportReader.powertools(path: Self.tree, env: nil), dryRun: true)
        #expect(!diff.isEmpty)
        #expect(try store.read { try $0.eventCount() } == before)
    }

    @Test func killedFlagExportsOffEverywhere() throws {
        let (ops, store) = try fresh()
        try ops.importPlan(try ImportReader.powertools(path: Self.tree, env: nil))
        _ = try ops.killEverywhere(flag: "premium_features", reason: "incident")
        for format in Exporter.Format.allCases {
            let (files, _) = try store.read { try Exporter.files($0, format: format) }
            for f in files {
                let doc = try JSONParser.parse(f.contents)
                if format == .powertools {
                    let ev = try PowertoolsEvaluator(json: doc)
                    #expect(ev.evaluate("premium_features", context: JSONObject([("tier", .string("premium"))]), default: .bool(true)) == .bool(false))
                } else {
                    let flag = doc["flags"]?["premium_features"]
                    #expect(flag?["defaultVariant"] == .string("off"))
                    #expect(flag?["targeting"] == nil)
                }
            }
        }
        // Re-importing the tree does not unkill.
        try ops.importPlan(try ImportReader.powertools(path: Self.tree, env: nil))
        #expect(try store.read { try $0.state(flag: "premium_features", env: try EnvironmentID(parsing: "acme/prod")) }?.killed == true)
    }

    /// Regression: re-importing an export taken while a flag was killed used to record
    /// "disabled" underneath the kill, so unkill no longer restored the pre-kill state.
    @Test func reimportingAnExportOfAKilledCellKeepsThePreKillState() throws {
        let (ops, store) = try fresh()
        try ops.importPlan(try ImportReader.powertools(path: Self.tree, env: nil))
        let prod = try EnvironmentID(parsing: "acme/prod")
        let before = try store.read { try $0.state(flag: "premium_features", env: prod) }!
        try ops.kill(flag: "premium_features", env: "acme/prod", reason: "incident")
        let out = temporaryDirectory()
        let (files, _) = try store.read { try Exporter.files($0, format: .powertools) }
        try Exporter.write(files, to: out)
        #expect(try ops.importPlan(try ImportReader.powertools(path: out, env: nil)).isEmpty)
        try ops.unkill(flag: "premium_features", env: "acme/prod", reason: "fixed")
        let after = try store.read { try $0.state(flag: "premium_features", env: prod) }!
        #expect(after.enabled == before.enabled && after.rolloutBasisPoints == before.rolloutBasisPoints)
        #expect(after.rules == before.rules && after.defaultValue == before.defaultValue)
    }

    @Test(arguments: [
        ("{\"a\": {\"default\": false,}}", "$.a"),
        ("{\"a\": {\"default\": false, \"rules\": {\"r\": {\"when_match\": true, \"conditions\": [{\"action\": \"EQUAL\", \"key\": \"k\", \"value\": 1}]}}}}", "$.a.rules.r.conditions[0].action"),
        ("{\"a\": {\"default\": \"yes\"}}", "$.a.default"),
        ("{\"a\": {\"default\": false}, \"a\": {\"default\": true}}", "$.a"),
        ("{\"a\": {\"default\": false, \"rules\": {\"r\": {\"when_match\": true, \"conditions\": [{\"action\": \"SCHEDULE_BETWEEN_TIME_RANGE\", \"key\": \"CURRENT_TIME\", \"value\": {\"START\": \"01:00\", \"END\": \"02:00\", \"TIMEZONE\": \"Mars/Base\"}}]}}}}", "$.a.rules.r.conditions[0].value.TIMEZONE"),
    ])
    func badFilesNameFileAndPathAndChangeNothing(text: String, path: String) throws {
        let (ops, store) = try fresh()
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/acme/prod", withIntermediateDirectories: true)
        let file = dir + "/acme/prod/features.json"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let before = try store.read { try $0.eventCount() }
        do {
            try ops.importPlan(try ImportReader.powertools(path: dir, env: nil))
            Issue.record("imported a bad file")
        } catch let e as FormatError {
            #expect(e.location?.file == file)
            #expect(e.location?.path == path, "\(e)")
            #expect(e.description.contains(file))
        }
        #expect(try store.read { try $0.eventCount() } == before)
    }
}
