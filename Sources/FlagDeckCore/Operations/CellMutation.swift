import Foundation

/// A cell change the rules accepted, not yet written.
struct PlannedCell {
    var env: Environment
    var current: FlagState
    var next: FlagState
    var change: CellChange
    var reason: String
}

extension Decision {
    /// Decides a cell change: the version the caller saw, the access policy, the reason
    /// rule, then the change's own rules. Returns nil for an idempotent no-op. Refusals
    /// come first, so a no-op by someone who may not make the change is still refused.
    func plan(_ current: FlagState, in env: Environment, _ change: CellChange, reason: String?,
              expectedVersion: Int64?) throws -> PlannedCell? {
        if let expectedVersion, expectedVersion != current.version {
            throw try conflict(subject: "\(current.flagKey) in \(env.id)", flag: current.flagKey, env: env.id.path,
                               expected: expectedVersion, current: current.version, changedBy: current.changedBy,
                               changedAt: current.changedAt, now: StateJSON.summary(current))
        }
        try authorize(env: env.id, action: change.action)
        let why = (reason ?? "").trimmingWhitespace()
        if why.isEmpty && (change.reasonAlwaysRequired || env.isProtected) {
            throw FlagDeckError.reasonRequired(action: change.action, env: env.id.path)
        }
        guard let next = try change.applied(to: current) else { return nil }
        return PlannedCell(env: env, current: current, next: next, change: change, reason: why)
    }

    /// The cell of `flag` in the environment `envText` names, with that environment: one
    /// query on the hot path, the full lookups only to word a refusal (the environment
    /// first — unknown or ambiguous — then the flag).
    func cell(flag key: String, env envText: String) throws -> (Environment, FlagState) {
        let matches = try r.cells(flag: key, envMatching: envText)
        if matches.count == 1, let only = matches.first { return only }
        let env = try EnvironmentResolver.resolve(envText, in: r)
        guard try r.flag(key: key) != nil else { throw FlagDeckError.unknownFlag(key) }
        throw FlagDeckError.internalInvariant("flag \(key) has no state in \(env.id)")
    }
}

extension Transaction {
    func plan(_ current: FlagState, in env: Environment, _ change: CellChange, reason: String?,
              expectedVersion: Int64?) throws -> PlannedCell? {
        try decide.plan(current, in: env, change, reason: reason, expectedVersion: expectedVersion)
    }

    func cell(flag key: String, env envText: String) throws -> (Environment, FlagState) {
        try decide.cell(flag: key, env: envText)
    }

    /// Writes a planned change: the version moves on by one, the author and time are this
    /// transaction's, and the audit event carries both snapshots (with where the change
    /// went, for a bound cell).
    func commit(_ p: PlannedCell, source: SourceStamp? = nil) throws -> (FlagState, AuditEvent) {
        try record(p.change.action, from: p.current, to: p.next, env: p.env.id, reason: p.reason, source: source)
    }

    /// Saves `next` one version on from `current` and appends its event.
    func record(_ action: String, from current: FlagState, to target: FlagState, env: EnvironmentID, reason: String,
                source: SourceStamp?) throws -> (FlagState, AuditEvent) {
        var next = target
        next.version = current.version + 1
        next.changedAt = now
        next.changedBy = actor.name
        try w.save(next)
        let event = try append(action, flag: current.flagKey, env: env.path, before: StateJSON.encode(current),
                               after: StateJSON.encode(next, source: source), reason: reason)
        return (next, event)
    }

    /// Plan and commit in one step; nil for a no-op.
    func change(_ current: FlagState, in env: Environment, _ change: CellChange, reason: String?,
                expectedVersion: Int64?) throws -> (FlagState, AuditEvent)? {
        try plan(current, in: env, change, reason: reason, expectedVersion: expectedVersion).map { try commit($0) }
    }

}

extension Operations {
    /// The shared path for a change to one cell named as the operator typed it.
    /// `expectedVersion` is asked once the environment is resolved: the dashboard knows
    /// versions by environment, the CLI's `--expect-version` is one number.
    func changeCell(flag key: String, env envText: String, _ change: CellChange, reason: String?,
                    expectedVersion: (EnvironmentID) -> Int64?) throws -> MutationResult {
        if let hinted = sources.hints.binding(store: store.location, env: envText) {
            do {
                return try push(hinted, flag: key, env: envText, change, reason: reason, expectedVersion: expectedVersion,
                                checkBinding: true)
            } catch is BindingMoved {
                sources.hints.forget(store: store.location, env: envText)
            } catch FlagDeckError.nothingToDo(let why) {
                return MutationResult(unchangedReason: why)
            }
        }
        do {
            return try transaction(change.action, flag: key, env: nil, reason: reason) { tx in
                let (env, current) = try tx.cell(flag: key, env: envText)
                if let b = try tx.decide.binding(for: key, in: env.id) {
                    throw BoundCell(binding: b, sole: try tx.decide.isSoleDocument(b))
                }
                guard let (next, event) = try tx.change(current, in: env, change, reason: reason,
                                                        expectedVersion: expectedVersion(env.id)) else {
                    throw FlagDeckError.nothingToDo(change.unchangedReason(current))
                }
                return MutationResult(states: [next], events: [event])
            }
        } catch let bound as BoundCell {
            if bound.sole { sources.hints.remember(bound.binding, store: store.location, env: envText) }
            do {
                return try push(bound.binding, flag: key, env: envText, change, reason: reason, expectedVersion: expectedVersion)
            } catch FlagDeckError.nothingToDo(let why) {
                return MutationResult(unchangedReason: why)
            }
        } catch FlagDeckError.nothingToDo(let why) {
            return MutationResult(unchangedReason: why)
        }
    }

    /// A bound cell's change goes where the application reads it.
    func push(_ binding: SourceBinding, flag key: String, env envText: String, _ change: CellChange, reason: String?,
              expectedVersion: (EnvironmentID) -> Int64?, checkBinding: Bool = false) throws -> MutationResult {
        switch try SourceURI(parsing: binding.uri) {
        case .dynamoDB:
            return try recordingDenial(change.action, flag: key, reason: reason) {
                try pushJobs(binding, flag: key, env: envText, change, reason: reason, expectedVersion: expectedVersion)
            }
        default:
            return try recordingDenial(change.action, flag: key, reason: reason) {
                try pushDocument(binding, flag: key, env: envText, .cell(change), reason: reason, expectedVersion: expectedVersion,
                                 checkBinding: checkBinding)
            }
        }
    }

    func changeCell(flag key: String, env envText: String, _ change: CellChange, reason: String?,
                    expectedVersion: Int64?) throws -> MutationResult {
        try changeCell(flag: key, env: envText, change, reason: reason, expectedVersion: { _ in expectedVersion })
    }
}
