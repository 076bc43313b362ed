import FlagDeckCore
import Foundation

/// The documented `--json` shapes (README "JSON output"). Field names are stable.
enum Render {
    static func environment(_ e: Environment) -> JSONValue {
        .object([("id", .string(e.id.path)), ("account", .string(e.id.account)), ("name", .string(e.id.name)),
                 ("protected", .bool(e.isProtected)), ("order", .int(Int64(e.displayOrder)))])
    }

    static func state(_ s: FlagState) -> JSONValue {
        .object([("state", .string(s.cell.name)), ("enabled", .bool(s.enabled)), ("killed", .bool(s.killed)),
                 ("rollout", .percent(basisPoints: s.rolloutBasisPoints)), ("version", .int(s.version)),
                 ("changed_at", .string(UTC.format(s.changedAt))), ("changed_by", .string(s.changedBy))])
    }

    static func stateDetail(_ s: FlagState) -> JSONValue {
        guard case .object(var m) = state(s) else { return state(s) }
        m["rules"] = .embedded(s.rules)
        m["default"] = .embedded(s.defaultValue)
        return .object(m)
    }

    static func flag(_ f: FlagDeckCore.Flag, states: [FlagState], envs: [Environment], detail: Bool, now: Date) -> JSONValue {
        let byEnv = Dictionary(states.map { ($0.env, $0) }, uniquingKeysWith: { a, _ in a })
        let lastChange = states.map(\.changedAt).max()
        var members: [(String, JSONValue)] = [
            ("key", .string(f.key)), ("type", .string(f.type.rawValue)), ("owner", .optional(f.owner)),
            ("description", .string(f.description)), ("tags", .array(f.tags.map(JSONValue.string))),
            ("created_at", .string(UTC.format(f.createdAt))), ("expires", .optional(f.expiresAt.map(UTC.formatDay))),
            ("depends_on", .array(f.dependsOn.map(JSONValue.string))), ("value_kind", .string(f.valueKind.rawValue)),
            ("version", .int(f.version)),
            ("last_change", .optional(lastChange.map(UTC.format))),
            ("age_seconds", lastChange.map { .int(Int64(max(0, now.timeIntervalSince($0)))) } ?? .null),
        ]
        if !f.variants.isEmpty {
            members.append(("variants", .array(f.variants.map {
                .object([("name", .string($0.name)), ("value", .embedded($0.value)), ("weight", .int(Int64($0.weight)))])
            })))
        }
        members.append(("states", .object(JSONObject(envs.compactMap { e in
            byEnv[e.id].map { (e.id.path, detail ? stateDetail($0) : state($0)) }
        }))))
        return .object(JSONObject(members))
    }

    static func event(_ e: AuditEvent) -> JSONValue {
        .object([("seq", .int(e.seq)), ("at", .string(e.at)), ("operator", .string(e.operator)), ("host", .string(e.host)),
                 ("action", .string(e.action)), ("flag", .optional(e.flag)), ("env", .optional(e.env)),
                 ("before", e.before.map(JSONValue.embedded) ?? .null), ("after", e.after.map(JSONValue.embedded) ?? .null),
                 ("reason", .string(e.reason)), ("prev_hash", .string(e.prevHash)), ("hash", .string(e.hash))])
    }

    /// `3h`, `12d`, `5mo`: coarse on purpose, it answers "how long has this been still".
    static func age(_ seconds: TimeInterval) -> String { Age.compact(seconds) }

    /// Left-aligned text columns sized to their content.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
