import CLibpq
import Foundation

/// One libpq connection. Synchronous, like the store above it, and not thread-safe: the
/// owner serialises access. Every statement goes through libpq's pipeline mode, so a
/// batch of statements costs one round trip, and through a per-connection cache of
/// prepared statements, so no statement is parsed or planned twice. Nothing it throws
/// or exposes contains a password (see `Redactor`).
public final class PGConnection {
    private var conn: OpaquePointer?
    /// The operator's conninfo or URL; only ever handed to libpq.
    private let target: String
    private let environment: [String: String]
    public let redactor: Redactor
    /// `postgresql://user@host:port/db` once connected; the redacted target before.
    public private(set) var display: String
    private var prepared: [String: String] = [:]
    private var nextStatementID = 0
    /// Set when the connection died mid-batch; the next use resets first.
    public private(set) var broken = false
    /// Batches sent and waited for (pipelines and scripts): what a kill's latency is made
    /// of on a server across a network, counted so tests can hold the number down.
    public private(set) var roundTrips = 0

    /// libpq's `connect_timeout`, unless the target or `PGCONNECT_TIMEOUT` sets one: a
    /// server that is down gives a clear message within this many seconds.
    public static let defaultConnectTimeout = 5

    public init(_ target: String, connectTimeout: Int = PGConnection.defaultConnectTimeout,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(PGError) {
        self.target = target
        self.environment = environment
        redactor = Redactor(target: target, environment: environment)
        display = Self.describeUnconnected(target, redactor: redactor)
        let (keywords, values) = try Self.parameters(target, connectTimeout: connectTimeout, environment: environment,
                                                     redactor: redactor, display: display)
        conn = Self.withCStrings(keywords) { k in
            Self.withCStrings(values) { v in PQconnectdbParams(k, v, 1) }
        }
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            let message = redactor.redact(Self.connectionMessage(conn))
            if let conn { PQfinish(conn) }
            self.conn = nil
            throw PGError(kind: Self.connectFailureKind(message), message: message, target: display)
        }
        display = describeConnected()
        PQsetNoticeProcessor(conn, { _, _ in }, nil)  // NOTICEs (e.g. "already exists") are not for operators
    }

    /// Takes over a connection that `PGConnecting` finished.
    init(adopting conn: OpaquePointer, target: String, environment: [String: String], redactor: Redactor) {
        self.conn = conn
        self.target = target
        self.environment = environment
        self.redactor = redactor
        display = Self.describeUnconnected(target, redactor: redactor)
        display = describeConnected()
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
    }

    /// libpq keywords and values: flagdeck's defaults first, then the operator's target
    /// (expanded by libpq as a conninfo string or URL), so whatever they wrote wins.
    static func parameters(_ target: String, connectTimeout: Int, environment: [String: String], redactor: Redactor,
                           display: String) throws(PGError) -> ([String], [String]) {
        let options = try parseOptions(target, redactor: redactor, display: display)
        var keywords: [String] = ["fallback_application_name"]
        var values: [String] = ["flagdeck"]
        if options["connect_timeout"] == nil && (environment["PGCONNECT_TIMEOUT"] ?? "").isEmpty {
            keywords.append("connect_timeout")
            values.append(String(connectTimeout))
        }
        keywords.append("dbname")
        values.append(target)
        return (keywords, values)
    }

    deinit { if let conn { PQfinish(conn) } }

