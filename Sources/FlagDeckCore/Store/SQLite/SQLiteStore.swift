import Foundation
import GRDB
import GRDBSQLite

/// The SQLite backend: one file, WAL, `synchronous=FULL` (a kill must survive power
/// loss; a push's last commit is the one exception, see `CommitDurability`), foreign
/// keys on, a busy timeout so concurrent operators queue instead of fail.
public final class SQLiteStore: FlagStore, @unchecked Sendable {
    public let location: String
    public let isReadOnly: Bool
    let queue: DatabaseQueue
    /// Only touched inside `queue`'s serialized writes.
    private var memo: CommitMemo?

    /// How long a writer waits for another writer before giving up with `databaseBusy`.
    public static let busyTimeout: TimeInterval = 5

    /// Opens an existing flagdeck database. With `create`, a missing file (or an empty
    /// one) is created with mode 0600 and migrated.
    public init(path: String, create: Bool = false) throws(FlagDeckError) {
        location = path
        let created: Bool
        if FileManager.default.fileExists(atPath: path) {
            created = false
        } else {
            guard create else { throw .databaseMissing(path: path) }
            try Self.createEmptyFile(path)
            created = true
        }
        isReadOnly = !Self.isWritable(path)
        var config = Configuration()
        config.readonly = isReadOnly
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(Self.busyTimeout)
        // Not `config.journalMode = .wal`: GRDB then creates and drops a scratch table on
        // every open, which rewrites the file header even for a read-only command.
        config.journalMode = .default
        config.label = "flagdeck"
        config.prepareDatabase { db in
            // Pages are read through a mapping instead of a pread and a copy each. Any other
            // process's commit empties a WAL connection's page cache, so a kill after
            // someone else's change walks its b-trees again; mapped, that costs no system
            // calls. Per connection: nothing is written to the file.
            try db.execute(sql: "PRAGMA mmap_size = \(Self.mmapSize)")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            // Nothing is written until the file is proven to be ours (or brand new).
            let pending = try validate(newlyCreated: created)
            try queue.writeWithoutTransaction { db in
                guard !isReadOnly else { return }
                if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                    let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                    guard mode == "wal" else { throw FlagDeckError.storage("\(path): could not switch to WAL (got \(mode ?? "nothing"))") }
                }
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            if pending { try migrate() }
        } catch let e as FlagDeckError {
            if created { try? FileManager.default.removeItem(atPath: path) }
            throw e
        } catch {
            if created { try? FileManager.default.removeItem(atPath: path) }
            throw Self.map(error, path: path)
        }
    }

    /// Read-only checks; returns whether migrations are pending.
    private func validate(newlyCreated: Bool) throws -> Bool {
        try queue.read { db in
            let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            if appID != Schema.applicationID {
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                guard newlyCreated, tables == 0, version == 0 else {
                    throw FlagDeckError.notAFlagdeckDatabase(
                        path: location,
                        detail: tables == 0 ? "the file exists but is empty; remove it or choose another path"
                                            : "it is an SQLite database made by another program")
                }
                return true
            }
            if version > Schema.latestVersion {
                throw FlagDeckError.newerSchema(path: location, found: version, supported: Schema.latestVersion)
            }
            if version < Schema.latestVersion && isReadOnly {
                throw FlagDeckError.olderSchemaReadOnly(path: location, found: version, supported: Schema.latestVersion)
            }
            return version < Schema.latestVersion
        }
    }

