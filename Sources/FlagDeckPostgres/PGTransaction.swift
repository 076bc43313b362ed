import FlagDeckCore

/// One transaction on one connection, with writes held back until something needs their
/// effect. A statement whose result nobody reads (a cell upsert, an event insert) is
/// queued and sent in the same pipeline as the next read or the COMMIT, so a kill costs
/// two round trips however many statements it runs: one that takes the append lock and
/// reads the cell, the chain head and the policy together, and one that writes the cell
/// and the event, notifies and commits.
final class PGTransaction {
    let conn: PGConnection
    private var queued: [Queued] = []
    /// Statements whose results the caller does not want, already sent, in order.
    private struct Queued {
        var statement: PGStatement
        /// When set, the statement must change exactly this many rows, else `error` is thrown.
        var expectRows: Int?
        var error: FlagDeckError?
    }

    init(conn: PGConnection) { self.conn = conn }

    /// Queues a statement to run before the next read or the commit.
    func defer_(_ s: PGStatement, expectRows: Int? = nil, else error: FlagDeckError? = nil) {
        queued.append(Queued(statement: s, expectRows: expectRows, error: error))
    }

    var hasQueued: Bool { !queued.isEmpty }

    /// Runs the queued statements, then `statements`, in one round trip; returns the
    /// results of `statements` only.
    func run(_ statements: [PGStatement]) throws(PGError) -> [PGResult] {
        let pending = queued
        queued.removeAll()
        let all = pending.map(\.statement) + statements
        let results = try conn.pipeline(all)
        for (i, q) in pending.enumerated() {
            if let n = q.expectRows, results[i].affectedRows != n, let e = q.error {
                throw PGFailure.flagdeck(e)
            }
        }
        return Array(results.suffix(statements.count))
    }

    func one(_ sql: String, _ params: [String?] = []) throws(PGError) -> PGResult {
        try run([PGStatement(sql, params)])[0]
    }
}

/// A flagdeck refusal discovered while checking a queued write; carried through
/// `PGError`-typed paths and unwrapped by the store.
enum PGFailure {
    static func flagdeck(_ e: FlagDeckError) -> PGError {
        PGError(kind: .other, message: e.description, target: "", carried: e)
    }
}
