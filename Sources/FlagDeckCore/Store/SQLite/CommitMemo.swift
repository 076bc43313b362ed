import GRDB
import GRDBSQLite

/// What the last committed write on this connection knew: the chain head and the
/// settings it read or wrote. Every mutation needs the head (to chain its event) and the
/// access policy (to authorise itself); reading them again costs two statements per kill.
/// The memo is trusted only while SQLite's data version is the one recorded at that
/// commit, so a write by any other connection or process makes the next transaction read
/// both afresh.
struct CommitMemo {
    var dataVersion: UInt32
    var head: AuditHead?
    var settings: [String: String?]
    /// The source bindings, when this connection's last commit read them: every mutation
    /// asks whether its environment is bound.
    var bindings: [SourceBinding]?

    /// SQLite's counter for this connection's view of the file: it moves on every commit,
    /// this connection's own included, and once a transaction has begun it reflects every
    /// other connection's commits too (unlike `PRAGMA data_version`, which ignores the
    /// connection's own). A C call, not a statement.
    static func dataVersion(_ db: Database) -> UInt32? {
        var version: UInt32 = 0
        let rc = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_DATA_VERSION, &version)
        return rc == SQLITE_OK ? version : nil
    }
}
