import Foundation
import Testing
@testable import FlagDeckCore

@Suite struct PublishOverrideTests {
    func fresh() throws -> (Operations, SQLiteStore, String) {
        let dir = temporaryDirectory()
        let store = try SQLiteStore(path: dir + "/t.sqlite", create: true)
        let ops = Operations(store: store, actor: Actor(name: "alice", host: "test"), clock: { Date(timeIntervalSince1970: 1_790_000_000) })
        try ops.initialize()
        try ops.importPlan(try ImportReader.powertools(path: ImportExportTests.tree, env: nil))
        return (ops, store, dir)
    }

    @Test func laterMutationsRewriteThePublishedFile() throws {
        let (ops, _, dir) = try fresh()
        let out = dir + "/published"
        try ops.publish(to: out, format: .powertools)
        let file = out + "/acme/prod/features.json"
        let ctx = JSONObject([("tier", .string("premium"))])
        func served() throws -> JSONValue {
            try PowertoolsEvaluator(json: try ImportReader.parse(file)).evaluate("premium_features", context: ctx, default: .null)
        }
        #expect(try served() == .bool(true))
        let devBefore = try String(contentsOfFile: out + "/acme/dev/features.json", encoding: .utf8)
        _ = try ops.kill(flag: "premium_features", env: "acme/prod", reason: "incident 42")
        #expect(try served() == .bool(false))
        #expect(try String(contentsOfFile: out + "/acme/dev/features.json", encoding: .utf8) == devBefore)
        _ = try ops.unkill(flag: "premium_features", env: "acme/prod", reason: "fixed")
        #expect(try served() == .bool(true))
        // No temporary files are left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out + "/acme/prod").filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func overridePrecedenceAndExpiry() throws {
        let (ops, store, _) = try fresh()
        let env = try EnvironmentID(parsing: "acme/prod")
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        try ops.setOverride(flag: "premium_features", env: "acme/prod", key: "user_id", equals: .int(7), serve: .bool(true),
                            expires: now.addingTimeInterval(3600), reason: "vip")
        let (flag, state, overrides) = try store.read { r in
            (try r.flag(key: "premium_features")!, try r.state(flag: "premium_features", env: env)!, try r.overrides())
        }
        #expect(overrides.count == 1)
        let ctx = JSONObject([("user_id", .int(7)), ("tier", .string("basic"))])
        let r = CellEvaluator.evaluate(flag: flag, state: state, overrides: overrides, context: ctx, now: now)
        #expect(r.value == .bool(true))
        #expect(r.step == .override(key: "user_id", value: "7"))
        // Expired: back to the rules/default.
        let later = CellEvaluator.evaluate(flag: flag, state: state, overrides: overrides, context: ctx, now: now.addingTimeInterval(7200))
        #expect(later.value == .bool(false))
        // Killed beats override.
        var killed = state
        killed.killed = true
        #expect(CellEvaluator.evaluate(flag: flag, state: killed, overrides: overrides, context: ctx, now: now).step == .killed)
        // Audited set and remove.
        try ops.removeOverride(id: overrides[0].id, reason: "done")
        let actions = try store.read { try $0.events(AuditQuery(flag: "premium_features", limit: 2)) }.map(\.action)
        #expect(actions == ["override.rm", "override.set"])
        #expect(try store.read { try $0.overrides() }.isEmpty)
    }

    @Test func rolloutBucketsMatchSeedForWholePercentages() {
        // (h % 100) is the leading part of the basis-point bucket.
        for uid in 0..<200 {
            let b = CellEvaluator.bucket(String(uid), flagKey: "new_ui")
            let seed = try! FeaturesConfigEvaluator.bucket(userID: .int(Int64(uid)), salt: "new_ui")
            #expect(b / 100 == seed)
        }
    }
}
