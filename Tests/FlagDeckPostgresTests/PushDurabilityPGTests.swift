import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckPostgres

/// On the server as on SQLite: only the write a push intent already carries commits
/// without waiting for the WAL flush, and only for its own transaction.
@Suite("Push durability on PostgreSQL")
struct PushDurabilityPGTests {
    @Test func anIntentBackedWriteTurnsSynchronousCommitOffForItsTransactionOnly() throws {
        let team = try TeamDatabase()
        let owner = try team.initialise()
        _ = try Operations(store: owner, actor: owner.actor()).initialize()
        let store = try PostgresStore(url: team.url(team.operators[0]))
        let actor = store.actor()
        func level(_ durability: CommitDurability) throws -> String {
            try store.writeAccess(durability) { a in
                let s = try a.tx.one("SELECT current_setting('synchronous_commit') AS s").string(0, "s")
                _ = try a.append(AuditDraft(at: Date(), actor: actor, action: "test.append", flag: nil, env: nil,
                                            before: nil, after: nil, reason: "durability"))
                return s
            }
        }
        #expect(try level(.backedByIntent) == "off")
        #expect(try level(.synced) == "on")
        #expect(try store.readAccess { try $0.tx.one("SELECT current_setting('synchronous_commit') AS s").string(0, "s") } == "on")
        #expect(try store.allEvents().filter { $0.reason == "durability" }.count == 2)
    }
}
