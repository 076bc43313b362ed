import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckPostgres

/// Dropped connections and server crashes, on clusters of their own (restarting the
/// shared one would disturb the other suites).
@Suite("PostgreSQL faults", .serialized)
struct FaultTests {
    /// One cluster with a team database on it, torn down with the test.
    final class Own {
        let cluster: PostgresCluster
        let url: String
        init() throws {
            cluster = try PostgresCluster.start(fsync: true)
            try cluster.createRole("op", password: "pw")
            let db = try cluster.createDatabase(owner: "op")
            url = cluster.url(user: "op", password: "pw", database: db)
            _ = try PostgresStore(url: url, create: true)
        }
        deinit { cluster.destroy() }
    }

    @Test func anImmediateServerStopMidRunLosesNoAcknowledgedWrite() throws {
        let own = try Own()
        let store = try PostgresStore(url: own.url)
        let actor = store.actor(client: Actor(name: "os", host: "h"))
        let outcomes = Locked<[(String, Result<Int64, FlagDeckError>)]>([])
        let done = DispatchSemaphore(value: 0)
        let total = 300
        DispatchQueue.global().async {
            for i in 0..<total {
                let reason = "write \(i)"
                do {
                    let e = try store.appendEvent(actor, reason: reason)
                    outcomes.mutate { $0.append((reason, .success(e.seq))) }
                } catch let e as FlagDeckError {
                    outcomes.mutate { $0.append((reason, .failure(e))) }
                } catch {
                    outcomes.mutate { $0.append((reason, .failure(.storage("\(error)")))) }
                }
            }
            done.signal()
        }
        // Crash the server twice while the writer is busy.
        for mark in [60, 160] {
            #expect(Deadline.until(30) { outcomes.value.count >= mark })
            try own.cluster.restart(immediate: true)
        }
        done.wait()
        let results = outcomes.value
        #expect(results.count == total)
        let events = try PostgresStore(url: own.url).allEvents()
        let logged = Dictionary(grouping: events, by: \.reason)
        var notDone = 0
        for (reason, outcome) in results {
            switch outcome {
            case .success(let seq):
                #expect(logged[reason]?.map(\.seq) == [seq], "acknowledged \(reason) at seq \(seq) but the log has \(logged[reason]?.map(\.seq) ?? [])")
            case .failure(let e):
                notDone += 1
                #expect(e.description.contains("nothing was written"), "an outcome that is neither done nor not done: \(e)")
                #expect(logged[reason] == nil, "\(reason) was reported not done but is in the log")
            }
        }
        #expect(events.count == total - notDone)
        #expect(try PostgresStore(url: own.url).verify().ok)
        // Reconnection is automatic: most writes around the crashes still succeed.
        #expect(notDone <= 4, "\(notDone) writes were not done")
    }

    @Test func aTerminatedBackendMidTransactionIsRetriedOnceAndCommittedOnce() throws {
        let own = try Own()
        let store = try PostgresStore(url: own.url)
        let killer = try PGConnection(own.cluster.superuserURL(database: "postgres"))
        var runs = 0
        let e = try store.writeAccess { a -> AuditEvent in
            runs += 1
            _ = try a.head()  // the transaction has begun and holds the append lock
            if runs == 1 {
                let pid = try a.tx.one("SELECT pg_backend_pid() AS p").int(0, "p")
                try killer.query("SELECT pg_terminate_backend($1::int)", [String(pid)])
            }
            return try a.append(AuditDraft(at: Date(), actor: store.actor(), action: "test.append", flag: nil, env: nil, before: nil,
                                           after: nil, reason: "once"))
        }
        #expect(runs == 2)
        let events = try store.allEvents()
        #expect(events.map(\.reason) == ["once"] && events[0].seq == e.seq)
    }

    @Test func theListenerSaysReconnectingWithoutBlockingAndResumes() throws {
        let own = try Own()
        let listener = try PostgresListener(url: own.url)
        try own.cluster.stopForTest(immediate: true)
        var sawReconnecting = false
        for _ in 0..<20 {
            let start = Date()
            let u = listener.poll(timeoutMs: 50)
            #expect(Date().timeIntervalSince(start) < 0.5, "poll blocked for \(Date().timeIntervalSince(start)) s")
            if case .reconnecting = u.status { sawReconnecting = true }
        }
        #expect(sawReconnecting)
        try own.cluster.startAgain()
        let resumed = Deadline.until(20, every: 0) { listener.poll(timeoutMs: 50).resumed }
        #expect(resumed)
        #expect(listener.status == .listening)
        let writer = try PostgresStore(url: own.url)
        let e = try writer.appendEvent(writer.actor(), reason: "after")
        let seqs = Deadline.poll(5, every: 0) { () -> [Int64]? in
            let s = listener.poll(timeoutMs: 50).seqs
            return s.isEmpty ? nil : s
        }
        #expect(seqs == [e.seq])
    }

    @Test func theStoreReportsReconnectingAndRecoversAfterARestart() throws {
        let own = try Own()
        let store = try PostgresStore(url: own.url)
        try store.appendEvent(store.actor(), reason: "before")
        try own.cluster.restart(immediate: true)
        #expect(try store.appendEvent(store.actor(), reason: "after").seq == 2)
        #expect(store.connectionState == .connected)
    }

    @Test func aServerThatIsDownGivesAClearMessageWithinTheConnectTimeout() throws {
        let own = try Own()
        try own.cluster.stopForTest()
        let start = Date()
        let e = #expect(throws: FlagDeckError.self) { try PostgresStore(url: own.url) }
        #expect(Date().timeIntervalSince(start) < Double(PGConnection.defaultConnectTimeout) + 1)
        let text = e.map(String.init(describing:)) ?? ""
        #expect(text.contains("cannot reach the PostgreSQL server") && text.contains("127.0.0.1") && !text.contains(":pw@"), "\(text)")
        try own.cluster.startAgain()
    }
}
