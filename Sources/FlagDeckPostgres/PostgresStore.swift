import FlagDeckCore
import Foundation

/// Team mode: one inventory and one audit log on a PostgreSQL server, shared by every
/// operator. The same operations run over it as over SQLite; what differs is underneath:
///
/// - **Writers are serialised by the server.** Every write transaction takes one
///   transaction-scoped advisory lock before it reads anything, so each sees the last
///   commit, version checks mean what they mean on SQLite, and each event's `prev_hash`
///   is the previous event's hash — no fork, no gap, however many operators commit.
/// - **Identity is the server's.** The operator recorded and policed is `session_user`,
///   the role the server authenticated; the OS account and host ride along as context.
/// - **Commits announce themselves.** Each write sends `NOTIFY flagdeck, '<seq>'` inside
///   its transaction, so listeners hear of it exactly when it commits.
/// - **A kill is one round trip when the connection already knows its rows.** The cell,
///   the policy, the bindings and the chain head this connection last read or wrote are
///   kept (`PGSessionCache`); a write that finds them there sends the server a check of
///   each together with its writes, NOTIFY and COMMIT. A check that fails aborts the
///   transaction before any write and the write runs again reading afresh, so a cached
///   value is never what a decision rests on unless the server confirmed it under the
///   append lock. Otherwise a kill is two round trips (reads, then writes).
/// - **A lost connection is never a "maybe".** Before the commit is sent, a dropped
///   connection means nothing was written. During the commit, the store reconnects and
///   looks for the event it tried to commit, by seq and hash, under the append lock:
///   found means committed (and the operation's result is returned), absent means not
///   done. Either way a write that is known not to have landed is run once more after
///   reconnecting; if that fails too it is reported as not done.
public final class PostgresStore: @unchecked Sendable {
    public let location: String
    public private(set) var isReadOnly: Bool
    /// The role the server authenticated (`session_user`).
    public private(set) var role: String
    /// Write privileges the role lacks, as `INSERT on audit_event`, empty when it can write.
    public private(set) var missingPrivileges: [String] = []

    private let target: String
    private let lock = NSLock()
    private var conn: PGConnection
    private var stateValue: PostgresConnectionState = .connected
    /// This connection's knowledge of the rows writes decide on; guarded by `lock`.
    private let session = PGSessionCache()
    private let stateLock = NSLock()

    /// How long a write whose commit was cut off keeps trying to reach the server to learn
    /// whether it landed, and how long any other call waits for a restarting server.
    public var reconnectWindow: TimeInterval = 15

    /// Opens a flagdeck database on a server. With `create`, an empty database gets the
    /// schema; one holding other tables is refused untouched.
    public init(url target: String, create: Bool = false) throws(FlagDeckError) {
        self.target = target
        do {
            conn = try PGConnection(target)
        } catch {
            throw Self.map(error)
        }
        location = conn.display
        role = ""
        isReadOnly = false
        do {
            try open(create: create)
        } catch let e as FlagDeckError {
            throw e
        } catch let e as PGError {
            throw Self.map(e)
        } catch {
            throw .storage("\(location): \(error)")
        }
    }

    private func open(create: Bool) throws {
        switch try PostgresCatalog.inspect(conn) {
        case .empty:
            guard create else { throw FlagDeckError.databaseMissing(path: location) }
            try PostgresCatalog.migrate(conn, target: location)
        case .foreign(let tables, let count):
            throw FlagDeckError.notAFlagdeckDatabase(
                path: location, detail: "the database holds \(count) table\(count == 1 ? "" : "s") of another application ("
                    + tables.joined(separator: ", ") + (count > tables.count ? ", …" : "") + "); use an empty database")
        case .foreignMarker(let marker):
            throw FlagDeckError.notAFlagdeckDatabase(path: location, detail: "its flagdeck_meta table says application \"\(marker)\"")
        case .flagdeck(let version):
            if version > PostgresSchema.latestVersion {
                throw FlagDeckError.newerSchema(path: location, found: version, supported: PostgresSchema.latestVersion)
            }
            if version < PostgresSchema.latestVersion { try PostgresCatalog.migrate(conn, target: location) }
        }
        try readSession()
    }

