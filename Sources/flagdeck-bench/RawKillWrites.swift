import Foundation
import FlagDeckCore
import GRDBSQLite

/// The write floor of a kill: the rows a kill must write, and nothing else, through
/// SQLite's C API — the chain head read, the cell's row updated, one audit event
/// inserted (with its `audit_event_flag` entry), in a prepared BEGIN IMMEDIATE … COMMIT
/// on the same file with the same settings as the raw commit.
///
/// It answers "how far can a kill get from the one-row commit at all?": the kill's
/// three b-tree pages (cell, event, index) against the raw commit's one set the floor,
/// and what the product adds above it (the cell read, policy, snapshots, hashing,
/// GRDB) is the kill's own cost. No policy, no version check, and the event's hash is
/// not a SHA-256 of anything: the working copy's chain does not verify after it, which
/// is why it only ever runs on a copy the bench removes.
final class RawKillWrites {
    private var db: OpaquePointer?
    private var begin, beginRead, head, seeCell, update, insert, commit: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { throw BenchError("open \(path)") }
        sqlite3_busy_timeout(db, 5_000)
        try exec("PRAGMA synchronous = FULL")
        try exec("PRAGMA mmap_size = \(SQLiteStore.mmapSize)")
        let cell = "flag_id = (SELECT id FROM flag WHERE key = ?) AND env_id = (SELECT id FROM environment WHERE account = ? AND name = ?)"
        begin = try statement("BEGIN IMMEDIATE")
        beginRead = try statement("BEGIN DEFERRED")
        head = try statement("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")
        seeCell = try statement("SELECT version FROM flag_state WHERE " + cell)
        update = try statement("UPDATE flag_state SET killed = 1, version = version + 1, changed_at = ?, changed_by = ? WHERE " + cell)
        insert = try statement("INSERT INTO audit_event (seq, at, operator, host, action, flag, env, before, after, reason, prev_hash, hash) "
                               + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
        commit = try statement("COMMIT")
    }

    private func statement(_ sql: String) throws -> OpaquePointer? {
        var s: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK else { throw error(sql) }
        return s
    }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw error(sql) }
    }

    /// The cell's version, read in a transaction of its own, as the kill's caller reads
    /// the cell it shows before the kill (not timed, like the kill's): after another
    /// connection's commit, the first transaction on this one drops its page cache and
    /// its memory map, and that belongs to whichever read comes first.
    func see(flag: String, env: EnvironmentID) throws {
        try step(beginRead)
        bind(seeCell, [flag, env.account, env.name])
        let rc = sqlite3_step(seeCell)
        sqlite3_reset(seeCell)
        guard rc == SQLITE_ROW else { try rollback(); throw BenchError("floor: no cell \(flag) in \(env)") }
        try step(commit)
    }

    /// Writes what a kill of `flag` in `env` writes, with snapshots of a kill's size.
    func killWrites(flag: String, env: EnvironmentID, _ i: Int) throws {
        try step(begin)
        guard sqlite3_step(head) == SQLITE_ROW else { sqlite3_reset(head); try rollback(); throw error("head") }
        let seq = sqlite3_column_int64(head, 0) + 1
        let prev = String(cString: sqlite3_column_text(head, 1))
        sqlite3_reset(head)
        let at = UTC.format(Date())
        bind(update, [at, "bench", flag, env.account, env.name])
        try step(update)
        guard sqlite3_changes(db) == 1 else { try rollback(); throw BenchError("floor: no cell \(flag) in \(env)") }
        let before = #"{"enabled":true,"killed":false,"rollout":100,"rules":[],"default":false,"version":3}"#
        let after = #"{"enabled":true,"killed":true,"rollout":100,"rules":[],"default":false,"version":4}"#
        let hex = String(UInt64(i), radix: 16)
        let hash = String(repeating: "f", count: 64 - hex.utf8.count) + hex
        sqlite3_bind_int64(insert, 1, seq)
        bind(insert, [at, "bench", "bench", AuditAction.kill, flag, env.path, before, after, "bench: incident drill", prev, hash],
             from: 2)
        try step(insert)
        try step(commit)
    }

    private func bind(_ s: OpaquePointer?, _ values: [String], from first: Int32 = 1) {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (k, v) in values.enumerated() { sqlite3_bind_text(s, first + Int32(k), v, -1, transient) }
    }

    private func step(_ s: OpaquePointer?) throws {
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else {
            let e = error(String(cString: sqlite3_sql(s)))
            try? rollback()
            throw e
        }
    }

    private func rollback() throws {
        if sqlite3_get_autocommit(db) == 0 { try exec("ROLLBACK") }
    }

    private func error(_ what: String) -> BenchError {
        BenchError("floor: \(what): \(String(cString: sqlite3_errmsg(db)))")
    }

    func close() {
        for s in [begin, beginRead, head, seeCell, update, insert, commit] { sqlite3_finalize(s) }
        sqlite3_close(db)
    }
}
