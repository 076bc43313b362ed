import Foundation
import GRDB

/// Row mapping, by column name. Cells are decoded in one place (`CellColumns`), on the C
/// API because both the kill path and the 500,000-cell grid scan are measured against a
/// bare C-API baseline; everything else maps GRDB rows by name.
enum SQLiteRows {
    static let flagColumns = "key, description, owner, type, tags, created_at, expires_at, depends_on, value_kind, variants, version"
    static let eventColumns = "seq, at, operator, host, action, flag, env, before, after, reason, prev_hash, hash"
    /// The cell's own columns, as `CellColumns` reads them.
    static let cellColumns = "s.enabled AS enabled, s.killed AS killed, s.rollout_bp AS rollout_bp, s.rules AS rules, "
        + "s.default_value AS default_value, s.version AS version, s.changed_at AS changed_at, s.changed_by AS changed_by"
    /// A cell with its flag key and environment, its row ids and its environment's columns.
    static let cellSelect = """
        SELECT f.key AS key, e.account AS account, e.name AS name, \(cellColumns),
               s.flag_id AS flag_id, s.env_id AS env_id, e.display_order AS display_order, e.protected AS protected,
               e.version AS env_version
        FROM flag_state s JOIN flag f ON f.id = s.flag_id JOIN environment e ON e.id = s.env_id
        """

    static func environment(from r: Row) -> Environment {
        Environment(id: EnvironmentID(account: r["account"], name: r["name"]), displayOrder: r["display_order"],
                    isProtected: r["protected"], version: r["version"])
    }

    static func flagArguments(_ f: Flag) -> StatementArguments {
        [f.key, f.description, f.owner, f.type.rawValue, stringArrayJSON(f.tags), UTC.format(f.createdAt),
         f.expiresAt.map(UTC.format), stringArrayJSON(f.dependsOn), f.valueKind.rawValue, Variant.encodeList(f.variants),
         f.version]
    }

    static func stringArrayJSON(_ a: [String]) -> String { JSONWriter.compact(.array(a.map { .string($0) })) }

    static func stringArray(_ s: String) -> [String] {
        guard s != "[]", case .array(let a)? = try? JSONParser.parse(s) else { return [] }
        return a.compactMap(\.stringValue)
    }
}

/// Where a cell's columns are in a statement's rows, found by name once per statement.
struct CellColumns {
    let enabled, killed, rollout, rules, defaultValue, version, changedAt, changedBy: Int32

    init(_ s: HotStatement) {
        enabled = s.column("enabled")
        killed = s.column("killed")
        rollout = s.column("rollout_bp")
        rules = s.column("rules")
        defaultValue = s.column("default_value")
        version = s.column("version")
        changedAt = s.column("changed_at")
        changedBy = s.column("changed_by")
    }

    /// The one `FlagState` decoder.
    func state(_ s: HotStatement, flag: String, env: EnvironmentID) -> FlagState {
        var fresh = Recent()
        return state(s, flag: flag, env: env, recent: &fresh)
    }

    /// The texts of the cell decoded last, shared by the next cell where its bytes match.
    struct Recent {
        var rules = "[]", defaultValue = "false", changedBy = ""
    }

    func state(_ s: HotStatement, flag: String, env: EnvironmentID, recent: inout Recent) -> FlagState {
        recent.rules = s.text(rules, like: recent.rules)
        recent.defaultValue = s.text(defaultValue, like: recent.defaultValue)
        recent.changedBy = s.text(changedBy, like: recent.changedBy)
        return FlagState(flagKey: flag, env: env, enabled: s.bool(enabled), killed: s.bool(killed),
                         rolloutBasisPoints: s.int(rollout), rules: recent.rules, defaultValue: recent.defaultValue,
                         version: s.int64(version), changedAt: s.storedDate(changedAt) ?? .distantPast,
                         changedBy: recent.changedBy)
    }
}

/// Where a flag's columns (`SQLiteRows.flagColumns`) are in a statement's rows, found by
/// name once per statement. The C API, not GRDB rows: the dashboard reads all 10,000
/// flags before the grid is ready, and GRDB's row copies and lookups by name were most of
/// that read.
struct FlagColumns {
    let key, description, owner, type, tags, createdAt, expiresAt, dependsOn, valueKind, variants, version: Int32

    init(_ s: HotStatement) {
        key = s.column("key")
        description = s.column("description")
        owner = s.column("owner")
        type = s.column("type")
        tags = s.column("tags")
        createdAt = s.column("created_at")
        expiresAt = s.column("expires_at")
        dependsOn = s.column("depends_on")
        valueKind = s.column("value_kind")
        variants = s.column("variants")
        version = s.column("version")
    }

    func flag(_ s: HotStatement) -> Flag {
        Flag(key: s.text(key), description: s.text(description), owner: s.optionalText(owner),
             type: FlagType(rawValue: s.text(type)) ?? .release, tags: SQLiteRows.stringArray(s.text(tags)),
             createdAt: s.storedDate(createdAt) ?? .distantPast, expiresAt: s.storedDate(expiresAt),
             dependsOn: SQLiteRows.stringArray(s.text(dependsOn)), valueKind: ValueKind(rawValue: s.text(valueKind)) ?? .boolean,
             variants: Variant.decodeList(s.text(variants)), version: s.int64(version))
    }
}

/// Where an event's columns (`SQLiteRows.eventColumns`) are in a statement's rows; the C
/// API for the same reason as `FlagColumns` (the grid reads the last kill of every flag).
struct EventColumns {
    let seq, at, op, host, action, flag, env, before, after, reason, prevHash, hash: Int32

    init(_ s: HotStatement) {
        seq = s.column("seq")
        at = s.column("at")
        op = s.column("operator")
        host = s.column("host")
        action = s.column("action")
        flag = s.column("flag")
        env = s.column("env")
        before = s.column("before")
        after = s.column("after")
        reason = s.column("reason")
        prevHash = s.column("prev_hash")
        hash = s.column("hash")
    }

    func event(_ s: HotStatement) -> AuditEvent {
        AuditEvent(seq: s.int64(seq), at: s.text(at), operator: s.text(op), host: s.text(host), action: s.text(action),
                   flag: s.optionalText(flag), env: s.optionalText(env), before: s.optionalText(before),
                   after: s.optionalText(after), reason: s.text(reason), prevHash: s.text(prevHash), hash: s.text(hash))
    }
}