    /// Who we are and what we may do, in one round trip.
    private func readSession() throws {
        let checks = Self.requiredPrivileges.map { "has_table_privilege(\(PostgresSchema.literal($0.table)), '\($0.privilege)')" }
        let r = try conn.query("SELECT session_user AS role, current_setting('transaction_read_only') AS ro, "
                               + "ARRAY[\(checks.joined(separator: ", "))]::text AS privs")
        role = r.string(0, "role")
        let flags = r.string(0, "privs").trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: ",")
        missingPrivileges = zip(Self.requiredPrivileges, flags).filter { $0.1 != "t" && $0.1 != "true" }
            .map { "\($0.0.privilege) on \($0.0.table)" }
        isReadOnly = r.string(0, "ro") == "on" || !missingPrivileges.isEmpty
    }

    static let requiredPrivileges: [(table: String, privilege: String)] = [
        ("audit_event", "SELECT"), ("audit_event", "INSERT"),
        ("flag_state", "INSERT"), ("flag_state", "UPDATE"),
        ("flag", "INSERT"), ("flag", "UPDATE"), ("environment", "INSERT"), ("environment", "UPDATE"),
        ("setting", "INSERT"), ("setting", "UPDATE"), ("setting", "DELETE"),
        ("override", "INSERT"), ("override", "UPDATE"), ("override", "DELETE"),
    ]

    /// The actor operations must use on this store: the authenticated role as operator,
    /// the client's OS account and host as context.
    public func actor(client: Actor = .current()) -> Actor { Actor.team(role: role, client: client) }

    /// Round trips this store's connection has made (see `PGConnection.roundTrips`).
    var roundTrips: Int { lock.withLock { conn.roundTrips } }

    // MARK: - Connection state

    public var connectionState: PostgresConnectionState { stateLock.withLock { stateValue } }
    private func setState(_ s: PostgresConnectionState) { stateLock.withLock { stateValue = s } }

    /// Reconnects with backoff (50 ms doubling to 1 s) until `window` passes.
    private func reconnect(window: TimeInterval) throws(PGError) {
        let end = Date().addingTimeInterval(window)
        var delay: TimeInterval = 0.05
        var attempt = 0
        while true {
            attempt += 1
            do {
                try conn.reset()
                session.clear()
                try? readSession()
                setState(.connected)
                return
            } catch {
                setState(.reconnecting(attempt: attempt, lastError: error.description))
                if Date().addingTimeInterval(delay) >= end {
                    setState(.down(error.description))
                    throw error
                }
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 1)
            }
        }
    }

    private func ensureConnected() throws(PGError) {
        if !conn.isHealthy { try reconnect(window: reconnectWindow) }
    }

    // MARK: - Transactions

    /// A consistent snapshot (REPEATABLE READ, READ ONLY) for `body`. A connection lost
    /// before or during the read is re-established and the read retried once.
    func readAccess<T>(_ body: (PostgresAccess) throws -> T) throws -> T {
        try lock.withLock {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    try ensureConnected()
                    let tx = PGTransaction(conn: conn)
                    tx.defer_(PGStatement("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
                    let access = PostgresAccess(tx: tx)
                    access.hints = session
                    do {
                        let result = try body(access)
                        if conn.inTransaction { try conn.query("COMMIT") }
                        access.publishHints()
                        return result
                    } catch {
                        if conn.isHealthy && conn.inTransaction { _ = try? conn.query("ROLLBACK") }
                        throw error
                    }
                } catch let e as PGError where e.isConnectionLoss && attempt == 1 {
                    try reconnect(window: reconnectWindow)
                } catch let e as PGError {
                    throw Self.map(e)
                }
            }
        }
    }

    /// One serialised write transaction; rolled back unless it appended an event.
    func writeAccess<T>(_ durability: CommitDurability = .synced, _ body: (PostgresAccess) throws -> T) throws -> T {
        try serialised(audited: true, durability: durability, body)
    }

    /// The journal's transaction: serialised like a write, but it appends no event, so it
    /// neither needs one nor notifies anyone.
    func journalAccess<T>(_ body: (PostgresAccess) throws -> T) throws -> T { try serialised(audited: false, body) }

    private func serialised<T>(audited: Bool, durability: CommitDurability = .synced, _ body: (PostgresAccess) throws -> T) throws -> T {
        if isReadOnly {
            throw FlagDeckError.storage("\(location): role \(role) may not write here (it lacks "
                + (missingPrivileges.isEmpty ? "write access: the server is read-only" : missingPrivileges.joined(separator: ", "))
                + "); nothing was written. Ask the database owner to `GRANT \(PostgresSchema.appRole) TO \(role)`")
        }
        return try lock.withLock {
            var attempt = 0
            // Cached reads are used until a check fails or a decision made on unchecked
            // ones throws; then the write is decided again on what the server says.
            var speculate = audited
            var rollbackFirst = false
            while true {
                attempt += 1
                var committing: (event: AuditEvent, result: T)?
                do {
                    try ensureConnected()
                    let tx = PGTransaction(conn: conn)
                    // A failed guard left the last attempt's transaction aborted; ending it
                    // rides along with this attempt's first round trip.
                    if rollbackFirst { tx.defer_(PGStatement("ROLLBACK")) }
                    rollbackFirst = false
                    tx.defer_(PGStatement("BEGIN"))
                    tx.defer_(PGStatement("SELECT pg_advisory_xact_lock($1::bigint)", [String(PostgresSchema.appendLockKey)]))
                    // See `CommitDurability`: this transaction only, and only a push's last.
                    if durability == .backedByIntent { tx.defer_(PGStatement("SET LOCAL synchronous_commit = off")) }
                    tx.endPrologue()
                    let access = PostgresAccess(tx: tx)
                    access.prefetchForWrite = true
                    if speculate { access.session = session }
                    do {
                        let result = try body(access)
                        guard audited else {
                            if conn.inTransaction || tx.hasQueued { _ = try tx.run([PGStatement("COMMIT")]) }
                            return result
                        }
                        guard let last = access.appendedEvents.last else {
                            throw FlagDeckError.internalInvariant("a write finished without an audit event; rolled back")
                        }
                        committing = (last, result)
                        _ = try tx.run([PGStatement("SELECT pg_notify($1, $2)", [PostgresSchema.channel, String(last.seq)]),
                                        PGStatement("COMMIT")])
                        access.publishCommitted()
                        return result
                    } catch {
                        if (error as? PGError)?.kind == .staleRead {
                            // Nothing was written; the server said which cached read moved.
                            session.clear()
                            speculate = false
                            rollbackFirst = conn.isHealthy && conn.inTransaction
                            attempt -= 1
                            continue
                        }
                        if tx.hasExpectations && !tx.sentAny {
                            // The body refused (a conflict, a denial, nothing to do…) on
                            // cached reads nobody checked: nothing was sent, decide again.
                            speculate = false
                            attempt -= 1
                            continue
                        }
                        if conn.isHealthy && conn.inTransaction { _ = try? conn.query("ROLLBACK") }
                        throw error
                    }
                } catch let e as PGError where e.isConnectionLoss {
                    session.clear()
                    if let (sent, result) = committing {
                        if try resolveInFlight(sent, error: e) { return result }
                        // Proven not committed, so running the operation again cannot
                        // duplicate it; a second loss is reported as not done.
                        guard attempt == 1 else { throw notDone(sent, e) }
                        continue
                    }
                    guard attempt == 1 else { throw Self.map(e) }
                    // Nothing was committed; the server is back or coming back: try once more.
                    try reconnect(window: reconnectWindow)
                } catch let e as PGError {
                    if let carried = e.carried { throw carried }
                    throw Self.map(e)
                }
            }
        }
    }

    /// After a connection loss during COMMIT: did `event` land? Reconnects (with backoff,
    /// up to `reconnectWindow`), then looks under the append lock, which the old session
    /// holds until its transaction has finished one way or the other.
    private func resolveInFlight(_ event: AuditEvent, error: PGError) throws -> Bool {
        do {
            try reconnect(window: reconnectWindow)
            let r = try conn.pipeline([
                PGStatement("BEGIN"),
                PGStatement("SELECT pg_advisory_xact_lock($1::bigint)", [String(PostgresSchema.appendLockKey)]),
                PGStatement("SELECT hash FROM audit_event WHERE seq = $1", [String(event.seq)]),
                PGStatement("COMMIT"),
            ])
            return r[2].rowCount == 1 && r[2].string(0, 0) == event.hash
        } catch {
            let e = error
            throw FlagDeckError.storage("\(location): the connection was lost while committing seq \(event.seq) and the server did not "
                + "come back within \(Int(reconnectWindow)) s (\(e.message)). Whether that change was committed is not known yet: "
                + "when the server is back, `flagdeck history` shows seq \(event.seq) with hash \(event.hash.prefix(12)) if it was")
        }
    }

    private func notDone(_ event: AuditEvent, _ e: PGError) -> FlagDeckError {
        .storage("\(location): the connection was lost while committing (\(e.message)); after reconnecting, seq \(event.seq) is not "
            + "in the log, so nothing was written. Try again")
    }

    /// Changes whenever anyone commits: the head seq (PostgreSQL has no data version).
    public func changeToken() throws -> ChangeToken {
        try readAccess { a in
            let seq = try a.head()?.seq ?? 0
            return ChangeToken(dataVersion: seq, headSeq: seq)
        }
    }

    // MARK: - Errors (see FlagStore conformance below)

    static func map(_ e: PGError) -> FlagDeckError {
        if let carried = e.carried { return carried }
        switch e.kind {
        case .serializationFailure, .deadlockDetected, .lockNotAvailable:
            return .databaseBusy(path: e.target)
        case .readOnlyTransaction:
            return .storage("\(e.target): the server is read-only (a standby?); nothing was written")
        default:
            return .storage(e.description)
        }
    }
}

