import Foundation
import GRDB

/// Reads and writes on one connection inside one transaction. Created per transaction
/// so it can cache the chain head, settings and row ids, and count appended events.
/// Reading, writing, sources and row mapping live in their own files as extensions.
final class SQLiteAccess: StoreWriting {
    let db: Database
    var appendedEvents = 0
    var cachedHead: AuditHead??
    var knownSettings: [String: String?] = [:]
    var knownEnvIDs: [EnvironmentID: Int64] = [:]
    var flagIDs: [String: Int64] = [:]
    var knownBindings: [SourceBinding]?

    /// `memo` must be valid for the transaction this access runs in (see `CommitMemo`).
    init(db: Database, memo: CommitMemo? = nil) {
        self.db = db
        if let memo {
            cachedHead = .some(memo.head)
            knownSettings = memo.settings
            knownBindings = memo.bindings
        }
    }

    // Cached prepared statements, so no statement is parsed twice on one connection.
    // The few every mutation runs go through `HotStatement` instead.
    func rows(_ sql: String, _ args: StatementArguments = []) throws -> [Row] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: args)
    }

    func row(_ sql: String, _ args: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: args)
    }

    func exec(_ sql: String, _ args: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: args)
    }

    func flagID(_ key: String) throws -> Int64 {
        if let id = flagIDs[key] { return id }
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM flag WHERE key = ?"), arguments: [key]) else {
            throw FlagDeckError.unknownFlag(key)
        }
        flagIDs[key] = id
        return id
    }

    func envID(_ env: EnvironmentID) throws -> Int64 {
        if let id = knownEnvIDs[env] { return id }
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM environment WHERE account = ? AND name = ?"),
                                          arguments: [env.account, env.name]) else {
            throw FlagDeckError.unknownEnvironment(env.path, known: [])
        }
        knownEnvIDs[env] = id
        return id
    }
}