    public var isHealthy: Bool { !broken && conn.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// The socket, for waiting on notifications with `poll`; -1 when not connected.
    public var socket: Int32 { conn.map { PQsocket($0) } ?? -1 }

    public var serverVersion: Int { conn.map { Int(PQserverVersion($0)) } ?? 0 }

    public var inTransaction: Bool {
        guard let conn else { return false }
        let s = PQtransactionStatus(conn)
        return s == PQTRANS_INTRANS || s == PQTRANS_INERROR
    }

    /// Reconnects with the same parameters (`PQreset`). Prepared statements die with the
    /// old session, so the cache is cleared.
    public func reset() throws(PGError) {
        prepared.removeAll()
        broken = false
        guard let conn else { throw PGError(kind: .connectionFailed, message: "connection was closed", target: display) }
        PQreset(conn)
        guard PQstatus(conn) == CONNECTION_OK else {
            broken = true
            let message = redactor.redact(Self.connectionMessage(conn))
            throw PGError(kind: Self.connectFailureKind(message), message: message, target: display)
        }
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        display = describeConnected()
    }

    // MARK: - Statements

    /// One statement, one round trip.
    @discardableResult
    public func query(_ sql: String, _ params: [String?] = []) throws(PGError) -> PGResult {
        try pipeline([PGStatement(sql, params)])[0]
    }

    /// Sends every statement, then one sync, then reads every result: one round trip for
    /// the lot. Outside an explicit transaction the batch is one implicit transaction.
    /// Throws the first failure (naming the statement's missing privilege if that is
    /// what it was); statements after it did not run.
    @discardableResult
    public func pipeline(_ statements: [PGStatement]) throws(PGError) -> [PGResult] {
        guard !statements.isEmpty else { return [] }
        let conn = try live()
        guard PQenterPipelineMode(conn) == 1 else { throw failure(nil, sql: nil) }
        var sentPrepares: [String] = []   // SQL of statements prepared in this batch, in order
        var order: [Bool] = []            // true: a prepare's result; false: a query's
        for s in statements {
            let name: String
            if let known = prepared[s.sql] {
                name = known
            } else {
                nextStatementID += 1
                name = "fd\(nextStatementID)"
                guard PQsendPrepare(conn, name, s.sql, Int32(s.params.count), nil) == 1 else {
                    try abandon(conn, sql: s.sql)
                }
                prepared[s.sql] = name
                sentPrepares.append(s.sql)
                order.append(true)
            }
            let sent = Self.withOptionalCStrings(s.params) { values in
                PQsendQueryPrepared(conn, name, Int32(s.params.count), values, nil, nil, 0)
            }
            guard sent == 1 else { try abandon(conn, sql: s.sql) }
            order.append(false)
        }
        guard PQpipelineSync(conn) == 1 else { try abandon(conn, sql: nil) }
        roundTrips += 1

        var results: [PGResult] = []
        var firstError: PGError?
        var prepareIndex = 0, queryIndex = 0
        for isPrepare in order {
            let sql = isPrepare ? sentPrepares[prepareIndex] : statements[queryIndex].sql
            guard let raw = PQgetResult(conn) else {
                broken = true
                try abandon(conn, sql: sql)
            }
            let status = PQresultStatus(raw)
            let result = PGResult(raw)
            // Each command's results end with a NULL.
            while let extra = PQgetResult(conn) { PQclear(extra) }
            if isPrepare {
                if status != PGRES_COMMAND_OK { prepared[sql] = nil }
                prepareIndex += 1
            } else {
                queryIndex += 1
            }
            switch status {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                if !isPrepare { results.append(result) }
            case PGRES_PIPELINE_ABORTED:
                if isPrepare { prepared[sql] = nil }
            default:
                if firstError == nil {
                    firstError = failure(result, sql: sql)
                    firstError?.statementIndex = isPrepare ? queryIndex : queryIndex - 1
                }
                if PQstatus(conn) != CONNECTION_OK { broken = true; try abandon(conn, sql: sql, error: firstError) }
            }
        }
        // The sync point.
        if let sync = PQgetResult(conn) {
            PQclear(sync)
        } else {
            broken = true
        }
        if PQexitPipelineMode(conn) != 1 { broken = true }
        if let firstError { throw firstError }
        if broken { throw failure(nil, sql: nil) }
        return results
    }

    /// Runs SQL text that may hold several statements and no parameters (migrations).
    public func execute(script sql: String) throws(PGError) {
        let conn = try live()
        roundTrips += 1
        guard let raw = PQexec(conn, sql) else { broken = true; throw failure(nil, sql: sql) }
        let r = PGResult(raw)
        let status = PQresultStatus(raw)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            if PQstatus(conn) != CONNECTION_OK { broken = true }
            throw failure(r, sql: sql)
        }
    }

