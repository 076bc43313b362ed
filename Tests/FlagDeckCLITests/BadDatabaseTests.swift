import Foundation
import Testing

/// Hostile database files: each gets a clear message, a non-zero exit, and is left
/// byte-for-byte as it was.
@Suite("Bad database files")
struct BadDatabaseTests {
    enum Case: String, CaseIterable {
        case empty, randomBytes, textFile, truncatedDatabase, foreignSQLite, newerSchema, directory
    }

    static func make(_ c: Case, in dir: String) throws -> String {
        let path = dir + "/db-\(c.rawValue)"
        switch c {
        case .empty:
            FileManager.default.createFile(atPath: path, contents: Data())
        case .randomBytes:
            var g = SystemRandomNumberGenerator()
            FileManager.default.createFile(atPath: path, contents: Data((0..<8192).map { _ in UInt8.random(in: 0...255, using: &g) }))
        case .textFile:
            FileManager.default.createFile(atPath: path, contents: Data("key=value\n".utf8))
        case .truncatedDatabase:
            let fx = try CLIFixture()
            let full = try fx.bytes()
            FileManager.default.createFile(atPath: path, contents: full.prefix(100))
        case .foreignSQLite:
            try sqlite(path, "CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('mine');")
        case .newerSchema:
            let fx = try CLIFixture()
            try FileManager.default.copyItem(atPath: fx.db, toPath: path)
            try sqlite(path, "PRAGMA user_version = 999;")
        case .directory:
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        return path
    }

    static func sqlite(_ path: String, _ sql: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path, sql]
        try p.run()
        p.waitUntilExit()
    }

    static func snapshot(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test(arguments: Case.allCases, [["list"], ["kill", "x", "--env", "a/b", "--reason", "r", "--yes"], ["init"]])
    func refusedAndUntouched(_ c: Case, _ args: [String]) throws {
        let dir = CLIRunner.temporaryDirectory()
        let path = try Self.make(c, in: dir)
        let before = Self.snapshot(path)
        let r = try CLIRunner.run(args + ["--db", path])
        #expect(r.status == 1, "\(c) \(args[0]) exited \(r.status): \(r.stderr)")
        #expect(r.stderr.hasPrefix("flagdeck: "), "\(c): \(r.stderr)")
        #expect(r.stderr.contains(path), "\(c): message must name the file: \(r.stderr)")
        #expect(Self.snapshot(path) == before, "\(c) was modified")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") }
        #expect(leftovers.allSatisfy { (try? FileManager.default.attributesOfItem(atPath: dir + "/" + $0)[.size] as? Int) ?? 0 == 0 || $0.hasSuffix("-shm") })
    }

    @Test func lockedByAnotherWriterIsBusyNotBroken() throws {
        let fx = try CLIFixture()
        let before = try fx.bytes()
        // Another process holds the write lock for longer than flagdeck's busy timeout.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = ["-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute('BEGIN IMMEDIATE')
            print('locked', flush=True)
            time.sleep(9)
            """, fx.db]
        let out = Pipe()
        holder.standardOutput = out
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        _ = out.fileHandleForReading.availableData // blocks until "locked" is printed
        let r = try fx.run(["kill", "beta.api", "--env", "sandbox/dev", "--reason", "x", "--yes"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("locked by another writer"))
        #expect(try fx.bytes() == before)
        #expect(try fx.run(["list"]).status == 0, "readers still work while a writer holds the lock")
    }
}
