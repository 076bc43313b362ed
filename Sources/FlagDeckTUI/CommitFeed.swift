import FlagDeckCore
import FlagDeckPostgres
import Foundation

/// How the dashboard hears that someone committed. On SQLite it asks the store's change
/// token on every poll (one cheap query). On a team database it listens instead
/// (`LISTEN`/`NOTIFY`, `PostgresListener`): the store is read only when a commit was
/// announced, and while the server is away nothing is read at all — a read would wait
/// out the store's reconnect window and freeze the keyboard — the grid keeps what it
/// last showed and the status line says "reconnecting".
final class CommitFeed: @unchecked Sendable {
    enum Check: Equatable {
        /// Ask the store's change token (SQLite, or the fallback).
        case askStore
        /// Nothing was announced since the last check.
        case quiet
        /// Commits were announced: read what changed.
        case announced
        /// The connection came back: notifications were missed, read everything again.
        case resumed
        /// The server is away; `detail` says since when and why.
        case reconnecting(String)
    }

    private let listener: PostgresListener?

    /// A listener when `store` is on a server (opened from `url`) and can be listened to;
    /// else the change token, as before. A listener that cannot connect falls back to it.
    init(store: any FlagStore, url: String?) {
        if store is PostgresStore, let url, let l = try? PostgresListener(url: url) {
            listener = l
        } else {
            listener = nil
        }
    }

    var listens: Bool { listener != nil }

    /// Never blocks: a notification already received, or none.
    func check() -> Check {
        guard let listener else { return .askStore }
        let u = listener.poll(timeoutMs: 0)
        if u.resumed { return .resumed }
        switch u.status {
        case .listening: return u.seqs.isEmpty ? .quiet : .announced
        case .reconnecting(let attempt, let error):
            return .reconnecting(attempt == 0 ? error : "\(error) (attempt \(attempt))")
        }
    }
}
