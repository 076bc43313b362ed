import FlagDeckCore

/// One transaction on one connection, with writes held back until something needs their
/// effect. A statement whose result nobody reads (a cell upsert, an event insert) is
/// queued and sent in the same pipeline as the next read or the COMMIT.
///
/// Reads answered from the connection's cache (`PGSessionCache`) leave an expectation
/// instead of a round trip. The expectations travel as one guard statement placed right
/// after the transaction's prologue (BEGIN and the append lock), before every queued
/// write, so a kill whose reads were all cached is one round trip: BEGIN, lock, guard,
/// cell upsert, event insert, NOTIFY, COMMIT. A kill whose cell is not cached takes two:
/// the prologue with the reads, then the writes with the commit.
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
    /// How many queued statements are the prologue; the guard goes right after them.
    private var prologue = 0
    private var expectations: [PGExpectation] = []
    /// True once anything was sent: from then on every read is asked of the server.
    private(set) var sentAny = false

    init(conn: PGConnection) { self.conn = conn }

    /// Queues a statement to run before the next read or the commit.
    func defer_(_ s: PGStatement, expectRows: Int? = nil, else error: FlagDeckError? = nil) {
        queued.append(Queued(statement: s, expectRows: expectRows, error: error))
    }

    /// Marks what is queued so far (BEGIN, the append lock) as the prologue.
    func endPrologue() { prologue = queued.count }

    var hasQueued: Bool { !queued.isEmpty }
    /// True while writes are queued beyond the prologue.
    var hasQueuedWrites: Bool { queued.count > prologue }
    /// Whether a read may still be answered from the cache: nothing has been sent, so
    /// the guard can still go before every write.
    var mayExpect: Bool { !sentAny }
    var hasExpectations: Bool { !expectations.isEmpty }

    func expect(_ e: PGExpectation) {
        precondition(!sentAny, "an expectation after the first round trip could not be checked before the writes")
        expectations.append(e)
    }

    /// Runs the queued statements (with the guard, if reads were taken from the cache),
    /// then `statements`, in one round trip; returns the results of `statements` only.
    /// A guard that fails throws `.staleRead`: nothing of this transaction was written.
    func run(_ statements: [PGStatement]) throws(PGError) -> [PGResult] {
        var pending = queued
        queued.removeAll()
        var guardIndex: Int?
        if !expectations.isEmpty {
            guardIndex = prologue
            pending.insert(Queued(statement: PGExpectation.guardStatement(expectations)), at: prologue)
            expectations.removeAll()
        }
        sentAny = true
        let all = pending.map(\.statement) + statements
        let results: [PGResult]
        do throws(PGError) {
            results = try conn.pipeline(all)
        } catch {
            if let guardIndex, error.statementIndex == guardIndex, !error.isConnectionLoss {
                throw PGError(kind: .staleRead, message: "a cached read no longer holds", target: error.target)
            }
            throw error
        }
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

/// A flagdeck refusal discovered while checking a queued write's outcome; carried through
/// `PGError`-typed paths and unwrapped by the store.
enum PGFailure {
    static func flagdeck(_ e: FlagDeckError) -> PGError {
        PGError(kind: .other, message: e.description, target: "", carried: e)
    }
}
