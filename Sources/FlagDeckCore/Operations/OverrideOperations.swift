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
        do {
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
                var wanted = Override(flagKey: flag, env: env.id, contextKey: key, matchValue: equals,
                                      serve: JSONWriter.compact(serve), expiresAt: expires,
                                      createdAt: tx.now, createdBy: tx.actor.name)
                if let b = try tx.decide.binding(for: flag, in: env.id) {
                    wanted.id = before?.id ?? 0
                    throw BoundOverride(binding: b, env: env.id, edit: .set(wanted, replacing: before))
                }
                let o = try tx.w.upsert(wanted)
                try tx.append(AuditAction.overrideSet, flag: flag, env: env.id.path, before: before?.json, after: o.json, reason: reason)
                return o
            }
        } catch let bound as BoundOverride {
            try pushOverride(bound, flag: flag, reason: reason)
            guard case .set(let o, _) = bound.edit, let saved = try store.read({ r in
                try r.overrides(flag: flag, env: bound.env).first {
                    $0.contextKey == o.contextKey && JSONWriter.compact($0.matchValue) == JSONWriter.compact(o.matchValue)
                }
            }) else { throw FlagDeckError.internalInvariant("the override pushed to \(bound.binding.uri) was not stored") }
            return saved
        }
    }

    /// Removes the override with `id` (see `override list`).
    @discardableResult
    public func removeOverride(id: Int64, reason: String = "") throws -> Override {
        if let o = try store.read({ try $0.overrides().first { $0.id == id } }), let job = try removeJobOverride(o, reason: reason) {
            return job
        }
        do {
            return try transaction(AuditAction.overrideRemove, flag: nil, env: nil, reason: reason) { tx in
                guard let o = try tx.w.overrides().first(where: { $0.id == id }) else {
                    throw FlagDeckError.invalidArgument("no override with id \(id) (see `flagdeck override list`)")
                }
                let env = try EnvironmentResolver.resolve(o.env.path, in: tx.w)
                try tx.authorize(env: env.id, action: "remove overrides")
                if env.isProtected && reason.trimmingWhitespace().isEmpty {
                    throw FlagDeckError.reasonRequired(action: "remove an override", env: env.id.path)
                }
                if let b = try tx.decide.binding(for: o.flagKey, in: env.id) {
                    throw BoundOverride(binding: b, env: env.id, edit: .remove(o))
                }
                try tx.w.deleteOverride(id: id)
                try tx.append(AuditAction.overrideRemove, flag: o.flagKey, env: o.env.path, before: o.json, after: nil, reason: reason)
                return o
            }
        } catch let bound as BoundOverride {
            guard case .remove(let o) = bound.edit else { throw FlagDeckError.internalInvariant("override removal lost its edit") }
            try pushOverride(bound, flag: o.flagKey, reason: reason)
            return o
        }
    }

    /// An override of a cell in a bound environment goes to the document, through the same
    /// journal and compare-and-swap as every other push.
    func pushOverride(_ bound: BoundOverride, flag: String, reason: String) throws {
        if case .dynamoDB = try SourceURI(parsing: bound.binding.uri) {
            throw SourceError.unsupported(source: bound.binding.uri, detail: "per-job values are changed with the DynamoDB commands")
        }
        _ = try recordingDenial(bound.edit.action, flag: flag, reason: reason) {
            try pushDocument(bound.binding, flag: flag, env: bound.env.path, .override(bound.edit), reason: reason,
                             expectedVersion: { _ in nil })
        }
    }
}

/// Thrown inside an override's transaction when its environment is bound: nothing was
/// written, and the edit takes the push path.
struct BoundOverride: Error {
    let binding: SourceBinding
    let env: EnvironmentID
    let edit: OverrideEdit
}
