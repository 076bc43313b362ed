import Foundation
import Testing

/// import / export / publish / eval / override through the shipped binary.
@Suite("CLI formats")
struct FormatsCLITests {
    static let vectors = CLIRunner.repoRoot.appendingPathComponent("Tests/FlagDeckCoreTests/Vectors").path
    static let tree = vectors + "/sample-tree"

    @Test func importExportRoundTripAndEval() throws {
        let fx = try CLIFixture()
        let dry = try fx.ok(["import", Self.tree, "--dry-run"])
        #expect(dry.stdout.contains("nothing written"))
        try fx.ok(["import", Self.tree])
        #expect(try fx.ok(["import", Self.tree]).stdout.contains("no changes"))
        let out = fx.dir + "/export"
        try fx.ok(["export", "--format", "powertools", "--out", out])
        #expect(try fx.ok(["import", out]).stdout.contains("no changes"))
        let a = try fx.ok(["export", "--format", "flagd", "--env", "acme/prod"]).stdout
        let b = try fx.ok(["export", "--format", "flagd", "--env", "acme/prod"]).stdout
        #expect(a == b && a.contains("\"flags\""))
        let r = try fx.ok(["eval", "premium_features", "--env", "acme/prod", "--context", #"{"tier":"premium"}"#, "--json"])
        #expect(r.stdout.contains(#""value":true"#) && r.stdout.contains("customer tier equals premium"))
        let cfg = try fx.ok(["eval", "--config", Self.tree + "/acme/prod/features.json", "--feature", "night_mode",
                             "--context", "{}", "--now", "2026-11-21T23:30:00Z"])
        #expect(cfg.stdout == "true\n")
        let batch = try fx.run(["eval", "--batch", "-"], stdin: """
            {"config":{"a":{"default":false,"rules":{"r":{"when_match":true,"conditions":[{"action":"IN","key":"x","value":"abc"}]}}}},"feature":"a","context":{"x":"b"},"default":false}
            {"config":{"a":{"default":"on"}},"feature":"a","context":{}}
            """)
        #expect(batch.status == 0)
        #expect(batch.stdout.split(separator: "\n").map(String.init) == [#"{"value":true}"#, #"{"error":"<input>: at $.a.default: feature 'default' boolean key must be present, feature=a (a boolean feature needs true or false)"}"#])
    }

    @Test func overridesAndPublishing() throws {
        let fx = try CLIFixture()
        try fx.ok(["import", Self.tree])
        let pub = fx.dir + "/published"
        try fx.ok(["publish", "--out", pub])
        let file = pub + "/acme/prod/features.json"
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("customer tier equals premium"))
        try fx.ok(["kill", "premium_features", "--env", "acme/prod", "--reason", "incident", "--yes"])
        let killed = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!killed.contains("customer tier equals premium"))
        try fx.ok(["unkill", "premium_features", "--env", "acme/prod", "--reason", "fixed", "--yes"])
        try fx.ok(["override", "set", "premium_features", "--env", "acme/prod", "--key", "user_id", "--equals", "7", "--serve", "true"])
        #expect(try fx.ok(["override", "list"]).stdout.contains("user_id = 7"))
        #expect(try fx.ok(["eval", "premium_features", "--env", "acme/prod", "--context", #"{"user_id":7}"#]).stdout.contains("override"))
        try fx.ok(["override", "rm", "1"])
        #expect(try fx.ok(["override", "list"]).stdout.contains("no overrides"))
    }

    @Test func importIntoAProtectedEnvironmentNeedsAReason() throws {
        let fx = try CLIFixture()
        let file = Self.tree + "/acme/prod/features.json"
        let before = try Data(contentsOf: URL(fileURLWithPath: fx.db))
        let r = try fx.run(["import", file, "--env", "payments/prod"])
        #expect(r.status == 1 && r.stderr.contains("a reason is required"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fx.db)) == before)
        try fx.ok(["import", file, "--env", "payments/prod", "--reason", "adopt the AppConfig profile"])
        let events = try fx.history().filter { ($0["action"] as? String) == "import" }
        #expect(events.count == 5)
        #expect(events.allSatisfy { ($0["reason"] as? String) == "adopt the AppConfig profile" })
    }

    @Test func badImportFilesExitNonZeroNameFileAndPathAndChangeNothing() throws {
        let fx = try CLIFixture()
        let manifest = try String(contentsOfFile: Self.vectors + "/bad-inputs/expected.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try CLIRunner.json(String($0)) as! [String: String] }
        func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: fx.db)) }
        let before = try bytes()
        for m in manifest {
            let file = Self.vectors + "/bad-inputs/" + m["file"]!
            let args = m["format"] == "powertools" ? ["import", file, "--env", "sandbox/dev"]
                                                  : ["import", file, "--format", "features-config", "--account", "sandbox"]
            let r = try fx.run(args)
            #expect(r.status == 1, "\(m["file"]!): exit \(r.status)")
            #expect(r.stderr.contains(file) && r.stderr.contains("at \(m["path"]!)"), "\(m["file"]!): \(r.stderr)")
        }
        #expect(try bytes() == before)
    }

    /// Huge inputs are generated here rather than committed: a 10 MB string where a
    /// boolean belongs, and a 10 MB string as a condition's action.
    @Test(arguments: [
        ("default", "$.big.default"),
        ("action", "$.big.rules.r.conditions[0].action"),
    ])
    func tenMegabyteStringsAreRejectedCleanly(_ place: String, _ path: String) throws {
        let fx = try CLIFixture()
        let huge = String(repeating: "x", count: 10 * 1024 * 1024)
        let doc = place == "default"
            ? #"{"big": {"default": ""# + huge + #""}}"#
            : #"{"big": {"default": false, "rules": {"r": {"when_match": true, "conditions": [{"action": ""# + huge + #"", "key": "k", "value": 1}]}}}}"#
        let file = fx.dir + "/huge-\(place).json"
        try doc.write(toFile: file, atomically: true, encoding: .utf8)
        let before = try fx.bytes()
        let r = try fx.run(["import", file, "--env", "sandbox/dev"])
        #expect(r.status == 1)
        #expect(r.stderr.contains(file), "\(r.stderr.prefix(300))")
        #expect(r.stderr.count < 2_000, "the message must not echo the 10 MB value")
        #expect(r.stderr.contains("at \(path)"), "\(r.stderr.prefix(300))")
        #expect(try fx.bytes() == before)
    }
}