    /// `COPY … FROM STDIN` in text format: `produce` writes rows to the writer, which
    /// sends them in 256 KiB chunks. For bulk loads (migrate), far faster than INSERTs.
    /// A throw from `produce` aborts the copy (and with it the statement).
    public func copyIn(_ sql: String, _ produce: (PGCopyWriter) throws -> Void) throws {
        let conn = try live()
        guard let raw = PQexec(conn, sql) else { broken = true; throw failure(nil, sql: sql) }
        let start = PGResult(raw)
        guard PQresultStatus(raw) == PGRES_COPY_IN else { throw failure(start, sql: sql) }
        let writer = PGCopyWriter(conn: conn)
        do {
            try produce(writer)
            try writer.flush()
        } catch {
            _ = PQputCopyEnd(conn, "flagdeck aborted the copy")
            while let r = PQgetResult(conn) { PQclear(r) }
            if PQstatus(conn) != CONNECTION_OK { broken = true }
            throw error is PGCopyWriter.SendFailed ? failure(nil, sql: sql) : error
        }
        guard PQputCopyEnd(conn, nil) == 1 else { broken = true; throw failure(nil, sql: sql) }
        var error: PGError?
        while let r = PQgetResult(conn) {
            let res = PGResult(r)
            if PQresultStatus(r) != PGRES_COMMAND_OK, error == nil { error = failure(res, sql: sql) }
        }
        if let error { throw error }
    }

    // MARK: - Notifications

    /// Reads whatever the server has sent without blocking and returns the notifications
    /// received so far. Throws when the connection is gone.
    public func notifications() throws(PGError) -> [PGNotification] {
        let conn = try live()
        guard PQconsumeInput(conn) == 1 else {
            broken = true
            throw failure(nil, sql: nil)
        }
        var out: [PGNotification] = []
        while let n = PQnotifies(conn) {
            out.append(PGNotification(channel: String(cString: n.pointee.relname), payload: String(cString: n.pointee.extra),
                                      backendPID: n.pointee.be_pid))
            PQfreemem(n)
        }
        return out
    }

    /// Waits up to `timeoutMs` for the socket to become readable. True if it did.
    public func waitReadable(timeoutMs: Int32) -> Bool {
        let s = socket
        guard s >= 0 else { return false }
        return fd_pq_wait_readable(s, timeoutMs) == 1
    }

    // MARK: - Internals

    private func live() throws(PGError) -> OpaquePointer {
        guard let conn else { throw PGError(kind: .connectionFailed, message: "connection was closed", target: display) }
        if broken || PQstatus(conn) != CONNECTION_OK {
            broken = true
            throw PGError(kind: .connectionFailed, message: "the connection to the server was lost", target: display)
        }
        return conn
    }

    /// Gives up on a half-sent pipeline: the connection is unusable until reset.
    private func abandon(_ conn: OpaquePointer, sql: String?, error: PGError? = nil) throws(PGError) -> Never {
        broken = true
        prepared.removeAll()
        throw error ?? failure(nil, sql: sql)
    }

    func failure(_ result: PGResult?, sql: String?) -> PGError {
        let connectionOK = conn.map { PQstatus($0) == CONNECTION_OK } ?? false
        guard let result else {
            let message = redactor.redact(Self.connectionMessage(conn))
            return PGError(kind: connectionOK ? .other : .connectionFailed,
                           message: message.isEmpty ? "the connection to the server was lost" : message, target: display)
        }
        func field(_ code: Character) -> String? {
            guard let p = PQresultErrorField(result.handle, Int32(code.asciiValue!)) else { return nil }
            return redactor.redact(String(cString: p))
        }
        let state = field("C")
        var message = field("M") ?? redactor.redact(String(cString: PQresultErrorMessage(result.handle)))
        message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if message.isEmpty { message = "the connection to the server was lost" }
        let kind = PGError.kind(forSQLState: state, connectionOK: connectionOK)
        return PGError(kind: kind, sqlState: state, message: message, detail: field("D"), hint: field("H"),
                       privilege: kind == .insufficientPrivilege ? sql.flatMap(PGError.privilege(for:)) : nil,
                       target: display)
    }

