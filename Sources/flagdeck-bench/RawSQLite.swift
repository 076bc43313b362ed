import Foundation
import FlagDeckCore
import GRDBSQLite

/// The kill's baseline: SQLite's C API with nothing in between. BEGIN, the insert and
/// COMMIT are prepared once, as the product's own are, so the baseline does not pay a
/// parse per sample the product no longer pays.
final class RawSQLite {
    private var db: OpaquePointer?
    private var begin: OpaquePointer?
    private var insert: OpaquePointer?
    private var commit: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { throw BenchError("open \(path)") }
        sqlite3_busy_timeout(db, 5_000)
        try exec("PRAGMA journal_mode = WAL")
        try exec("PRAGMA synchronous = FULL")
        try exec("PRAGMA mmap_size = \(SQLiteStore.mmapSize)")  // the product's own read path
    }

    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw error(sql) }
    }

    /// Prepares the three statements; the table `bench_raw` must exist.
    func prepare() throws {
        for s in [begin, insert, commit] { sqlite3_finalize(s) }
        begin = try statement("BEGIN IMMEDIATE")
        insert = try statement("INSERT INTO bench_raw (payload) VALUES (?)")
        commit = try statement("COMMIT")
    }

    private func statement(_ sql: String) throws -> OpaquePointer? {
        var s: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK else { throw error(sql) }
        return s
    }

    func insertCommit(_ i: Int) throws {
        try step(begin, "BEGIN IMMEDIATE")
        let payload = "row \(i)"
        sqlite3_bind_text(insert, 1, payload, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        try step(insert, "INSERT")
        try step(commit, "COMMIT")
    }

    private func step(_ s: OpaquePointer?, _ what: String) throws {
        guard let s else { throw BenchError("\(what): not prepared") }
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else {
            if sqlite3_get_autocommit(db) == 0 { sqlite3_exec(db, "ROLLBACK", nil, nil, nil) }
            throw error(what)
        }
    }

    private func error(_ what: String) -> BenchError {
        BenchError("\(what): \(String(cString: sqlite3_errmsg(db)))")
    }

    func close() {
        for s in [begin, insert, commit] { sqlite3_finalize(s) }
        sqlite3_close(db)
    }
}
