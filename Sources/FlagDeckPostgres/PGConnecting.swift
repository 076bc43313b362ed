import CLibpq
import Foundation

/// A connection being made without blocking (`PQconnectStartParams`/`PQconnectPoll`),
/// for the dashboard's listener: while the server is down it must keep drawing the last
/// grid and saying "reconnecting", not freeze for a connect timeout.
final class PGConnecting {
    private var conn: OpaquePointer?
    private let target: String
    private let environment: [String: String]
    private let redactor: Redactor
    private let display: String
    private var wantWrite = true
    private let started = Date()
    private let timeout: TimeInterval

    init(_ target: String, connectTimeout: Int = PGConnection.defaultConnectTimeout,
         environment: [String: String] = ProcessInfo.processInfo.environment) throws(PGError) {
        self.target = target
        self.environment = environment
        redactor = Redactor(target: target, environment: environment)
        display = PGConnection.describeUnconnected(target, redactor: redactor)
        timeout = TimeInterval(connectTimeout)
        let (keywords, values) = try PGConnection.parameters(target, connectTimeout: connectTimeout, environment: environment,
                                                             redactor: redactor, display: display)
        conn = PGConnection.withCStrings(keywords) { k in
            PGConnection.withCStrings(values) { v in PQconnectStartParams(k, v, 1) }
        }
        guard let conn, PQstatus(conn) != CONNECTION_BAD else { throw failure() }
    }

    deinit { if let conn { PQfinish(conn) } }

    /// Advances the handshake, waiting at most `timeoutMs` for the socket. Returns the
    /// connection when it is ready, nil while still in progress; throws when it failed.
    func poll(timeoutMs: Int32) throws(PGError) -> PGConnection? {
        guard let c = conn else { throw failure() }
        let sock = PQsocket(c)
        if sock >= 0 {
            var p = pollfd(fd: sock, events: Int16(wantWrite ? POLLOUT : POLLIN), revents: 0)
            let rc = Glibc.poll(&p, 1, timeoutMs)
            if rc == 0 {
                if Date().timeIntervalSince(started) > timeout { throw failure(extra: "timeout expired") }
                return nil
            }
        }
        switch PQconnectPoll(c) {
        case PGRES_POLLING_OK:
            conn = nil
            return PGConnection(adopting: c, target: target, environment: environment, redactor: redactor)
        case PGRES_POLLING_READING: wantWrite = false; return nil
        case PGRES_POLLING_WRITING: wantWrite = true; return nil
        default: throw failure()
        }
    }

    private func failure(extra: String? = nil) -> PGError {
        let message = redactor.redact(extra ?? PGConnection.connectionMessage(conn))
        return PGError(kind: PGConnection.connectFailureKind(message), message: message, target: display)
    }
}