    private func describeConnected() -> String {
        guard let conn else { return display }
        let user = String(cString: PQuser(conn))
        let host = String(cString: PQhost(conn))
        let port = String(cString: PQport(conn))
        let db = String(cString: PQdb(conn))
        if host.hasPrefix("/") { return "postgresql://\(user)@/\(db)?host=\(host)&port=\(port)" }
        return "postgresql://\(user)@\(host):\(port)/\(db)"
    }

    static func describeUnconnected(_ target: String, redactor: Redactor) -> String {
        target.isEmpty ? "PostgreSQL (PG* environment defaults)" : redactor.redact(target)
    }

    static func connectionMessage(_ conn: OpaquePointer?) -> String {
        guard let conn, let p = PQerrorMessage(conn) else { return "out of memory creating a connection" }
        return String(cString: p).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }

    static func connectFailureKind(_ message: String) -> PGError.Kind {
        let m = message.lowercased()
        if m.contains("password authentication failed") || m.contains("no pg_hba.conf entry")
            || m.contains("no password supplied") || m.contains("authentication failed") { return .authenticationFailed }
        if m.contains("database") && m.contains("does not exist") { return .unknownDatabase }
        if m.contains("starting up") || m.contains("shutting down") || m.contains("in recovery mode") { return .serverUnavailable }
        return .connectionFailed
    }

    /// The target's options as libpq reads them (so `connect_timeout` in a URL counts).
    static func parseOptions(_ target: String, redactor: Redactor, display: String) throws(PGError) -> [String: String] {
        guard !target.isEmpty else { return [:] }
        var err: UnsafeMutablePointer<CChar>?
        guard let opts = PQconninfoParse(target, &err) else {
            let message = err.map { String(cString: $0) } ?? "cannot parse the connection string"
            if let err { PQfreemem(err) }
            throw PGError(kind: .other, message: "invalid connection string or URL: "
                            + redactor.redact(message.trimmingCharacters(in: .whitespacesAndNewlines)), target: display)
        }
        defer { PQconninfoFree(opts) }
        var out: [String: String] = [:]
        var i = 0
        while let k = opts[i].keyword {
            if let v = opts[i].val { out[String(cString: k)] = String(cString: v) }
            i += 1
        }
        return out
    }

    static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let dup = strings.map { strdup($0) }
        defer { dup.forEach { free($0) } }
        var ptrs: [UnsafePointer<CChar>?] = dup.map { UnsafePointer($0) }
        ptrs.append(nil)
        return ptrs.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    static func withOptionalCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        guard !strings.isEmpty else { return body(nil) }
        let dup: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
        defer { dup.forEach { free($0) } }
        let ptrs: [UnsafePointer<CChar>?] = dup.map { $0.map { UnsafePointer($0) } }
        return ptrs.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// Rows for `COPY … FROM STDIN` in PostgreSQL's text format.
public final class PGCopyWriter {
    struct SendFailed: Error {}
    private let conn: OpaquePointer
    private var bytes: [UInt8] = []

    init(conn: OpaquePointer) {
        self.conn = conn
        bytes.reserveCapacity(1 << 18)
    }

    /// Appends one row; nil is NULL. Backslash, tab, newline and carriage return are escaped.
    public func row(_ fields: [String?]) throws {
        for (i, f) in fields.enumerated() {
            if i > 0 { bytes.append(0x09) }
            guard let f else { bytes.append(contentsOf: [0x5C, 0x4E]); continue }  // \N
            for b in f.utf8 {
                switch b {
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
                case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
                default: bytes.append(b)
                }
            }
        }
        bytes.append(0x0A)
        if bytes.count >= 1 << 18 { try flush() }
    }

    func flush() throws {
        guard !bytes.isEmpty else { return }
        let ok = bytes.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { PQputCopyData(conn, $0, Int32(p.count)) }
        }
        bytes.removeAll(keepingCapacity: true)
        guard ok == 1 else { throw SendFailed() }
    }
}