    private func migrate() throws {
        try queue.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                // Re-read inside the lock: another process may have migrated meanwhile.
                let v = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                for i in v..<Schema.latestVersion {
                    try db.execute(sql: Schema.migrations[i])
                }
                try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
                try db.execute(sql: "PRAGMA user_version = \(Schema.latestVersion)")
                return .commit
            }
        }
    }

    // Only SQLite's own errors are translated; whatever the body throws (a refusal, a
    // source error, a push that must leave the transaction) reaches the caller as it is.
    public func read<T>(_ body: (any StoreReading) throws -> T) throws -> T {
        do {
            return try readTransaction { db in try body(SQLiteAccess(db: db)) }
        } catch let e as DatabaseError {
            throw Self.map(e, path: location)
        }
    }

    public func write<T>(_ durability: CommitDurability, _ body: (any StoreWriting) throws -> T) throws -> T {
        guard !isReadOnly else { throw FlagDeckError.readOnlyDatabase(path: location) }
        do {
            return try queue.writeWithoutTransaction { db in
                // The level is a connection setting, changed only outside a transaction and
                // taken when the statement is compiled: so an uncached pragma before BEGIN,
                // and FULL again after the transaction, whatever became of it.
                if durability == .backedByIntent { try Self.exec(db, "PRAGMA synchronous = NORMAL") }
                defer { if durability == .backedByIntent { try? Self.exec(db, "PRAGMA synchronous = FULL") } }
                // BEGIN and COMMIT as cached statements: GRDB's `inTransaction` parses
                // both afresh each time, a few microseconds of every kill.
                try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
                let memo = memo.flatMap { $0.dataVersion == CommitMemo.dataVersion(db) ? $0 : nil }
                self.memo = nil
                do {
                    let access = SQLiteAccess(db: db, memo: memo)
                    let result = try body(access)
                    guard access.appendedEvents > 0 else {
                        throw FlagDeckError.internalInvariant("a write finished without an audit event; rolled back")
                    }
                    try db.cachedStatement(sql: "COMMIT").execute()
                    if let version = CommitMemo.dataVersion(db), let head = access.cachedHead {
                        self.memo = CommitMemo(dataVersion: version, head: head, settings: access.knownSettings,
                                               bindings: access.knownBindings)
                    }
                    return result
                } catch {
                    Self.rollback(db)
                    throw error
                }
            }
        } catch let e as DatabaseError {
            throw Self.map(e, path: location)
        }
    }

    /// A read in a deferred transaction of its own, begun and ended by cached statements.
    /// Not GRDB's `read`: that brackets every read with `PRAGMA query_only`, and SQLite
    /// expires every prepared statement of the connection whenever a flag pragma runs, so
    /// the next kill re-prepared (and GRDB re-authorised) each of its statements — half
    /// its CPU. Readers get `StoreReading`, which has no writes.
    private func readTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.inDatabase { db in
            try db.cachedStatement(sql: "BEGIN DEFERRED").execute()
            do {
                let result = try body(db)
                try db.cachedStatement(sql: "COMMIT").execute()
                return result
            } catch {
                Self.rollback(db)
                throw error
            }
        }
    }

    /// Ends a failed transaction, if SQLite has not already, with a cached ROLLBACK
    /// (GRDB's `rollback()` parses it afresh each time).
    static func rollback(_ db: Database) {
        if db.isInsideTransaction { try? db.cachedStatement(sql: "ROLLBACK").execute() }
    }

    /// A statement run once through the C API: GRDB's `execute(sql:)` costs a hundred
    /// microseconds of SQL-literal machinery, twice per push for its pragmas.
    static func exec(_ db: Database, _ sql: String) throws {
        let rc = sqlite3_exec(db.sqliteConnection, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
    }

    /// 1 GiB of address space, not memory: the kernel maps what is touched.
    public static let mmapSize = 1 << 30

    public func journal<T>(_ body: (any JournalWriting) throws -> T) throws -> T {
        guard !isReadOnly else { throw FlagDeckError.readOnlyDatabase(path: location) }
        do {
            return try queue.writeWithoutTransaction { db in
                try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
                self.memo = nil
                do {
                    let result = try body(SQLiteAccess(db: db))
                    try db.cachedStatement(sql: "COMMIT").execute()
                    return result
                } catch {
                    Self.rollback(db)
                    throw error
                }
            }
        } catch let e as DatabaseError {
            throw Self.map(e, path: location)
        }
    }

    public func changeToken() throws -> ChangeToken {
        do {
            return try readTransaction { db in
                let dv = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
                let seq = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_event") ?? 0
                return ChangeToken(dataVersion: dv, headSeq: seq)
            }
        } catch {
            throw Self.map(error, path: location)
        }
    }

    /// Runs raw SQL outside the audited path: only for `flagdeck-bench`'s raw baselines.
    public func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.writeWithoutTransaction(body)
    }

    public func healthChecks() -> [StoreHealthCheck] {
        [integrity(), wal()]
    }

    func integrity() -> StoreHealthCheck {
        do {
            let result = try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            return result == ["ok"]
                ? StoreHealthCheck(check: "integrity", status: .ok, detail: "PRAGMA integrity_check: ok")
                : StoreHealthCheck(check: "integrity", status: .fail, detail: result.prefix(5).joined(separator: "; "),
                                   fix: "stop all writers and restore from a backup (`flagdeck backup` makes consistent copies)")
        } catch {
            return StoreHealthCheck(check: "integrity", status: .fail, detail: "\(error)", fix: "restore from a backup")
        }
    }

    func wal() -> StoreHealthCheck {
        do {
            let mode = try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } ?? "?"
            guard mode == "wal" || isReadOnly else {
                return StoreHealthCheck(check: "wal", status: .warn, detail: "journal mode is \(mode), expected wal",
                                        fix: "open it once with a writable flagdeck command, which switches it to WAL")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: location + "-wal")[.size] as? Int) ?? 0
            if size > 64 << 20 {
                return StoreHealthCheck(check: "wal", status: .warn, detail: "write-ahead log is \(size >> 20) MiB",
                                        fix: "a long-running reader may be blocking checkpoints; close idle dashboards")
            }
            return StoreHealthCheck(check: "wal", status: .ok, detail: "journal mode \(mode), wal file \(size) bytes")
        } catch {
            return StoreHealthCheck(check: "wal", status: .fail, detail: "\(error)", fix: "check the directory is writable")
        }
    }

    // MARK: - Files and errors

    static func createEmptyFile(_ path: String) throws(FlagDeckError) {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            catch { throw .storage("cannot create directory \(dir): \(error.localizedDescription)") }
        }
        // 0600: file-system access is the trust boundary, so nobody else may read or write.
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else { throw .storage("cannot create \(path): \(String(cString: strerror(errno)))") }
        close(fd)
    }

    /// Permission bits are honoured even for root: a file someone made read-only must
    /// not be written by flagdeck just because the caller could override it.
    static func isWritable(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        if st.st_mode & 0o222 == 0 { return false }
        return access(path, W_OK) == 0
    }

    static func map(_ error: any Error, path: String) -> FlagDeckError {
        if let e = error as? FlagDeckError { return e }
        guard let db = error as? DatabaseError else { return .storage("\(error)") }
        switch db.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .databaseBusy(path: path)
        case .SQLITE_NOTADB: return .notAFlagdeckDatabase(path: path, detail: "not an SQLite file")
        case .SQLITE_CORRUPT: return .databaseCorrupt(path: path, detail: db.message ?? "corrupt")
        case .SQLITE_READONLY: return .readOnlyDatabase(path: path)
        case .SQLITE_CANTOPEN: return .storage("cannot open \(path): \(db.message ?? "unknown reason")")
        default: return .storage("\(db.message ?? "\(db.resultCode)") (\(path))")
        }
    }
}
