import FlagDeckCore
import Foundation

/// Hears every commit to a team database: `LISTEN flagdeck` on a connection of its own,
/// whose notifications carry the new head seq. Built for a UI's event loop: `poll` waits
/// at most the time given (socket readiness via `poll(2)` on `PQsocket`), and when the
/// connection drops it reconnects in the background of later polls, without blocking,
/// with backoff — reporting `.reconnecting` until it is back and then `.resumed` once,
/// so the caller reloads whatever it missed meanwhile (polling is only that fallback).
public final class PostgresListener {
    public enum Status: Sendable, Equatable {
        case listening
        /// The connection is gone; `attempt` counts reconnection attempts so far.
        case reconnecting(attempt: Int, lastError: String)
    }

    /// What one `poll` found.
    public struct Update: Sendable, Equatable {
        /// Seqs committed since the last poll, in the order they were announced.
        public var seqs: [Int64]
        public var status: Status
        /// True on the first poll after a reconnection: reload, notifications were missed.
        public var resumed: Bool
    }

    private let target: String
    private var conn: PGConnection?
    private var connecting: PGConnecting?
    private var nextAttempt = Date.distantPast
    private var backoff: TimeInterval = 0.05
    private var attempts = 0
    private var lastError = ""
    public private(set) var status: Status = .listening

    /// Connects (blocking, once) and starts listening.
    public init(url target: String) throws(FlagDeckError) {
        self.target = target
        do {
            let c = try PGConnection(target)
            try c.query("LISTEN \(PostgresSchema.channel)")
            conn = c
        } catch {
            throw PostgresStore.map(error)
        }
    }

    /// Waits up to `timeoutMs` for commits. Never blocks longer than that, even while the
    /// server is down.
    public func poll(timeoutMs: Int32) -> Update {
        if let c = conn {
            do {
                var seqs = try Self.seqs(c.notifications())
                if seqs.isEmpty, timeoutMs > 0, c.waitReadable(timeoutMs: timeoutMs) {
                    seqs = try Self.seqs(c.notifications())
                }
                return Update(seqs: seqs, status: .listening, resumed: false)
            } catch {
                conn = nil
                lastError = error.description
                status = .reconnecting(attempt: 0, lastError: lastError)
                nextAttempt = Date()
                backoff = 0.05
            }
        }
        return Update(seqs: [], status: advanceReconnect(timeoutMs: timeoutMs), resumed: conn != nil)
    }

    private func advanceReconnect(timeoutMs: Int32) -> Status {
        let deadline = Date().addingTimeInterval(Double(max(0, timeoutMs)) / 1000)
        repeat {
            if connecting == nil {
                guard Date() >= nextAttempt else {
                    let wait = min(nextAttempt.timeIntervalSinceNow, deadline.timeIntervalSinceNow)
                    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                    continue
                }
                attempts += 1
                do { connecting = try PGConnecting(target) } catch { fail(error) }
            }
            if let pending = connecting {
                let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
                do {
                    if let c = try pending.poll(timeoutMs: min(left, 50)) {
                        connecting = nil
                        try c.query("LISTEN \(PostgresSchema.channel)")
                        conn = c
                        attempts = 0
                        status = .listening
                        return status
                    }
                } catch {
                    fail(error)
                }
            }
        } while Date() < deadline
        status = .reconnecting(attempt: attempts, lastError: lastError)
        return status
    }

    private func fail(_ error: PGError) {
        connecting = nil
        lastError = error.description
        nextAttempt = Date().addingTimeInterval(backoff)
        backoff = min(backoff * 2, 1)
    }

    static func seqs(_ ns: [PGNotification]) -> [Int64] {
        ns.filter { $0.channel == PostgresSchema.channel }.compactMap { Int64($0.payload) }
    }
}
