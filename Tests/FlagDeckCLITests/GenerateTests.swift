import Foundation
import Testing

/// `flagdeck generate` through the built binary: same seed, same database.
@Suite("generate")
struct GenerateTests {

    func generate(seed: Int, in dir: String, name: String) throws -> String {
        let db = dir + "/\(name).sqlite"
        let r = try CLIRunner.run(["generate", "--flags", "200", "--envs", "5", "--events", "5000", "--seed", "\(seed)", "--db", db])
        #expect(r.status == 0, "generate failed: \(r.stderr)")
        // Not a terminal: no progress bar, nothing at all.
        #expect(r.stderr.isEmpty && r.stdout.isEmpty)
        return db
    }

    func ok(_ args: [String]) throws -> String {
        let r = try CLIRunner.run(args)
        #expect(r.status == 0, "`flagdeck \(args.joined(separator: " "))` failed: \(r.stderr)")
        return r.stdout
    }

    @Test func sameSeedGivesIdenticalListAndHead() throws {
        #expect(FileManager.default.isExecutableFile(atPath: CLIRunner.binary))
        let dir = CLIRunner.temporaryDirectory()
        let a = try generate(seed: 7, in: dir, name: "a"), b = try generate(seed: 7, in: dir, name: "b")
        let c = try generate(seed: 8, in: dir, name: "c")
        // --now pins the only wall-clock-dependent field (ages).
        let list = { (db: String) in try self.ok(["list", "--json", "--now", "2026-01-02", "--db", db]) }
        let head = { (db: String) in try self.ok(["audit", "head", "--db", db]) }
        #expect(try list(a) == list(b))
        #expect(try head(a) == head(b))
        #expect(try head(a).hasPrefix("5000 "))
        #expect(try list(a) != list(c))
        #expect(try head(a) != head(c))
        for db in [a, c] {
            #expect(try ok(["audit", "verify", "--db", db]).contains("audit chain ok: 5000 events"))
        }
        let doc = try CLIRunner.json(try list(a)) as! [String: Any]
        #expect((doc["flags"] as! [Any]).count == 200)
        #expect((doc["environments"] as! [Any]).count == 5)
    }

    @Test func refusesAnExistingDatabaseAndTooFewEvents() throws {
        let dir = CLIRunner.temporaryDirectory()
        let db = try generate(seed: 1, in: dir, name: "x")
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let again = try CLIRunner.run(["generate", "--flags", "200", "--envs", "5", "--events", "5000", "--db", db])
        #expect(again.status == 1 && again.stderr.contains("already exists"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        let few = try CLIRunner.run(["generate", "--flags", "10", "--envs", "2", "--events", "5", "--db", dir + "/few.sqlite"])
        #expect(few.status == 1 && few.stderr.contains("at least 13"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/few.sqlite"))
    }
}

/// `flagdeck demo --build-only`: builds from sample-data/ wherever it is run from.
@Suite("demo")
struct DemoCommandTests {
    func run(_ args: [String], cwd: String, env: [String: String] = [:]) throws -> CLIResult {
        try CLIRunner.run(args, env: env, cwd: cwd)
    }

    @Test func buildsTheDemoFromAnyDirectoryIntoTheXDGDemoFile() throws {
        let dir = CLIRunner.temporaryDirectory()
        let xdg = dir + "/xdg"
        let r = try run(["demo", "--build-only", "--now", "2026-11-21T12:00:00Z"], cwd: "/", env: ["XDG_DATA_HOME": xdg, "FLAGDECK_DB": dir + "/real.sqlite"])
        #expect(r.status == 0, "\(r.stderr)")
        let path = xdg + "/flagdeck/demo.sqlite"
        #expect(r.stdout == path + "\n")
        #expect(r.stderr.contains("chain verified"))
        // Never the real database, even when $FLAGDECK_DB is set.
        #expect(!FileManager.default.fileExists(atPath: dir + "/real.sqlite"))
        let verify = try run(["audit", "verify", "--db", path], cwd: dir)
        #expect(verify.status == 0 && verify.stdout.contains("audit chain ok"))
    }

    @Test func rebuildsOnlyWhenMissingOrReset() throws {
        let dir = CLIRunner.temporaryDirectory()
        let db = dir + "/demo.sqlite"
        let head = { try self.run(["audit", "head", "--db", db], cwd: dir).stdout }
        #expect(try run(["demo", "--db", db, "--build-only", "--now", "2026-11-21"], cwd: dir).status == 0)
        let first = try head()
        let again = try run(["demo", "--db", db, "--build-only", "--now", "2026-12-01"], cwd: dir)
        #expect(again.status == 0 && !again.stderr.contains("built demo"))
        #expect(try head() == first)
        #expect(try run(["demo", "--db", db, "--build-only", "--reset", "--now", "2026-12-01"], cwd: dir).status == 0)
        #expect(try head() != first)
        // Same --now, same demo: the build is deterministic.
        #expect(try run(["demo", "--db", db, "--build-only", "--reset", "--now", "2026-11-21"], cwd: dir).status == 0)
        #expect(try head() == first)
    }
}
