import FlagDeckTestSupport
import Foundation
import Testing

/// `demo --reset --db PATH` must only ever replace a demo database nobody is using: a real
/// inventory, a foreign file or a demo open in another process is refused and left byte
/// for byte as it was, WAL included (issue 12.2).
@Suite("Demo reset")
struct DemoResetTests {
    static func reset(_ db: String) throws -> CLIResult {
        try CLIRunner.run(["demo", "--db", db, "--build-only", "--reset"])
    }

    @Test func aRealDatabaseIsRefusedAndLeftIdentical() throws {
        let fx = try CLIFixture()
        try fx.ok(["kill", "beta.api", "--env", "sandbox/dev", "--reason", "real incident", "--yes"])
        let before = try fx.bytes()
        let r = try Self.reset(fx.db)
        #expect(r.status == 1)
        #expect(r.stderr.contains("not a demo database"), "stderr: \(r.stderr)")
        #expect(try fx.bytes() == before)
        #expect(try fx.history().first?["reason"] as? String == "real incident")
    }

    @Test func aForeignFileIsRefusedAndLeftIdentical() throws {
        let dir = CLIRunner.temporaryDirectory()
        let path = dir + "/notes.sqlite"
        let content = Data("my notes\n".utf8)
        FileManager.default.createFile(atPath: path, contents: content)
        let r = try Self.reset(path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("refusing to replace"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
    }

    @Test func aDemoOpenElsewhereIsRefusedAndItsWALKept() throws {
        let dir = CLIRunner.temporaryDirectory()
        let db = dir + "/demo.sqlite"
        #expect(try Self.reset(db).status == 0)
        // Another process holds the demo open (as a dashboard would), mid-write.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        holder.arguments = [db]
        let input = Pipe()
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        defer { try? input.fileHandleForWriting.close(); holder.waitUntilExit() }
        input.fileHandleForWriting.write(Data("PRAGMA journal_mode; CREATE TABLE IF NOT EXISTS scratch(x); INSERT INTO scratch VALUES (1);\n".utf8))
        let open = Deadline.until(10) { FileManager.default.fileExists(atPath: db + "-wal") && FileManager.default.fileExists(atPath: db + "-shm") }
        #expect(open, "the holder never opened the database")
        let wal = try Data(contentsOf: URL(fileURLWithPath: db + "-wal"))
        let main = try Data(contentsOf: URL(fileURLWithPath: db))
        let r = try Self.reset(db)
        #expect(r.status == 1)
        #expect(r.stderr.contains("is open in another flagdeck"), "stderr: \(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: db + "-wal")) == wal)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == main)
    }

    @Test func aDemoNobodyUsesIsRebuilt() throws {
        let dir = CLIRunner.temporaryDirectory()
        let db = dir + "/demo.sqlite"
        #expect(try Self.reset(db).status == 0)
        let r = try Self.reset(db)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("built demo"))
    }
}
