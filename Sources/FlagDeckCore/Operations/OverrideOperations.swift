import Foundation

/// Overrides: "in this cell, when context key K equals V, serve X". They change what a
/// cell serves, so the policy and the protected-environment reason rule apply as for any
/// cell change, and each set or removal writes one audit event.
extension Operations {
    /// Sets (or replaces) "when `key` equals `equals`, serve `serve`" for one cell.
    @discardableResult
    public func setOverride(flag: String, env envText: String, key: String, equals: JSONValue, serve: JSONValue,
                            expires: Date? = nil, reason: String = "") throws -> Override {
        guard !key.isEmpty else { throw FlagDeckError.invalidJSON(field: "--key", detail: "the context key must not be empty") }
        if let job = try setJobOverride(flag: flag, env: envText, key: key, equals: equals, serve: serve, expires: expires,
                                        reason: reason) { return job }
        return try transaction(AuditAction.overrideSet, flag: flag, env: envText, reason: reason) { tx in
            let env = try EnvironmentResolver.resolve(envText, in: tx.w)
            try tx.authorize(env: env.id, action: "set overrides")
            guard let f = try tx.w.flag(key: flag) else { throw FlagDeckError.unknownFlag(flag) }
            if f.valueKind == .boolean, serve.boolValue == nil {
                throw FlagDeckError.invalidJSON(field: "--serve", detail: "\(flag) is a boolean flag; serve true or false")
            }
            if env.isProtected && reason.trimmingWhitespace().isEmpty {
                throw FlagDeckError.reasonRequired(action: "set an override", env: env.id.path)
            }
            if let expires, expires <= tx.now { throw FlagDeckError.invalidDate("\(UTC.format(expires)) is already past") }
            let match = JSONWriter.compact(equals)
            let before = try tx.w.overrides(flag: flag, env: env.id).first {
                $0.contextKey == key && JSONWriter.compact($0.matchValue) == match
            }
            let o = try tx.w.upsert(Override(flagKey: flag, env: env.id, contextKey: key, matchValue: equals,
                                             serve: JSONWriter.compact(serve), expiresAt: expires,
                                             createdAt: tx.now, createdBy: tx.actor.name))
            try tx.append(AuditAction.overrideSet, flag: flag, env: env.id.path, before: before?.json, after: o.json, reason: reason)
            return o
        }
    }

    /// Removes the override with `id` (see `override list`).
    @discardableResult
    public func removeOverride(id: Int64, reason: String = "") throws -> Override {
        if let o = try store.read({ try $0.overrides().first { $0.id == id } }), let job = try removeJobOverride(o, reason: reason) {
            return job
        }
        return try transaction(AuditAction.overrideRemove, flag: nil, env: nil, reason: reason) { tx in
            guard let o = try tx.w.overrides().first(where: { $0.id == id }) else {
                throw FlagDeckError.invalidArgument("no override with id \(id) (see `flagdeck override list`)")
            }
            let env = try EnvironmentResolver.resolve(o.env.path, in: tx.w)
            try tx.authorize(env: env.id, action: "remove overrides")
            if env.isProtected && reason.trimmingWhitespace().isEmpty {
                throw FlagDeckError.reasonRequired(action: "remove an override", env: env.id.path)
            }
            try tx.w.deleteOverride(id: id)
            try tx.append(AuditAction.overrideRemove, flag: o.flagKey, env: o.env.path, before: o.json, after: nil, reason: reason)
            return o
        }
    }
}
