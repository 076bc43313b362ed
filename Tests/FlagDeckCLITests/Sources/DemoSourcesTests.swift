import FlagDeckTestSupport
import Foundation
import Testing

/// The demo's environments live in files next to its database, bound as sources, so a
/// newcomer's kill reaches a file an application reads (issue 13, "The demo"). The flagd
/// provider and Powertools read those files here, as the demo's applications would.
@Suite("Demo sources", .serialized)
struct DemoSourcesTests {
    static let built: Result<(db: String, files: String), any Error> = Result {
        let dir = CLIRunner.temporaryDirectory()
        let db = dir + "/demo.sqlite"
        let r = try CLIRunner.run(["demo", "--db", db, "--build-only", "--now", "2026-11-21T12:00:00Z"])
        guard r.status == 0 else { throw CLIError("demo build exited \(r.status): \(r.stderr)") }
        return (db, dir + "/demo-files")
    }

    func run(_ args: [String]) throws -> CLIResult {
        let (db, _) = try Self.built.get()
        let r = try CLIRunner.run(args + ["--db", db])
        guard r.status == 0 else { throw CLIError("`flagdeck \(args.joined(separator: " "))` exited \(r.status): \(r.stderr)") }
        return r
    }

    @Test func everyEnvironmentIsBoundToFilesNextToTheDatabaseAndBindingChangedNothing() throws {
        let (_, files) = try Self.built.get()
        let bindings = try #require(try CLIRunner.json(try run(["source", "list", "--json"]).stdout) as? [[String: Any]])
        let boundEnvs = Set(bindings.compactMap { $0["env"] as? String })
        #expect(boundEnvs.count == 8, "every demo environment is bound: \(boundEnvs.sorted())")
        for b in bindings {
            let uri = try #require(b["uri"] as? String)
            #expect(uri.hasPrefix("file:" + files + "/"), "\(uri) is not in the demo's directory")
            #expect(FileManager.default.fileExists(atPath: String(uri.dropFirst(5))))
        }
        // Prod environments have rollouts, which only flagd holds; the sandbox is Powertools.
        #expect(bindings.contains { ($0["uri"] as? String)?.hasSuffix("payments-prod/prod-eu/flags.json") == true && $0["format"] as? String == "flagd" })
        #expect(bindings.contains { ($0["uri"] as? String)?.hasSuffix("sandbox/dev/features.json") == true && $0["format"] as? String == "powertools" })
        // The files say what the inventory says: no binding imported anything, and a sync finds nothing.
        let history = try #require(try CLIRunner.json(try run(["history", "--json", "--limit", "100000"]).stdout) as? [[String: Any]])
        #expect(!history.contains { $0["action"] as? String == "import" })
        #expect(history.filter { $0["action"] as? String == "source.add" }.count == bindings.count)
        let sync = try run(["sync"])
        #expect(!sync.stdout.contains("~"), "sync found changes in fresh demo files: \(sync.stdout)")
    }

    @Test func aKillInTheDemoReachesTheFileTheApplicationReads() throws {
        let (_, files) = try Self.built.get()
        let doc = files + "/payments-prod/prod-eu/flags.json"
        let ctx = SourceFixture.contexts()
        let flags = ["checkout.bnpl-klarna", "exp.checkout-button-copy", "checkout.address-validation"]
        let before = try Consumers.flagd(document: doc, contexts: ctx, flags: flags, defaultBool: true)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: doc))
        #expect(Set(before.values("checkout.bnpl-klarna")) == ["true", "false"], "a 50 % rollout serves both")
        #expect(Set(before.values("exp.checkout-button-copy")).count == 2, "the experiment's split is in the file")
        try run(["kill", "checkout.bnpl-klarna", "--env", "payments-prod/prod-eu", "--reason", "demo incident", "--yes"])
        let during = try Consumers.flagd(document: doc, contexts: ctx, flags: flags, defaultBool: true)
        #expect(during.values("checkout.bnpl-klarna").allSatisfy { $0 == "false" })
        #expect(during.values("exp.checkout-button-copy") == before.values("exp.checkout-button-copy"))
        #expect(during.values("checkout.address-validation") == before.values("checkout.address-validation"))
        try run(["unkill", "checkout.bnpl-klarna", "--env", "payments-prod/prod-eu", "--reason", "demo over", "--yes"])
        #expect(try Consumers.flagd(document: doc, contexts: ctx, flags: flags, defaultBool: true).results == before.results)
        #expect(try Data(contentsOf: URL(fileURLWithPath: doc)) == bytes, "unkill restores the file byte for byte")
    }

    @Test func anOverrideLivesInThePowertoolsDocumentAndPowertoolsServesIt() throws {
        let (_, files) = try Self.built.get()
        let doc = files + "/payments-prod/prod-eu/features.json"
        let eval = try Consumers.powertools(document: doc, contexts: [#"{"user_id": "u-88213"}"#, #"{"user_id": "u-1"}"#],
                                            flags: ["exp.payment-methods-order"], default: "null")
        let served = eval.values("exp.payment-methods-order")
        #expect(served.first?.contains("apple_pay") == true, "the pinned QA account gets wallets-first: \(served)")
    }

    @Test func aFolderThatIsNotTheDemosIsNeverReplaced() throws {
        let dir = CLIRunner.temporaryDirectory()
        let mine = dir + "/demo-files"
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: mine + "/notes.txt", contents: Data("mine\n".utf8))
        let r = try CLIRunner.run(["demo", "--db", dir + "/demo.sqlite", "--build-only"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("was not made by `flagdeck demo`"), "stderr: \(r.stderr)")
        #expect(try String(contentsOfFile: mine + "/notes.txt", encoding: .utf8) == "mine\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/demo.sqlite"))
    }

    @Test func aResetRebuildsTheFilesAKillChanged() throws {
        let dir = CLIRunner.temporaryDirectory()
        let db = dir + "/demo.sqlite"
        #expect(try CLIRunner.run(["demo", "--db", db, "--build-only"]).status == 0)
        let doc = dir + "/demo-files/sandbox/dev/features.json"
        let fresh = try Data(contentsOf: URL(fileURLWithPath: doc))
        #expect(try CLIRunner.run(["kill", "checkout.one-page-flow", "--env", "sandbox/dev", "--reason", "x", "--yes", "--db", db]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: doc)) != fresh)
        let r = try CLIRunner.run(["demo", "--db", db, "--build-only", "--reset"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: doc)) == fresh)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".old-") || $0.contains(".building-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
