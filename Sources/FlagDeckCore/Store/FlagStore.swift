import Foundation

/// The storage boundary the operations are written against. SQLite is the first
/// backend; a shared PostgreSQL one will implement the same protocols and run the same
/// store test suite, so nothing above this file may assume SQLite.
public protocol FlagStore: AnyObject, Sendable {
    /// Human-readable location (a path for SQLite), shown in the dashboard header.
    var location: String { get }
    var isReadOnly: Bool { get }
    func read<T>(_ body: (any StoreReading) throws -> T) throws -> T
    /// Runs `body` in one serialized transaction. The transaction is rolled back unless
    /// it appended at least one audit event: no path may change state without one.
    func write<T>(_ body: (any StoreWriting) throws -> T) throws -> T
    /// Cheap "has anything changed since?" probe for live views.
    func changeToken() throws -> ChangeToken
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

public protocol StoreReading {
    func environments() throws -> [Environment]
    /// One environment by its full ID; the mutation path resolves what the operator
    /// typed with these two lookups instead of loading every environment.
    func environment(_ id: EnvironmentID) throws -> Environment?
    /// Every environment called `name`, in any account.
    func environments(named name: String) throws -> [Environment]
    func flags() throws -> [Flag]
    func flag(key: String) throws -> Flag?
    func states() throws -> [FlagState]
    func states(flag: String) throws -> [FlagState]
    func state(flag: String, env: EnvironmentID) throws -> FlagState?
    /// The cells of `flag` in every environment `envText` can name (`ACCOUNT/ENV` names
    /// one, a bare `ENV` one per account that has it), with their environments. One
    /// query, because a kill would otherwise spend a statement resolving the environment
    /// before reading the cell; the caller decides what zero or several matches mean.
    func cells(flag: String, envMatching envText: String) throws -> [(Environment, FlagState)]
    func events(_ query: AuditQuery) throws -> [AuditEvent]
    /// Streams every event in seq order, for verification and replay.
    func forEachEvent(_ body: (AuditEvent) throws -> Bool) throws
    func eventCount() throws -> Int64
    func head() throws -> AuditHead?
    func settings() throws -> [String: String]
    /// One setting; hot on every mutation (the access policy), so not a table scan.
    func setting(_ key: String) throws -> String?
    /// Streams every cell in storage order (no sorting): for whole-inventory analytics
    /// that group cells themselves. At 10,000 flags × 50 environments `states()` spends
    /// most of its time sorting and materialising rows; this spends none.
    func forEachState(_ body: (FlagState) throws -> Void) throws
    /// The newest event with `action` for each flag that has one, keyed by flag. One
    /// aggregate query over the covering `audit_event(flag, seq, action)` index, so the
    /// lifecycle analytics read the last kill or review mark of 10,000 flags without
    /// reading the million events themselves.
    func latestEventPerFlag(action: String) throws -> [String: AuditEvent]
}

public protocol StoreWriting: StoreReading {
    func insert(_ env: Environment) throws
    func update(_ env: Environment) throws
    func insert(_ flag: Flag) throws
    func update(_ flag: Flag) throws
    /// Insert the cell, or update it in place (an update leaves the indexes it does not
    /// change untouched, which a delete-and-insert would rewrite).
    func save(_ state: FlagState) throws
    func setSetting(_ key: String, _ value: String?) throws
    @discardableResult
    func append(_ draft: AuditDraft) throws -> AuditEvent
}
