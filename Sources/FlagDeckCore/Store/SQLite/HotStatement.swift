import Foundation
import GRDB
import GRDBSQLite

/// One of the few statements every mutation runs, stepped with the C API on GRDB's own
/// cached handle. GRDB's generic argument and row decoding cost a kill about as much as
/// SQLite's work did, and a kill's latency is measured against a bare C-API commit;
/// everything off the mutation path keeps using GRDB's API.
struct HotStatement {
    private let db: Database
    private let handle: OpaquePointer

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        handle = try db.cachedStatement(sql: sql).sqliteStatement
    }

    /// Binds `values` (1-based, in order), runs `body` on the statement, and always
    /// leaves the handle reset so GRDB and the next caller find it clean.
    func run<T>(_ values: [HotValue], _ body: (HotStatement) throws -> T) throws -> T {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (i, v) in values.enumerated() {
            let n = Int32(i + 1)
            switch v {
            case .text(let s): sqlite3_bind_text(handle, n, s, -1, Self.transient)
            case .int(let x): sqlite3_bind_int64(handle, n, x)
            case .null: sqlite3_bind_null(handle, n)
            }
        }
        return try body(self)
    }

    /// Runs to completion, for statements that return nothing.
    func execute(_ values: [HotValue]) throws {
        try run(values) { s in while try s.step() {} }
    }

    /// Advances to the next row; false when there are no more.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                            sql: String(cString: sqlite3_sql(handle)))
    }

    func text(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    /// The column's text, as `previous` itself when the bytes are the same: a scan of
    /// 500,000 cells meets the same rules, defaults and operators row after row, and
    /// sharing the string skips its validation and, past 15 bytes, its allocation.
    func text(_ column: Int32, like previous: String) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        let bytes = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column)))
        var previous = previous
        let same = previous.withUTF8 { old in old.count == bytes.count && (old.isEmpty || memcmp(old.baseAddress!, p, old.count) == 0) }
        return same ? previous : String(decoding: bytes, as: UTF8.self)
    }

    /// A stored UTC time read from the column's own bytes, without making a `String` of
    /// them first (text in any other form goes to the lenient `UTC.parseUserDate`).
    func storedDate(_ column: Int32) -> Date? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        let bytes = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column)))
        if let parsed = UTC.parseStored(utf8: bytes) { return parsed }
        return try? UTC.parseUserDate(String(decoding: bytes, as: UTF8.self))
    }

    func optionalText(_ column: Int32) -> String? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : text(column)
    }

    /// The position of the result column called `name` (its `AS` alias): decoders read
    /// rows by name, resolved once per statement, so reordering a SELECT cannot silently
    /// shift every field.
    func column(_ name: String) -> Int32 {
        for i in 0..<sqlite3_column_count(handle) where String(cString: sqlite3_column_name(handle, i)) == name { return i }
        preconditionFailure("no column \(name) in \(String(cString: sqlite3_sql(handle)))")
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// A value bound to a `HotStatement`.
enum HotValue {
    case text(String)
    case int(Int64)
    case null

    static func optional(_ s: String?) -> HotValue { s.map { .text($0) } ?? .null }
    static func bool(_ b: Bool) -> HotValue { .int(b ? 1 : 0) }
}