/// What the dashboard shows about the server connection.
public enum PostgresConnectionState: Sendable, Equatable {
    case connected
    /// Trying again; `attempt` counts from 1.
    case reconnecting(attempt: Int, lastError: String)
    /// Gave up for now; the next call tries again.
    case down(String)
}

extension PostgresStore: FlagStore {
    public func read<T>(_ body: (any StoreReading) throws -> T) throws -> T { try readAccess { try body($0) } }
    public func write<T>(_ durability: CommitDurability, _ body: (any StoreWriting) throws -> T) throws -> T {
        try writeAccess(durability) { try body($0) }
    }
    public func journal<T>(_ body: (any JournalWriting) throws -> T) throws -> T { try journalAccess { try body($0) } }

    /// What `doctor` checks on a server: the connection and role, the schema version,
    /// and that both append-only guards and the identity check are in place.
    public func healthChecks() -> [StoreHealthCheck] {
        var out = [StoreHealthCheck(check: "server", status: .ok, detail: "\(location) as role \(role)")]
        do {
            let r = try readAccess { a in
                try a.tx.one("""
                    SELECT (SELECT value FROM flagdeck_meta WHERE key = 'schema_version') AS version,
                           (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass AND NOT tgisinternal
                                AND tgenabled <> 'D') AS triggers,
                           has_table_privilege('audit_event', 'UPDATE') OR has_table_privilege('audit_event', 'DELETE')
                                OR has_table_privilege('audit_event', 'TRUNCATE') AS can_rewrite
                    """)
            }
            out.append(StoreHealthCheck(check: "schema", status: .ok, detail: "version \(r.string(0, "version"))"))
            let triggers = r.int(0, "triggers")
            out.append(triggers >= 3
                ? StoreHealthCheck(check: "append-only triggers", status: .ok, detail: "UPDATE, DELETE, TRUNCATE refused; operator checked")
                : StoreHealthCheck(check: "append-only triggers", status: .fail, detail: "only \(triggers) of 3 audit_event triggers are enabled",
                                   fix: "as the owner: ALTER TABLE audit_event ENABLE TRIGGER USER"))
            out.append(r.bool(0, "can_rewrite")
                ? StoreHealthCheck(check: "audit privileges", status: .warn,
                                   detail: "role \(role) may UPDATE, DELETE or TRUNCATE audit_event (it owns it, or was granted it)",
                                   fix: "operators should log in as members of \(PostgresSchema.appRole), not as the owner")
                : StoreHealthCheck(check: "audit privileges", status: .ok, detail: "role \(role) may only read and append"))
        } catch {
            out.append(StoreHealthCheck(check: "schema", status: .fail, detail: "\(error)"))
        }
        return out
    }
}
