import Foundation

/// The storage boundary the operations are written against. SQLite and PostgreSQL
/// implement the same protocols and run the same store contract suite, so nothing above
/// `Store/` may assume either: no file outside it imports GRDB or knows SQL.
public protocol FlagStore: AnyObject, Sendable {
    /// Human-readable location (a path, or a URL without its password), shown in headers.
    var location: String { get }
    var isReadOnly: Bool { get }
    func read<T>(_ body: (any StoreReading) throws -> T) throws -> T
    /// Runs `body` in one serialized transaction. The transaction is rolled back unless
    /// it appended at least one audit event: no path may change state without one.
    /// `durability` is `.synced` except where a push intent already carries the change.
    func write<T>(_ durability: CommitDurability, _ body: (any StoreWriting) throws -> T) throws -> T
    /// The one write that needs no audit event: the push journal (intents recorded before
    /// a source is written and removed once the change is audited) and a binding's sync
    /// bookkeeping (version read, time, error). Neither changes a flag.
    func journal<T>(_ body: (any JournalWriting) throws -> T) throws -> T
    /// Cheap "has anything changed since?" probe for live views.
    func changeToken() throws -> ChangeToken
    /// Backend-specific health checks for `flagdeck doctor` (integrity, journal mode…).
    func healthChecks() -> [StoreHealthCheck]
}

extension FlagStore {
    /// A write that returns once the disk has it: every write but a push's last.
    public func write<T>(_ body: (any StoreWriting) throws -> T) throws -> T { try write(.synced, body) }
}

/// Changes when any process commits. Comparing two tokens costs one query, not a reload.
public struct ChangeToken: Hashable, Sendable {
    public var dataVersion: Int64
    public var headSeq: Int64
    public init(dataVersion: Int64, headSeq: Int64) {
        self.dataVersion = dataVersion
        self.headSeq = headSeq
    }
}

/// One line of `doctor` that only the backend can check.
public struct StoreHealthCheck: Sendable, Hashable {
    public enum Status: String, Sendable { case ok, warn, fail }
    public var check: String
    public var status: Status
    public var detail: String
    public var fix: String?

    public init(check: String, status: Status, detail: String, fix: String? = nil) {
        self.check = check
        self.status = status
        self.detail = detail
        self.fix = fix
    }
}
