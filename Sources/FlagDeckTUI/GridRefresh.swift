import FlagDeckCore
import Foundation

/// Live refresh: the audit events after `GridData.seq` say what changed, so only those
/// flags' rows are re-read and their hints follow from the events themselves. Neither
/// the cells of other flags nor the audit log is read again; only a change of structure
/// (an environment added or edited, a bulk import) needs the whole grid.
extension GridData {
    /// More events than this since the last refresh, and reading the whole grid is cheaper.
    static let incrementalLimit = 500

    enum Refresh: Equatable {
        case upToDate
        /// Applied; the data now reflects the events up to `seq`.
        case applied
        /// Structure changed (or too much did): read the whole grid.
        case reload
    }

    /// Applies what happened after `seq`, read in the snapshot `r`.
    mutating func catchUp(from r: any StoreReading, now: Date) throws -> Refresh {
        let events = try r.events(AuditQuery(afterCursor: seq, limit: Self.incrementalLimit + 1, ascending: true))
        guard !events.isEmpty else {
            // A log shorter than what we showed: the file was replaced or restored.
            return (try r.head()?.seq ?? 0) < seq ? .reload : .upToDate
        }
        guard events.count <= Self.incrementalLimit else { return .reload }
        var flags: Set<String> = []
        var settingsChanged = false
        for e in events {
            switch e.action {
            case AuditAction.settingSet, AuditAction.policySet: settingsChanged = true
            case AuditAction.initialize, AuditAction.envCreate, AuditAction.envEdit: return .reload
            default:
                guard let f = e.flag else { return .reload }
                flags.insert(f)
                lifecycle.record(e)
                markOrigin(e, flag: f)
            }
        }
        if settingsChanged {
            policy = AccessPolicy.decode(try r.setting(AccessPolicy.settingKey))
            lifecycle.settings = try LifecycleSettings.load(from: r)
        }
        try reread(flags: flags, from: r, now: now)
        // New thresholds judge every flag again, from what is already loaded, as it shows.
        if settingsChanged { forgetHints() }
        seq = events.last!.seq
        return .applied
    }

    /// A `sync` event is a change made outside flagdeck: its cell is marked until the
    /// next event on it (any change made through flagdeck clears it).
    mutating func markOrigin(_ e: AuditEvent, flag: String) {
        guard let path = e.env, let env = try? EnvironmentID(parsing: path) else { return }
        let key = CellKey(flag: flag, env: env)
        if e.action == AuditAction.sync { external.insert(key) } else { external.remove(key) }
        // Gone from its document (a sync says so in the event's source stamp), or back.
        if e.action == AuditAction.sync, e.after?.contains("\"absent\":true") == true {
            absent.insert(key)
        } else if e.after?.contains("\"source\":") == true {
            absent.remove(key)
        }
    }

    /// Re-reads the named flags' rows; a flag created meanwhile gets a row in key order
    /// (while loading, only if it falls among the loaded rows: the rest are coming).
    mutating func reread(flags keys: Set<String>, from r: any StoreReading, now: Date) throws {
        guard !keys.isEmpty else { return }
        let envIndex = Dictionary(uniqueKeysWithValues: environments.enumerated().map { ($1.id, $0) })
        var cells: [String: [FlagState?]] = [:]
        for s in try r.states(flags: Array(keys)) {
            guard let j = envIndex[s.env] else { continue }
            cells[s.flagKey, default: Array(repeating: nil, count: environments.count)][j] = s
        }
        var inserted = false, unknown = false
        var new: [(Flag, GridRow)] = []
        // Rows already shown first, by their positions; inserting shifts positions.
        for key in keys {
            guard let flag = try r.flag(key: key) else { continue }
            let row = GridRow(flag: flag, cells: cells[key] ?? Array(repeating: nil, count: environments.count),
                              hint: lifecycle.gridHint(flag, cells[key] ?? [], now: now))
            if let i = index[key] {
                rows[i] = row
                allFlags[i] = flag
            } else {
                new.append((flag, row))
            }
        }
        for (flag, row) in new {
            let key = flag.key
            unknown = true
            if complete || rows.last.map({ Self.keyOrder(key, $0.flag.key) }) == true {
                let at = rows.firstIndex { Self.keyOrder(key, $0.flag.key) } ?? rows.count
                rows.insert(row, at: at)
                allFlags.insert(flag, at: at)
                inserted = true
            }
        }
        if inserted {
            index = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.flag.key, $0) })
        }
        if unknown { flagCount = try r.flagCount() }
    }
}
