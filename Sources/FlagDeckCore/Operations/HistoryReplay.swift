import Foundation

/// Recorded history written in bulk: many changes, each with its own operator and moment,
/// in one large transaction. The generator writes a million events this way (one
/// `Operations` call per event would take hours), through the very same transaction
/// bodies and cell rules as the CLI, so there is one set of rules.
///
/// Only the demo and the generator use it. The CLI and the dashboard never choose who or
/// when: they use `Operations` with the OS account and the real clock.
public struct HistoryReplay: Sendable {
    public let store: any FlagStore

    public init(store: any FlagStore) { self.store = store }

    /// Runs `body` in one store transaction.
    public func batch<T>(_ body: (ReplayBatch) throws -> T) throws -> T {
        try store.write { w in try body(ReplayBatch(w: w)) }
    }
}

/// The changes one replay transaction can make. Each returns the audit event it wrote.
public struct ReplayBatch {
    let w: any StoreWriting

    func tx(_ actor: Actor, _ at: Date) -> Transaction { Transaction(w: w, actor: actor, now: at) }

    @discardableResult
    public func initialize(as actor: Actor, at: Date) throws -> AuditEvent {
        try tx(actor, at).initialize()
    }

    @discardableResult
    public func createEnvironment(_ id: EnvironmentID, protected: Bool, as actor: Actor, at: Date,
                                  reason: String) throws -> (Environment, AuditEvent) {
        let env = try tx(actor, at).createEnvironment(id, protected: protected, reason: reason)
        return (env, try lastEvent())
    }

    @discardableResult
    public func createFlag(_ flag: Flag, as actor: Actor, at: Date, reason: String) throws -> (Flag, AuditEvent) {
        let f = try tx(actor, at).createFlag(flag, reason: reason)
        return (f, try lastEvent())
    }

    /// Stores `edited` one version on from the stored flag.
    @discardableResult
    public func editFlag(_ edited: Flag, as actor: Actor, at: Date, reason: String) throws -> (Flag, AuditEvent) {
        guard let current = try w.flag(key: edited.key) else { throw FlagDeckError.unknownFlag(edited.key) }
        let f = try tx(actor, at).updateFlag(from: current, to: edited, action: AuditAction.flagEdit, reason: reason)
        return (f, try lastEvent())
    }

    /// One cell change under the same rules as `Operations`; nil when it changes nothing.
    @discardableResult
    public func change(flag: String, env: EnvironmentID, _ change: CellChange, as actor: Actor, at: Date,
                       reason: String) throws -> (FlagState, AuditEvent)? {
        let t = tx(actor, at)
        let (environment, current) = try t.cell(flag: flag, env: env.path)
        return try t.change(current, in: environment, change, reason: reason, expectedVersion: nil)
    }

    private func lastEvent() throws -> AuditEvent {
        guard let h = try w.head(), let e = try w.events(AuditQuery(afterCursor: h.seq - 1, limit: 1, ascending: true)).first else {
            throw FlagDeckError.internalInvariant("replay wrote no event")
        }
        return e
    }
}
