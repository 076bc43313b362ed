import Foundation

/// What a push carries to a document: a change of the cell itself, or of one of its
/// overrides. Overrides live in the document too where its format has them (Powertools
/// rules, flagd targeting, features_config overrides), so setting one in a bound
/// environment must reach the file like any other change, through the same journal.
enum PushChange: Sendable, Equatable {
    case cell(CellChange)
    case override(OverrideEdit)

    var action: String {
        switch self {
        case .cell(let c): c.action
        case .override(let e): e.action
        }
    }

    /// Only a kill skips the "changed outside" check and deploys at once.
    var isKill: Bool { self == .cell(.kill) }
}

/// One override set or removed, as a push intent records it: whole, so recovery after a
/// crash can finish storing exactly what the document received.
enum OverrideEdit: Sendable, Equatable {
    /// `replacing` is the override with the same key and value it replaces, if any.
    case set(Override, replacing: Override?)
    case remove(Override)

    var action: String {
        switch self {
        case .set: AuditAction.overrideSet
        case .remove: AuditAction.overrideRemove
        }
    }

    /// The cell's overrides once the edit is made.
    func applied(to list: [Override]) -> [Override] {
        switch self {
        case .set(let o, let old):
            return list.filter { $0.id != old?.id } + [o]
        case .remove(let o):
            return list.filter { $0.id != o.id }
        }
    }

    var json: JSONValue {
        switch self {
        case .set(let o, let old):
            .object(JSONObject([("op", .string("set")), ("override", Self.encode(o)), ("replacing", old.map(Self.encode) ?? .null)]))
        case .remove(let o):
            .object(JSONObject([("op", .string("remove")), ("override", Self.encode(o))]))
        }
    }

    init?(json: JSONValue) {
        guard case .object(let o) = json, let op = o["op"]?.stringValue, let main = o["override"].flatMap(Self.decode) else { return nil }
        switch op {
        case "set": self = .set(main, replacing: o["replacing"].flatMap(Self.decode))
        case "remove": self = .remove(main)
        default: return nil
        }
    }

    static func encode(_ o: Override) -> JSONValue {
        .object(JSONObject([("id", .int(o.id)), ("flag", .string(o.flagKey)), ("env", .string(o.env.path)),
                            ("key", .string(o.contextKey)), ("equals", o.matchValue), ("serve", .string(o.serve)),
                            ("expires", o.expiresAt.map { .string(UTC.format($0)) } ?? .null),
                            ("created_at", .string(UTC.format(o.createdAt))), ("created_by", .string(o.createdBy))]))
    }

    static func decode(_ v: JSONValue) -> Override? {
        guard case .object(let o) = v, case .int(let id)? = o["id"], let flag = o["flag"]?.stringValue,
              let envText = o["env"]?.stringValue, let env = try? EnvironmentID(parsing: envText),
              let key = o["key"]?.stringValue, let equals = o["equals"], let serve = o["serve"]?.stringValue,
              let createdText = o["created_at"]?.stringValue, let created = UTC.parseStored(createdText),
              let by = o["created_by"]?.stringValue else { return nil }
        let expires = o["expires"]?.stringValue.flatMap(UTC.parseStored)
        return Override(id: id, flagKey: flag, env: env, contextKey: key, matchValue: equals, serve: serve,
                        expiresAt: expires, createdAt: created, createdBy: by)
    }
}
