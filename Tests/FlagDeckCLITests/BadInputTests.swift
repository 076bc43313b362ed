import Foundation
import Testing

/// Each bad input: a clear message naming what is wrong, a non-zero exit, and a database
/// that is byte-for-byte what it was.
@Suite("CLI bad input")
struct BadInputTests {
    static let cases: [(String, [String], String)] = [
        ("unknown flag", ["kill", "no-such-flag", "--env", "sandbox/dev", "--reason", "x", "--yes"], "unknown flag \"no-such-flag\""),
        ("unknown env", ["enable", "beta.api", "--env", "nowhere/qa"], "unknown environment \"nowhere/qa\""),
        ("ambiguous env", ["enable", "beta.api", "--env", "prod", "--reason", "x"], "ambiguous"),
        ("percent over 100", ["rollout", "beta.api", "--env", "sandbox/dev", "--percent", "101"], "invalid percentage \"101\""),
        ("percent not a number", ["rollout", "beta.api", "--env", "sandbox/dev", "--percent", "lots"], "invalid percentage \"lots\""),
        ("percent three decimals", ["rollout", "beta.api", "--env", "sandbox/dev", "--percent", "1.234"], "invalid percentage"),
        ("missing reason in protected env", ["enable", "beta.api", "--env", "payments/prod"], "a reason is required"),
        ("empty kill reason", ["kill", "beta.api", "--env", "sandbox/dev", "--reason", " ", "--yes"], "--reason must not be empty"),
        ("missing kill reason", ["kill", "beta.api", "--env", "sandbox/dev", "--yes"], "--reason"),
        ("kill with env and all-envs", ["kill", "beta.api", "--env", "sandbox/dev", "--all-envs", "--reason", "x", "--yes"], "exactly one of"),
        ("bad flag key", ["flag", "add", "has space"], "invalid flag key"),
        ("bad flag type", ["flag", "add", "ok-key", "--type", "forever"], "invalid flag type \"forever\""),
        ("bad expiry", ["flag", "add", "ok-key", "--expires", "soon"], "invalid date \"soon\""),
        ("dependency cycle", ["flag", "edit", "checkout.v2", "--depends-on", "beta.api"], "dependency cycle"),
        ("unknown dependency", ["flag", "add", "ok-key", "--depends-on", "ghost"], "unknown flag \"ghost\""),
        ("bad env name", ["env", "add", "no-slash"], "invalid environment \"no-slash\""),
        ("duplicate env", ["env", "add", "sandbox/dev"], "already exists"),
        ("enable a killed flag", ["enable", "beta.api", "--env", "sandbox/dev"], "unkill it first"),
        ("history of unknown flag", ["history", "ghost"], "unknown flag \"ghost\""),
        ("bad since", ["history", "--since", "last week"], "invalid date"),
    ]

    @Test(arguments: cases.map(\.0))
    func rejectedCleanly(_ name: String) throws {
        let (_, args, message) = Self.cases.first { $0.0 == name }!
        let fx = try CLIFixture()
        if name == "enable a killed flag" { try fx.ok(["kill", "beta.api", "--env", "sandbox/dev", "--reason", "x", "--yes"]) }
        let before = try fx.bytes()
        let r = try fx.run(args)
        #expect(r.status != 0, "\(name) exited 0")
        #expect(r.status < 128, "\(name) crashed")
        #expect(r.stderr.contains(message), "\(name): stderr was \(r.stderr)")
        #expect(try fx.bytes() == before, "\(name) changed the database")
    }

    @Test func nonDatabaseFileIsRefusedAndUntouched() throws {
        let dir = CLIRunner.temporaryDirectory()
        let path = dir + "/notes.txt"
        let content = Data("these are my notes, not a database\n".utf8)
        FileManager.default.createFile(atPath: path, contents: content)
        let r = try CLIRunner.run(["list", "--db", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("is not a flagdeck database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
        let initOverIt = try CLIRunner.run(["init", "--db", path])
        #expect(initOverIt.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
    }

    @Test func newerSchemaIsRefused() throws {
        let fx = try CLIFixture()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [fx.db, "PRAGMA user_version = 42;"]
        try p.run()
        p.waitUntilExit()
        let before = try fx.bytes()
        let r = try fx.run(["enable", "beta.api", "--env", "sandbox/dev"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("schema version 42"))
        #expect(r.stderr.contains("upgrade flagdeck"))
        #expect(try fx.bytes() == before)
    }

    @Test func readOnlyDatabaseReadsButRefusesWrites() throws {
        let fx = try CLIFixture()
        chmod(fx.db, 0o444)
        let before = try fx.bytes()
        #expect(try fx.run(["list"]).status == 0)
        let r = try fx.run(["enable", "beta.api", "--env", "sandbox/dev"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("read-only"))
        #expect(try fx.bytes() == before)
    }

    @Test func missingDatabaseSaysHowToCreateOne() throws {
        let path = CLIRunner.temporaryDirectory() + "/none.sqlite"
        let r = try CLIRunner.run(["list", "--db", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("flagdeck init"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
