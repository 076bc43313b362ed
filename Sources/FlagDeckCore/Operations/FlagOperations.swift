import Foundation

/// Creating and editing flags. A new flag gets a cell in every environment, disabled at
/// 100 %, so `enable` alone turns it fully on and nothing is live until someone says so.
extension Operations {
    @discardableResult
    public func createFlag(_ draft: Flag, reason: String = "") throws -> Flag {
        try transaction(AuditAction.flagCreate, flag: draft.key, env: nil, reason: reason) { tx in
            try tx.createFlag(draft, reason: reason)
        }
    }

    /// Applies `edit` to the stored flag. The key cannot change (it is the flag's identity
    /// in code and in the log).
    @discardableResult
    public func editFlag(_ key: String, reason: String = "", expectedVersion: Int64? = nil,
                         _ edit: (inout Flag) throws -> Void) throws -> Flag {
        try transaction(AuditAction.flagEdit, flag: key, env: nil, reason: reason) { tx in
            try tx.authorizeAny(action: "edit flags")
            guard let current = try tx.w.flag(key: key) else { throw FlagDeckError.unknownFlag(key) }
            if let expectedVersion, expectedVersion != current.version {
                throw try tx.conflict(subject: "flag \(key)", flag: key, env: nil, expected: expectedVersion,
                                      current: current.version, changedBy: "?", changedAt: tx.now,
                                      now: "see `flagdeck show \(key)`")
            }
            var next = current
            try edit(&next)
            next.key = current.key
            next.createdAt = current.createdAt
            guard next != current else { throw FlagDeckError.nothingToDo("no change to flag \(key); nothing written") }
            return try tx.updateFlag(from: current, to: next, action: AuditAction.flagEdit, reason: reason)
        }
    }
}

extension Transaction {
    /// A new flag with a cell in every environment; one `flag.create` event.
    func createFlag(_ draft: Flag, reason: String) throws -> Flag {
        try FlagKey.validate(draft.key)
        try authorizeAny(action: "create flags")
        var flag = draft
        flag.version = 1
        if try w.flag(key: flag.key) != nil { throw FlagDeckError.duplicateFlag(flag.key) }
        // A new flag has no dependents yet, so it cannot close a cycle: each dependency
        // need only exist (and not be the flag itself). No read of every flag, so the
        // generator's 10,000 creations stay linear.
        for d in flag.dependsOn {
            if d == flag.key { throw FlagDeckError.dependencyCycle([d, d]) }
            guard try w.flag(key: d) != nil else { throw FlagDeckError.unknownDependency(flag: flag.key, dependsOn: d) }
        }
        try w.insert(flag)
        for env in try w.environments() { try w.save(newCell(flag.key, env.id)) }
        try append(AuditAction.flagCreate, flag: flag.key, env: nil, before: nil, after: StateJSON.encode(flag), reason: reason)
        return flag
    }

    /// Stores an edited flag one version on, with its event.
    func updateFlag(from current: Flag, to edited: Flag, action: String, reason: String) throws -> Flag {
        var next = edited
        next.version = current.version + 1
        try validateDependencies(of: next, against: try w.flags().filter { $0.key != current.key })
        try w.update(next)
        try append(action, flag: current.key, env: nil, before: StateJSON.encode(current), after: StateJSON.encode(next),
                   reason: reason)
        return next
    }

    /// What every new cell is: disabled, at 100 % for when it is enabled.
    func newCell(_ flag: String, _ env: EnvironmentID) -> FlagState {
        FlagState(flagKey: flag, env: env, enabled: false, killed: false, rolloutBasisPoints: 10_000,
                  changedAt: now, changedBy: actor.name)
    }

    func validateDependencies(of flag: Flag, against others: [Flag]) throws {
        let known = Set(others.map(\.key))
        for d in flag.dependsOn where !known.contains(d) {
            if d == flag.key { throw FlagDeckError.dependencyCycle([d, d]) }
            throw FlagDeckError.unknownDependency(flag: flag.key, dependsOn: d)
        }
        if let c = DependencyGraph.cycle(adding: flag.key, dependsOn: flag.dependsOn, to: others) {
            throw FlagDeckError.dependencyCycle(c)
        }
    }
}
