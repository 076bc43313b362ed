import Foundation

/// Everything the core reads, inside one consistent snapshot.
public protocol StoreReading {
    func environments() throws -> [Environment]
    /// One environment by its full ID; the mutation path resolves what the operator
    /// typed with these two lookups instead of loading every environment.
    func environment(_ id: EnvironmentID) throws -> Environment?
    /// Every environment called `name`, in any account.
    func environments(named name: String) throws -> [Environment]

    func flags() throws -> [Flag]
    func flag(key: String) throws -> Flag?
    func flagCount() throws -> Int
    /// A page of flags in key order (byte order) after `key` (nil: from the start): what a
    /// first frame needs without reading 10,000 flags.
    func flags(after key: String?, limit: Int) throws -> [Flag]

    /// Every cell, ordered by flag key then environment display order.
    func states() throws -> [FlagState]
    func states(flag: String) throws -> [FlagState]
    /// The cells of several flags (any order), for a screenful of rows.
    func states(flags: [String]) throws -> [FlagState]
    func state(flag: String, env: EnvironmentID) throws -> FlagState?
    /// The cells of `flag` in every environment `envText` can name (`ACCOUNT/ENV` names
    /// one, a bare `ENV` one per account that has it), with their environments. One
    /// query, because a kill would otherwise spend a statement resolving the environment
    /// before reading the cell; the caller decides what zero or several matches mean.
    func cells(flag: String, envMatching envText: String) throws -> [(Environment, FlagState)]
    /// Streams every cell in storage order (no sorting): for whole-inventory analytics
    /// that group cells themselves. At 10,000 flags × 50 environments `states()` spends
    /// most of its time sorting and materialising rows; this spends none.
    func forEachState(_ body: (FlagState) throws -> Void) throws
    /// The cells of the `part`-th of `parts` slices of the flags (every cell of a flag is
    /// in the same slice; together the slices are every cell once), so several
    /// connections can share a whole-grid read. Any backend may slice however it reads
    /// fastest; the default reads everything and keeps its slice.
    func forEachState(part: Int, of parts: Int, _ body: (FlagState) throws -> Void) throws

    func events(_ query: AuditQuery) throws -> [AuditEvent]
    /// Streams every event in seq order, for verification, replay and migration.
    func forEachEvent(_ body: (AuditEvent) throws -> Bool) throws
    func eventCount() throws -> Int64
    func head() throws -> AuditHead?
    /// The newest event with `action` for each flag that has one, keyed by flag: the
    /// lifecycle analytics read the last kill or review mark of 10,000 flags without
    /// reading the million events themselves.
    func latestEventPerFlag(action: String) throws -> [String: AuditEvent]
    /// The same for several actions at once, keyed by action then flag: the grid needs each
    /// flag's last kill and last review mark, and one pass over the log serves both.
    func latestEventPerFlag(actions: [String]) throws -> [String: [String: AuditEvent]]
    /// The same for a few flags only (the visible rows of a first frame).
    func latestEvents(flags: [String], action: String) throws -> [String: AuditEvent]

    func settings() throws -> [String: String]
    /// One setting; hot on every mutation (the access policy), so not a table scan.
    func setting(_ key: String) throws -> String?

    /// Overrides, optionally narrowed to one flag and/or environment, in (flag, env, id) order.
    func overrides(flag: String?, env: EnvironmentID?) throws -> [Override]

    func sourceBindings() throws -> [SourceBinding]
    func sourceFlags(binding: Int64) throws -> [SourceFlagRecord]
    /// One flag's record: a push reads only its own flag's, not the whole document's.
    func sourceFlag(binding: Int64, flag: String) throws -> SourceFlagRecord?
    func pendingIntents() throws -> [PushIntent]
}

extension StoreReading {
    /// A pass per action, for stores without a better way.
    public func latestEventPerFlag(actions: [String]) throws -> [String: [String: AuditEvent]] {
        var out: [String: [String: AuditEvent]] = [:]
        for a in actions { out[a] = try latestEventPerFlag(action: a) }
        return out
    }

    public func overrides() throws -> [Override] { try overrides(flag: nil, env: nil) }
}

extension StoreReading {
    public func forEachState(part: Int, of parts: Int, _ body: (FlagState) throws -> Void) throws {
        guard parts > 1 else { return try forEachState(body) }
        try forEachState { s in
            if Int(UInt(bitPattern: s.flagKey.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }) % UInt(parts)) == part { try body(s) }
        }
    }
}
