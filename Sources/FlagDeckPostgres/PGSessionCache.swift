import FlagDeckCore

/// What one connection last knew about the rows a kill decides on: the chain head, the
/// settings it read (the access policy), whether any environment is bound to a source,
/// and the cells of the flags it touched. It lets a write that finds everything here
/// send its reads' *checks* with its writes and its COMMIT in one round trip instead of
/// asking first and writing second.
///
/// Nothing here is ever trusted: every value a write takes from it becomes a
/// `PGExpectation`, checked by the server under the append lock, before the write's own
/// statements, in the same pipeline. A value that moved aborts the transaction and the
/// write runs again reading everything afresh (see `PostgresStore.serialised`), so a
/// stale entry costs time, never correctness. Entries are refreshed from what this
/// connection commits and what its reads showed (the dashboard's screen), and dropped on
/// reconnect or when a check fails.
final class PGSessionCache {
    /// One cell with its environment, row ids and `changed_at` exactly as stored (the
    /// check compares text, so a reformatted date could never pass for the stored one).
    struct Cell {
        var env: Environment
        var state: FlagState
        var flagID: Int64
        var envID: Int64
        var changedAtText: String
    }

    var head: AuditHead?
    var settings: [String: String?] = [:]
    /// True when this connection last saw no source binding at all.
    var noBindings = false
    /// Every cell of a flag, by flag key, as last read or written here.
    private(set) var cells: [String: [Cell]] = [:]

    /// Bounds memory on a long-lived dashboard: past this many flags the cell entries
    /// start over (they are hints, re-read on the next miss).
    static let flagLimit = 2_000

    func clear() {
        head = nil
        settings = [:]
        noBindings = false
        cells = [:]
    }

    func setCells(_ list: [Cell], flag: String) {
        if cells[flag] == nil && cells.count >= Self.flagLimit { cells = [:] }
        cells[flag] = list
    }

    func dropCells(flag: String) { cells[flag] = nil }
    func dropAllCells() { cells = [:] }

    /// Records a committed cell write: the cached row becomes what was written.
    func committed(_ s: FlagState, flagID: Int64, envID: Int64) {
        guard var list = cells[s.flagKey], let i = list.firstIndex(where: { $0.envID == envID && $0.flagID == flagID }) else { return }
        list[i].state = s
        list[i].changedAtText = UTC.format(s.changedAt)
        cells[s.flagKey] = list
    }

    /// The cells `envText` names among a flag's cells: `ACCOUNT/ENV` one, a bare `ENV`
    /// one per account that has it, in account byte order as the server sorts them.
    static func matching(_ list: [Cell], envText: String) throws -> [Cell] {
        if envText.utf8.contains(UInt8(ascii: "/")) {
            let id = try EnvironmentID(parsing: envText)
            return list.filter { $0.env.id == id }
        }
        return list.filter { $0.env.id.name == envText }
            .sorted { $0.env.id.account.utf8.lexicographicallyPrecedes($1.env.id.account.utf8) }
    }
}
