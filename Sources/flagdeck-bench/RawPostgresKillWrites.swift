import FlagDeckCore
import FlagDeckPostgres
import Foundation

/// The write floor of a team-mode kill: what a kill must send and the server must do,
/// and nothing else, through libpq — BEGIN, the append lock, the cell's row updated, one
/// audit event inserted (its seq and prev_hash taken from the head under the lock; its
/// three index entries and the operator trigger), NOTIFY and COMMIT, pipelined and
/// prepared in one round trip, on its own connection as the same role.
///
/// `pg_kill_floor_vs_raw` is as close to the one-row commit as any kill could get while
/// writing its cell, its event and announcing the commit; what flagdeck adds above it
/// (the guard that checks its cached reads, the upsert, building and hashing the
/// event) is the kill's own cost. No policy, no version check, and the hash is not a
/// SHA-256 of anything: the bench database's chain does not verify after it.
final class RawPostgresKillWrites {
    let conn: PGConnection
    private let role: String

    init(_ url: String, role: String) throws {
        conn = try PGConnection(url)
        self.role = role
    }

    func killWrites(flag: String, env: EnvironmentID, _ i: Int) throws {
        let at = UTC.format(Date())
        let before = #"{"enabled":true,"killed":false,"rollout":100,"rules":[],"default":false,"version":3}"#
        let after = #"{"enabled":true,"killed":true,"rollout":100,"rules":[],"default":false,"version":4}"#
        let hash = String(repeating: "e", count: 48) + String(format: "%016llx", UInt64(i))
        let results = try conn.pipeline([
            PGStatement("BEGIN"),
            PGStatement("SELECT pg_advisory_xact_lock($1::bigint)", [String(PostgresSchema.appendLockKey)]),
            PGStatement("UPDATE flag_state SET killed = true, version = version + 1, changed_at = $1, changed_by = $2 "
                        + "WHERE flag_id = (SELECT id FROM flag WHERE key = $3) "
                        + "AND env_id = (SELECT id FROM environment WHERE account = $4 AND name = $5)",
                        [at, role, flag, env.account, env.name]),
            PGStatement("INSERT INTO audit_event (seq, at, operator, host, action, flag, env, before, after, reason, prev_hash, hash) "
                        + "SELECT h.seq + 1, $1, $2, 'bench', $3, $4, $5, $6, $7, 'bench: incident drill', h.hash, $8 "
                        + "FROM (SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1) h RETURNING seq",
                        [at, role, AuditAction.kill, flag, env.path, before, after, hash]),
            // The payload is the new seq, as the product's is.
            PGStatement("SELECT pg_notify($1, (SELECT max(seq) FROM audit_event)::text)", [PostgresSchema.channel]),
            PGStatement("COMMIT"),
        ])
        guard results[2].affectedRows == 1, results[3].rowCount == 1 else {
            throw BenchError("pg floor: the cell \(flag) in \(env) or the event was not written")
        }
    }
}
