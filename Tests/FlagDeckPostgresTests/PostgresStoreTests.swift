import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckPostgres

/// The server-side guarantees of team mode, against a real cluster.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test func initCreatesTheSchemaAndReopensIt() throws {
        let team = try TeamDatabase()
        let store = try team.initialise()
        #expect(store.role == team.owner)
        let reopened = try PostgresStore(url: team.url(team.operators[0]))
        #expect(reopened.role == team.operators[0] && !reopened.isReadOnly && reopened.missingPrivileges.isEmpty)
        #expect(reopened.location == "postgresql://\(team.operators[0])@127.0.0.1:\(team.cluster.port)/\(team.database)")
        #expect(try team.cluster.sql("SELECT value FROM flagdeck_meta WHERE key = 'schema_version'", database: team.database)
                == String(PostgresSchema.latestVersion))
    }

    @Test func anEmptyDatabaseWithoutInitIsMissingNotCreated() throws {
        let team = try TeamDatabase()
        #expect(throws: FlagDeckError.databaseMissing(path: "postgresql://\(team.owner)@127.0.0.1:\(team.cluster.port)/\(team.database)")) {
            try PostgresStore(url: team.ownerURL)
        }
        #expect(try team.cluster.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database: team.database) == "0")
    }

    @Test func aDatabaseOfAnotherApplicationIsRefusedUntouched() throws {
        let team = try TeamDatabase()
        try team.cluster.sql("CREATE TABLE invoices (id int); CREATE TABLE customers (id int); GRANT ALL ON invoices, customers TO \(team.owner)",
                             database: team.database)
        for create in [true, false] {
            let e = #expect(throws: FlagDeckError.self) { try PostgresStore(url: team.ownerURL, create: create) }
            guard case .notAFlagdeckDatabase(_, let detail)? = e else { Issue.record("got \(String(describing: e))"); continue }
            #expect(detail.contains("2 tables of another application (customers, invoices)"), "\(detail)")
        }
        #expect(try team.cluster.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database: team.database) == "2")
    }

    @Test func aForeignMarkerAndANewerSchemaAreRefused() throws {
        let team = try TeamDatabase()
        try team.initialise()
        try team.cluster.sql("UPDATE flagdeck_meta SET value = '99' WHERE key = 'schema_version'", database: team.database)
        #expect(throws: FlagDeckError.newerSchema(path: "postgresql://\(team.operators[0])@127.0.0.1:\(team.cluster.port)/\(team.database)",
                                                  found: 99, supported: PostgresSchema.latestVersion)) {
            try PostgresStore(url: team.url(team.operators[0]))
        }
        try team.cluster.sql("UPDATE flagdeck_meta SET value = 'someone-else' WHERE key = 'application'", database: team.database)
        let e = #expect(throws: FlagDeckError.self) { try PostgresStore(url: team.ownerURL) }
        guard case .notAFlagdeckDatabase(_, let detail)? = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(detail.contains("someone-else"))
    }

    @Test func theChainIsLinearUnderManyConcurrentCommitters() throws {
        let team = try TeamDatabase()
        let store = try team.initialise()
        let writers = 8, each = 40
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: writers) { w in
            do {
                // One connection per writer, as separate processes would have.
                let s = try PostgresStore(url: team.url(team.operators[w % 2]))
                let actor = s.actor(client: Actor(name: "os\(w)", host: "host\(w)"))
                for i in 0..<each { try s.appendEvent(actor, reason: "w\(w) #\(i)") }
            } catch {
                failures.mutate { $0.append("\(error)") }
            }
        }
        #expect(failures.value.isEmpty, "\(failures.value)")
        let events = try store.allEvents()
        #expect(events.count == writers * each)
        #expect(events.map(\.seq) == Array(1...Int64(writers * each)))
        let report = try store.verify()
        #expect(report.ok, "\(String(describing: report.problem))")
        #expect(Set(events.map(\.reason)).count == writers * each)
    }

    @Test func appendOnlyIsEnforcedByTriggersForTheOwner() throws {
        let team = try TeamDatabase()
        let store = try team.initialise()
        try store.appendEvent(store.actor(), reason: "first")
        let conn = try PGConnection(team.ownerURL)
        for sql in ["UPDATE audit_event SET reason = 'edited'", "DELETE FROM audit_event", "TRUNCATE audit_event"] {
            let e = #expect(throws: PGError.self) { try conn.query(sql) }
            #expect(e?.kind == .appendOnly && e?.message.contains("append-only") == true, "\(sql): \(String(describing: e))")
        }
        #expect(try store.verify().count == 1)
    }

    @Test func appendOnlyIsEnforcedByPrivilegesForOperators() throws {
        let team = try TeamDatabase()
        let store = try team.initialise()
        try store.appendEvent(store.actor(), reason: "first")
        // Even with the triggers gone, an operator's role may not rewrite history.
        try team.cluster.sql("ALTER TABLE audit_event DISABLE TRIGGER USER", database: team.database)
        let conn = try PGConnection(team.url(team.operators[0]))
        for (sql, privilege) in [("UPDATE audit_event SET reason = 'edited'", "UPDATE"), ("DELETE FROM audit_event", "DELETE"),
                                 ("TRUNCATE audit_event", "TRUNCATE")] {
            let e = #expect(throws: PGError.self) { try conn.query(sql) }
            #expect(e?.kind == .insufficientPrivilege && e?.privilege == privilege, "\(sql): \(String(describing: e))")
            #expect(e?.description.contains("lacks \(privilege) privilege on table audit_event") == true)
        }
        // But it may append.
        let op = try PostgresStore(url: team.url(team.operators[0]))
        #expect(try op.appendEvent(op.actor(), reason: "second").seq == 2)
    }

    @Test func theServerRefusesAnEventInSomeoneElsesName() throws {
        let team = try TeamDatabase()
        try team.initialise()
        let store = try PostgresStore(url: team.url(team.operators[0]))
        let e = #expect(throws: FlagDeckError.self) {
            try store.appendEvent(Actor(name: team.operators[1], host: "h", role: team.operators[1]), reason: "forged")
        }
        #expect(e?.description.contains("is not the role the server authenticated (\"\(team.operators[0])\")") == true,
                "\(String(describing: e))")
        #expect(try store.allEvents().isEmpty)
    }

    @Test func aRoleWithoutTheNeededPrivilegesIsToldWhichOnesItLacks() throws {
        let team = try TeamDatabase()
        try team.initialise()
        let tag = UUID().uuidString.prefix(6).lowercased()
        let reader = "reader_\(tag)"
        try team.cluster.createRole(reader, password: "pw")
        try team.cluster.sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(reader)", database: team.database)
        let store = try PostgresStore(url: team.cluster.url(user: reader, password: "pw", database: team.database))
        #expect(store.isReadOnly)
        #expect(store.missingPrivileges.contains("INSERT on audit_event"))
        let e = #expect(throws: FlagDeckError.self) { try store.appendEvent(store.actor(), reason: "nope") }
        let text = e.map(String.init(describing:)) ?? ""
        #expect(text.contains("lacks INSERT on audit_event") && text.contains("GRANT flagdeck_app TO \(reader)"), "\(text)")
        // Reading still works.
        #expect(try store.allEvents().isEmpty)
    }

    @Test func theOperatorRecordedIsTheAuthenticatedRoleWithTheOSAccountAsContext() throws {
        let team = try TeamDatabase()
        try team.initialise()
        let client = Actor(name: "shared-os-account", host: "jumpbox")
        for op in team.operators {
            let s = try PostgresStore(url: team.url(op))
            try s.appendEvent(s.actor(client: client), reason: "by \(op)")
        }
        let events = try PostgresStore(url: team.ownerURL).allEvents()
        #expect(events.map(\.operator) == team.operators)
        #expect(events.allSatisfy { $0.host == "shared-os-account@jumpbox" })
    }

    @Test func aNotifyArrivesWithin200msOfAnotherConnectionsCommit() throws {
        let team = try TeamDatabase()
        let store = try team.initialise()
        let listener = try PostgresListener(url: team.url(team.operators[0]))
        let writer = try PostgresStore(url: team.url(team.operators[1]))
        for i in 0..<5 {
            _ = listener.poll(timeoutMs: 0)
            let e = try writer.appendEvent(writer.actor(), reason: "n\(i)")
            let committed = Date()
            var seen: [Int64] = []
            while seen.isEmpty && Date().timeIntervalSince(committed) < 1 { seen = listener.poll(timeoutMs: 50).seqs }
            let latency = Date().timeIntervalSince(committed)
            #expect(seen == [e.seq])
            #expect(latency < 0.2, "notify took \(Int(latency * 1000)) ms")
        }
        _ = store
    }

    @Test func aRolledBackWriteNotifiesNobody() throws {
        let team = try TeamDatabase()
        let store = try team.initialise()
        let listener = try PostgresListener(url: team.ownerURL)
        #expect(throws: FlagDeckError.self) { try store.writeAccess { _ in 1 } }
        #expect(listener.poll(timeoutMs: 100).seqs.isEmpty)
    }
}

/// A value shared by the threads of one test.
final class Locked<T>: @unchecked Sendable {
    // swiftlint:disable:next - a tiny lock box for tests
    private let lock = NSLock()
    private var v: T
    init(_ v: T) { self.v = v }
    var value: T { lock.withLock { v } }
    func mutate(_ f: (inout T) -> Void) { lock.withLock { f(&v) } }
}
