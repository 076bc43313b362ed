import CLibpq

/// One result set, freed with the object. Columns are looked up by name once
/// (`column(_:)`) and read by index in loops, because `PQfnumber` folds case and scans
/// every column on each call, which a 500,000-cell read cannot afford per value.
public final class PGResult {
    let handle: OpaquePointer
    public let rowCount: Int

    init(_ handle: OpaquePointer) {
        self.handle = handle
        rowCount = Int(PQntuples(handle))
    }

    deinit { PQclear(handle) }

    public var columnCount: Int { Int(PQnfields(handle)) }

    /// The index of column `name`. A missing column is a programming error (the schema
    /// version is checked before any query), so it stops with the name rather than
    /// returning garbage.
    public func column(_ name: String) -> Int32 {
        let i = PQfnumber(handle, "\"" + name + "\"")
        precondition(i >= 0, "result has no column \(name)")
        return i
    }

    public func isNull(_ row: Int, _ col: Int32) -> Bool { PQgetisnull(handle, Int32(row), col) == 1 }

    public func text(_ row: Int, _ col: Int32) -> String? {
        guard !isNull(row, col), let p = PQgetvalue(handle, Int32(row), col) else { return nil }
        return String(cString: p)
    }

    public func string(_ row: Int, _ col: Int32) -> String { text(row, col) ?? "" }

    public func int64(_ row: Int, _ col: Int32) -> Int64 {
        guard let p = PQgetvalue(handle, Int32(row), col) else { return 0 }
        return Self.parseInt(p)
    }

    public func int(_ row: Int, _ col: Int32) -> Int { Int(int64(row, col)) }

    /// Text-format booleans are `t` / `f`.
    public func bool(_ row: Int, _ col: Int32) -> Bool {
        guard let p = PQgetvalue(handle, Int32(row), col) else { return false }
        return p.pointee == CChar(UInt8(ascii: "t")) || p.pointee == CChar(UInt8(ascii: "1"))
    }

    // By name, for the places that read a row or two.
    public func text(_ row: Int, _ name: String) -> String? { text(row, column(name)) }
    public func string(_ row: Int, _ name: String) -> String { string(row, column(name)) }
    public func int64(_ row: Int, _ name: String) -> Int64 { int64(row, column(name)) }
    public func int(_ row: Int, _ name: String) -> Int { int(row, column(name)) }
    public func bool(_ row: Int, _ name: String) -> Bool { bool(row, column(name)) }

    /// Rows changed by an INSERT/UPDATE/DELETE.
    public var affectedRows: Int {
        guard let p = PQcmdTuples(handle) else { return 0 }
        return Int(Self.parseInt(p))
    }

    static func parseInt(_ p: UnsafePointer<CChar>) -> Int64 {
        var i = 0
        var negative = false
        if p[0] == CChar(UInt8(ascii: "-")) { negative = true; i = 1 }
        var v: Int64 = 0
        while p[i] >= CChar(UInt8(ascii: "0")) && p[i] <= CChar(UInt8(ascii: "9")) {
            v = v &* 10 &+ Int64(p[i] - CChar(UInt8(ascii: "0")))
            i += 1
        }
        return negative ? -v : v
    }
}

/// A notification received on a `LISTEN`ed channel.
public struct PGNotification: Sendable, Equatable {
    public var channel: String
    public var payload: String
    public var backendPID: Int32
}

/// One statement of a pipeline: SQL with `$1…` placeholders and text parameters (nil is NULL).
public struct PGStatement: Sendable {
    public var sql: String
    public var params: [String?]
    public init(_ sql: String, _ params: [String?] = []) {
        self.sql = sql
        self.params = params
    }
}
