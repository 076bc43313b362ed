import Foundation
import GRDB
import Testing
@testable import FlagDeckCore

@Suite("Opening databases")
struct StoreOpeningTests {
    @Test func newFileIsPrivateWalAndFullSync() throws {
        let path = temporaryDirectory() + "/new.sqlite"
        let store = try SQLiteStore(path: path, create: true)
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        let (mode, sync, fk) = try store.withDatabase { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(mode == "wal" && sync == 2 && fk == 1)
    }

    @Test func missingFileWithoutCreateIsRefused() {
        let path = temporaryDirectory() + "/absent.sqlite"
        #expect(throws: FlagDeckError.databaseMissing(path: path)) { try SQLiteStore(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func foreignSQLiteAndRandomBytesAreRefused() throws {
        let dir = temporaryDirectory()
        let foreign = dir + "/foreign.sqlite"
        let q = try DatabaseQueue(path: foreign)
        try q.write { try $0.execute(sql: "CREATE TABLE t(x)") }
        try q.close()
        #expect(throws: FlagDeckError.self) { try SQLiteStore(path: foreign, create: true) }
        let junk = dir + "/junk.sqlite"
        _ = FileManager.default.createFile(atPath: junk, contents: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
        let before = try Data(contentsOf: URL(fileURLWithPath: junk))
        #expect(throws: FlagDeckError.notAFlagdeckDatabase(path: junk, detail: "not an SQLite file")) { try SQLiteStore(path: junk) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: junk)) == before)
    }

    @Test func newerSchemaIsRefused() throws {
        let path = temporaryDirectory() + "/newer.sqlite"
        _ = try SQLiteStore(path: path, create: true)
        let q = try DatabaseQueue(path: path)
        try q.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 99") }
        try q.close()
        #expect(throws: FlagDeckError.newerSchema(path: path, found: 99, supported: Schema.latestVersion)) {
            try SQLiteStore(path: path)
        }
    }

    @Test func readOnlyFileReadsButRefusesWrites() throws {
        let path = temporaryDirectory() + "/ro.sqlite"
        do {
            let fx = try SQLiteStore(path: path, create: true)
            let ops = Operations(store: fx, actor: Actor(name: "a", host: "h"))
            try ops.initialize()
            try ops.createEnvironment(EnvironmentID(account: "a", name: "b"), protected: false)
        }
        chmod(path, 0o444)
        let store = try SQLiteStore(path: path)
        #expect(store.isReadOnly)
        #expect(try store.read { try $0.environments() }.count == 1)
        let ops = Operations(store: store, actor: Actor(name: "a", host: "h"))
        #expect(throws: FlagDeckError.readOnlyDatabase(path: path)) {
            try ops.createEnvironment(EnvironmentID(account: "a", name: "c"), protected: false)
        }
    }
}
