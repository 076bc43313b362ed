import FlagDeckCore
import Foundation

/// A failure reported by libpq or the server, with its SQLSTATE, already redacted.
/// `kind` is what the store decides on (retry, conflict, refuse, reconnect); the message
/// is what an operator reads.
public struct PGError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Could not reach the server, or the connection dropped (SQLSTATE class 08, or no
        /// SQLSTATE with a bad connection).
        case connectionFailed
        /// The server is shutting down, starting up or recovering (57P01–57P03).
        case serverUnavailable
        /// Wrong password or no `pg_hba.conf` entry (28000, 28P01).
        case authenticationFailed
        /// The database named does not exist (3D000).
        case unknownDatabase
        case serializationFailure   // 40001
        case deadlockDetected       // 40P01
        case uniqueViolation        // 23505
        case insufficientPrivilege  // 42501
        case undefinedTable         // 42P01
        case readOnlyTransaction    // 25006
        case lockNotAvailable       // 55P03
        case queryCanceled          // 57014
        /// Our own append-only triggers (raised with SQLSTATE 55000 and a message naming the table).
        case appendOnly
        /// A statement did not run because an earlier one in the same pipeline failed.
        case pipelineAborted
        /// A read answered from the connection's cache no longer holds on the server (its
        /// guard failed, see `PGExpectation`): the transaction wrote nothing and is re-run.
        case staleRead
        case other
    }

    public var kind: Kind
    public var sqlState: String?
    /// The primary message, redacted, without libpq's "ERROR:" prefix.
    public var message: String
    public var detail: String?
    public var hint: String?
    /// For `insufficientPrivilege`: the privilege the failed statement needed (INSERT,
    /// UPDATE, …), derived from the statement, because the server only names the object.
    public var privilege: String?
    /// Where: `postgresql://user@host:port/db`, never with a password.
    public var target: String
    /// A flagdeck error raised while checking a queued write's outcome, passed through as is.
    var carried: FlagDeckError?
    /// Which statement of a pipeline failed (0-based, in the order given), when one did.
    public var statementIndex: Int?

    public init(kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil,
                privilege: String? = nil, target: String, carried: FlagDeckError? = nil) {
        self.carried = carried
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.privilege = privilege
        self.target = target
    }

    public var isConnectionLoss: Bool { kind == .connectionFailed || kind == .serverUnavailable }

    public var description: String {
        var s: String
        switch kind {
        case .insufficientPrivilege:
            // "permission denied for table audit_event" → name the privilege as well.
            let object = message.replacingOccurrences(of: "permission denied for ", with: "")
            s = "the role lacks \(privilege ?? "the needed") privilege on \(object) (\(message))"
        case .connectionFailed: s = "cannot reach the PostgreSQL server: \(message)"
        case .authenticationFailed: s = "the PostgreSQL server refused the login: \(message)"
        default: s = message
        }
        if let detail, !detail.isEmpty { s += " — \(detail)" }
        if let hint, !hint.isEmpty { s += " (hint: \(hint))" }
        if let sqlState { s += " [SQLSTATE \(sqlState)]" }
        return "\(target): \(s)"
    }

    static func kind(forSQLState state: String?, connectionOK: Bool) -> Kind {
        guard let state, !state.isEmpty else { return connectionOK ? .other : .connectionFailed }
        switch state {
        case "40001": return .serializationFailure
        case "40P01": return .deadlockDetected
        case "23505": return .uniqueViolation
        case "42501": return .insufficientPrivilege
        case "42P01": return .undefinedTable
        case "25006": return .readOnlyTransaction
        case "55P03": return .lockNotAvailable
        case "57014": return .queryCanceled
        case "28000", "28P01": return .authenticationFailed
        case "3D000": return .unknownDatabase
        case "57P01", "57P02", "57P03": return .serverUnavailable
        case "55000": return .appendOnly
        default:
            if state.hasPrefix("08") { return .connectionFailed }
            return .other
        }
    }

    /// The privilege a statement needs, from its leading keyword. `SELECT … FOR UPDATE`
    /// needs UPDATE (row locks are writes as far as privileges go).
    static func privilege(for sql: String) -> String? {
        let words = sql.uppercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "(" })
        guard let first = words.first else { return nil }
        switch first {
        case "SELECT", "WITH":
            if words.contains("INSERT") { return "INSERT" }
            if words.contains("UPDATE") { return "UPDATE" }
            if words.contains("DELETE") { return "DELETE" }
            return "SELECT"
        case "INSERT":
            return words.contains("CONFLICT") && words.contains("UPDATE") ? "INSERT and UPDATE" : "INSERT"
        case "UPDATE", "DELETE", "TRUNCATE": return String(first)
        case "CREATE", "ALTER", "DROP": return "CREATE (schema owner)"
        case "COPY": return "INSERT"
        case "LOCK": return "UPDATE"
        default: return nil
        }
    }
}
