import Foundation
import GRDB
import Testing
@testable import FlagDeckCore

/// A push flushes three times (its intent, the file, the directory), not four: the commit
/// that finishes it is carried by the intent, which `recoverPushes` records from after a
/// power loss. Every other write still waits for the disk.
@Suite("Push durability")
struct PushDurabilityTests {
    /// The store the operations write through, noting how each write asked to commit.
    final class RecordingStore: FlagStore, @unchecked Sendable {
        let inner: SQLiteStore
        private let lock = NSLock()
        private var log: [String] = []
        init(_ inner: SQLiteStore) { self.inner = inner }
        var location: String { inner.location }
        var isReadOnly: Bool { inner.isReadOnly }
        var writes: [String] { lock.withLock { log } }
        func note(_ s: String) { lock.withLock { log.append(s) } }
        func read<T>(_ body: (any StoreReading) throws -> T) throws -> T { try inner.read(body) }
        /// Noted as they are begun, whether they commit or not.
        func write<T>(_ durability: CommitDurability, _ body: (any StoreWriting) throws -> T) throws -> T {
            note(durability == .synced ? "write" : "write backed by intent")
            return try inner.write(durability, body)
        }
        func journal<T>(_ body: (any JournalWriting) throws -> T) throws -> T {
            note("journal")
            return try inner.journal(body)
        }
        func changeToken() throws -> ChangeToken { try inner.changeToken() }
        func healthChecks() -> [StoreHealthCheck] { inner.healthChecks() }
    }

    /// A fresh database whose `shop/prod` is bound to a two-flag Powertools file
    /// (`checkout` on, `search` as given), written through a `RecordingStore`.
    struct Bound {
        let dir: String, file: String
        let sqlite: SQLiteStore
        let store: RecordingStore
        let ops: Operations

        init(search: Bool) throws {
            dir = NSTemporaryDirectory() + "flagdeck-durability-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            file = dir + "/features.json"
            try Data("{\n  \"checkout\": {\"default\": true},\n  \"search\": {\"default\": \(search)}\n}\n".utf8)
                .write(to: URL(fileURLWithPath: file))
            sqlite = try SQLiteStore(path: dir + "/flags.sqlite", create: true)
            store = RecordingStore(sqlite)
            ops = Operations(store: store, actor: Actor(name: "alice", host: "h"))
            try ops.initialize()
            _ = try ops.addSource(env: "shop/prod", uri: "file:" + file, reason: "bind")
        }

        func remove() { try? FileManager.default.removeItem(atPath: dir) }
    }

    static func synchronous(_ store: SQLiteStore) throws -> Int {
        try store.withDatabase { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    @Test func onlyAPushsLastCommitSkipsTheFlushAndTheIntentBeforeItDoesNot() throws {
        let b = try Bound(search: false)
        defer { b.remove() }
        let (file, sqlite, store, ops) = (b.file, b.sqlite, b.store, b.ops)
        try ops.createEnvironment(try EnvironmentID(parsing: "shop/dev"), protected: false)

        let start = store.writes.count
        try ops.kill(flag: "checkout", env: "shop/prod", reason: "incident")
        // The first change finds the binding in a write it rolls back; the push follows.
        #expect(Array(store.writes[start...]) == ["write", "journal", "write backed by intent"])
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("\"checkout\": {\"default\": false}"))
        #expect(try Self.synchronous(sqlite) == 2, "FULL again after the push")

        let unbound = store.writes.count
        try ops.kill(flag: "checkout", env: "shop/dev", reason: "not bound: the store is the only record")
        #expect(Array(store.writes[unbound...]) == ["write"])
        #expect(try AuditLog.verify(sqlite).ok)
    }

    @Test func sqliteCommitsAnIntentBackedWriteAtNormalAndRestoresFull() throws {
        let fx = try Fixture()
        let store = try #require(fx.store as? SQLiteStore)
        func level(_ w: any StoreWriting) throws -> Int {
            try Int.fetchOne(try #require(w as? SQLiteAccess).db, sql: "PRAGMA synchronous") ?? -1
        }
        func event(_ w: any StoreWriting) throws {
            _ = try w.append(AuditDraft(at: Date(), actor: Actor(name: "alice", host: "h"), action: AuditAction.kill,
                                        flag: "beta.api", env: "sandbox/dev", before: nil, after: nil, reason: "test"))
        }
        #expect(try store.write(.backedByIntent) { w in try event(w); return try level(w) } == 1)
        #expect(try Self.synchronous(store) == 2)
        #expect(try store.write(.synced) { w in try event(w); return try level(w) } == 2)
        // A write that throws (here: no event, so it is rolled back) restores FULL too.
        #expect(throws: FlagDeckError.self) { try store.write(.backedByIntent) { _ in 0 } }
        #expect(try Self.synchronous(store) == 2)
    }

    /// The second change of a bound environment goes straight to its push, and a hint
    /// that went stale (the binding was removed elsewhere) writes nothing to the file and
    /// falls back to the ordinary path.
    @Test func aRememberedBindingIsCheckedBeforeItIsUsed() throws {
        let b = try Bound(search: true)
        defer { b.remove() }
        let (file, sqlite, store, ops) = (b.file, b.sqlite, b.store, b.ops)

        try ops.kill(flag: "checkout", env: "shop/prod", reason: "first")
        let second = store.writes.count
        try ops.kill(flag: "search", env: "shop/prod", reason: "second")
        #expect(Array(store.writes[second...]) == ["journal", "write backed by intent"])
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("\"search\": {\"default\": false}"))

        // Someone else unbinds the environment (their own connection, their own drivers).
        let other = Operations(store: try SQLiteStore(path: sqlite.location), actor: Actor(name: "bob", host: "h2"),
                               sources: SourceDrivers())
        _ = try other.removeSource(env: "shop/prod", uri: "file:" + file, reason: "moved elsewhere")
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        let third = store.writes.count
        let r = try ops.unkill(flag: "checkout", env: "shop/prod", reason: "after the unbind")
        #expect(r.changed)
        #expect(Array(store.writes[third...]) == ["journal", "write"], "the stale hint is refused, then the store alone changes")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before, "an unbound file is not written")
        #expect(try sqlite.read { try $0.pendingIntents() }.isEmpty)
        #expect(try AuditLog.verify(sqlite).ok)
    }
}
