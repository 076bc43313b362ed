/// When a write transaction's commit may return: after the disk has the change, or as
/// soon as the operating system has it.
///
/// Only one write may take the second: the one that finishes a push. Its change is
/// already durable twice before that commit runs — the push intent (operator, reason,
/// before, after, plan) was committed synced before the source was written, and the
/// source's own write was flushed. If a power loss takes this commit away, the intent is
/// still pending at the next open and `recoverPushes` records the change from it, with
/// its original operator and reason, exactly as after a crash between the write and the
/// commit. Waiting for the disk a second time would buy nothing but a flush per push
/// (on SQLite, a quarter of a bound kill's time). A process crash loses nothing either
/// way: the committed transaction is in the operating system's hands.
public enum CommitDurability: Sendable {
    /// The commit returns once the change is on disk (SQLite `synchronous=FULL`,
    /// PostgreSQL `synchronous_commit` as the server has it).
    case synced
    /// The change is carried by a push intent committed `synced` before the source was
    /// written; this commit does not wait for the disk.
    case backedByIntent
}
