import Foundation

/// The only way state changes. The CLI, the dashboard, the importers and the demo
/// builder all call these functions, so each change is validated the same way and is
/// written in one transaction together with its audit event.
public struct Operations: Sendable {
    public let store: any FlagStore
    public let actor: Actor
    public let clock: @Sendable () -> Date

    public init(store: any FlagStore, actor: Actor = .current(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.actor = actor
        self.clock = clock
    }
}

/// What a mutation did: the cells after the change and their audit events.
public struct MutationResult: Sendable {
    public var states: [FlagState]
    public var events: [AuditEvent]
    /// Environments left alone (for example already killed in an all-environments kill).
    public var skipped: [String]

    public var lastSeq: Int64? { events.last?.seq }
}

extension Operations {
    /// The shared path for every cell mutation: resolve, check the version the caller
    /// read, insist on a reason where required, apply, bump the version, audit.
    func changeCell(flag key: String, env envText: String, action: String, reason: String?,
                    expectedVersion: Int64?, reasonAlwaysRequired: Bool,
                    apply: (inout FlagState) throws(FlagDeckError) -> Void) throws -> MutationResult {
        let now = clock()
        return try recordingDenial(action: action, flag: key, env: nil, reason: reason) {
          try store.write { w in
            let matches = try w.cells(flag: key, envMatching: envText)
            guard matches.count == 1, let (env, current) = matches.first else {
                // Word the refusal as before: the environment (unknown, ambiguous), then the flag.
                let env = try EnvironmentResolver.resolve(envText, in: w)
                guard try w.flag(key: key) != nil else { throw FlagDeckError.unknownFlag(key) }
                throw FlagDeckError.internalInvariant("flag \(key) has no state in \(env.id)")
            }
            let e = try mutateCell(w, current, env: env, action: action, reason: reason,
                                   expectedVersion: expectedVersion, reasonAlwaysRequired: reasonAlwaysRequired,
                                   now: now, apply: apply)
            return MutationResult(states: [e.0], events: [e.1], skipped: [])
          }
        }
    }

    /// Applies one cell change inside an open transaction.
    func mutateCell(_ w: any StoreWriting, _ current: FlagState, env: Environment, action: String, reason: String?,
                    expectedVersion: Int64?, reasonAlwaysRequired: Bool, now: Date,
                    apply: (inout FlagState) throws(FlagDeckError) -> Void) throws -> (FlagState, AuditEvent) {
        if let expectedVersion, expectedVersion != current.version {
            throw FlagDeckError.conflict(try conflictDetail(w, subject: "\(current.flagKey) in \(env.id)",
                                                            flag: current.flagKey, env: env.id.path,
                                                            expected: expectedVersion, current: current.version,
                                                            changedBy: current.changedBy, changedAt: current.changedAt,
                                                            now: StateJSON.summary(current)))
        }
        try authorize(w, env: env.id, action: action)
        let why = (reason ?? "").trimmingWhitespace()
        if why.isEmpty && (reasonAlwaysRequired || env.isProtected) {
            throw FlagDeckError.reasonRequired(action: action, env: env.id.path)
        }
        var next = current
        try apply(&next)
        next.version = current.version + 1
        next.changedAt = now
        next.changedBy = actor.name
        try w.save(next)
        let event = try w.append(AuditDraft(at: now, actor: actor, action: action, flag: current.flagKey,
                                            env: env.id.path, before: StateJSON.encode(current),
                                            after: StateJSON.encode(next), reason: why))
        return (next, event)
    }

    func conflictDetail(_ r: any StoreReading, subject: String, flag: String, env: String?, expected: Int64,
                        current: Int64, changedBy: String, changedAt: Date, now: String) throws -> FlagDeckError.Conflict {
        let last = try r.events(AuditQuery(flag: flag, env: env, limit: 1)).first
        let what = last.map { $0.reason.isEmpty ? $0.action : "\($0.action): \($0.reason)" }
        return FlagDeckError.Conflict(subject: subject, expectedVersion: expected, currentVersion: current,
                                      changedBy: last?.operator ?? changedBy, changedAt: last?.at ?? UTC.format(changedAt),
                                      lastAction: what, now: now)
    }
}

extension StateJSON {
    /// One line for messages: "killed", "on", "off", "partial 25%".
    public static func summary(_ s: FlagState) -> String {
        switch s.cell {
        case .partial(let bp): "partial \(Percent.format(bp))%"
        default: s.cell.name + (s.killed ? " (underneath: \(s.enabled ? "enabled" : "disabled") at \(Percent.format(s.rolloutBasisPoints))%)" : "")
        }
    }
}
