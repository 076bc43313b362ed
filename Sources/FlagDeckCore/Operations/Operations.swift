import Foundation

/// The only way state changes. The CLI, the dashboard, the importers, the demo and the
/// generator all call these functions, so each change is validated by the same rules and
/// written in one transaction together with its audit event.
///
/// `clock` says when a change happens. The CLI and the dashboard always use the real
/// clock: `--now` only judges ages, hints and schedules, and must never backdate the log.
/// Tests, the demo builder and the generator pass their own, because they replay history.
public struct Operations: Sendable {
    public let store: any FlagStore
    public let actor: Actor
    public let clock: @Sendable () -> Date
    /// The drivers for bound sources (files, AppConfig, DynamoDB), kept per process.
    public let sources: SourceDrivers

    public init(store: any FlagStore, actor: Actor = .current(), clock: @escaping @Sendable () -> Date = { Date() },
                sources: SourceDrivers = .shared) {
        self.store = store
        self.actor = actor
        self.clock = clock
        self.sources = sources
    }
}

/// What a mutation did: the cells after the change and their audit events.
public struct MutationResult: Sendable {
    public var states: [FlagState]
    public var events: [AuditEvent]
    /// Environments left alone because they were already as asked (an all-environments kill
    /// skips cells that are already killed).
    public var skipped: [String]
    /// Why nothing was written, when nothing was: converging scripts re-run a change that
    /// is already in place, and that is success, not an error.
    public var unchangedReason: String?
    /// Environments of an all-environments change whose source could not be written, with
    /// why; the others went through (a kill never waits for one broken source).
    public var failed: [(env: String, error: String)]

    public init(states: [FlagState] = [], events: [AuditEvent] = [], skipped: [String] = [], unchangedReason: String? = nil,
                failed: [(env: String, error: String)] = []) {
        self.states = states
        self.events = events
        self.skipped = skipped
        self.unchangedReason = unchangedReason
        self.failed = failed
    }

    /// False for an idempotent no-op: no event was written.
    public var changed: Bool { !events.isEmpty }
    public var lastSeq: Int64? { events.last?.seq }
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
