import Foundation

/// Where a kill or unkill applies.
public enum KillScope: Sendable, Hashable {
    /// `ACCOUNT/ENV`, or an `ENV` that exactly one account has.
    case environment(String)
    /// Every environment the flag is in, in one transaction.
    case all
}

/// A kill or unkill as the dashboard and the CLI ask for it: both build one of these and
/// call `Operations.apply`, so there is one path from a confirmed dialog or prompt to the
/// audit row.
public struct KillRequest: Sendable, Hashable {
    public enum Direction: Sendable, Hashable { case kill, unkill }

    public var direction: Direction
    public var flag: String
    public var scope: KillScope
    public var reason: String
    /// The cell versions the caller displayed. A cell changed meanwhile by someone else is
    /// a conflict, not an overwrite; a cell missing here is taken as it is now.
    public var seenVersions: [EnvironmentID: Int64]

    public init(_ direction: Direction, flag: String, scope: KillScope, reason: String,
                seenVersions: [EnvironmentID: Int64] = [:]) {
        self.direction = direction
        self.flag = flag
        self.scope = scope
        self.reason = reason
        self.seenVersions = seenVersions
    }

    var change: CellChange { direction == .kill ? .kill : .unkill }
}

/// The kill switch. A kill only sets `killed`, so unkill restores the state underneath
/// exactly; a reason is always required. Killing what is already killed is success with
/// nothing written, so scripts that converge a state can simply re-run.
extension Operations {
    public func apply(_ r: KillRequest) throws -> MutationResult {
        switch r.scope {
        case .environment(let env):
            return try changeCell(flag: r.flag, env: env, r.change, reason: r.reason, expectedVersion: { r.seenVersions[$0] })
        case .all:
            return try changeEverywhere(r)
        }
    }

    /// One transaction, one event per environment; cells already as asked are skipped
    /// and reported. Cells of bound environments are checked in that transaction too (so
    /// a refusal anywhere stops the whole change before anything is written), then pushed
    /// to their sources one by one; one source that cannot be written does not stop the
    /// others.
    func changeEverywhere(_ r: KillRequest) throws -> MutationResult {
        struct LocalNoOp: Error { var result: MutationResult }
        var bound: [(SourceBinding, EnvironmentID)] = []
        var result: MutationResult
        do {
            result = try transaction(r.change.action, flag: r.flag, env: nil, reason: r.reason) { tx in
                guard try tx.w.flag(key: r.flag) != nil else { throw FlagDeckError.unknownFlag(r.flag) }
                let envs = Dictionary(uniqueKeysWithValues: try tx.w.environments().map { ($0.id, $0) })
                var result = MutationResult()
                for s in try tx.w.states(flag: r.flag) {
                    guard let env = envs[s.env] else { continue }
                    let seen = r.seenVersions[s.env]
                    if let b = try tx.decide.binding(for: r.flag, in: s.env) {
                        if try tx.plan(s, in: env, r.change, reason: r.reason, expectedVersion: seen) != nil {
                            bound.append((b, s.env))
                        } else {
                            result.skipped.append(s.env.path)
                        }
                        continue
                    }
                    guard let (next, e) = try tx.change(s, in: env, r.change, reason: r.reason, expectedVersion: seen) else {
                        result.skipped.append(s.env.path)
                        continue
                    }
                    result.states.append(next)
                    result.events.append(e)
                }
                if result.events.isEmpty { throw LocalNoOp(result: result) }
                return result
            }
        } catch let noop as LocalNoOp {
            result = noop.result
        }
        for (binding, env) in bound {
            do {
                let pushed = try push(binding, flag: r.flag, env: env.path, r.change, reason: r.reason,
                                      expectedVersion: { r.seenVersions[$0] })
                result.states += pushed.states
                result.events += pushed.events
                if pushed.events.isEmpty { result.skipped.append(env.path) }
            } catch {
                result.failed.append((env.path, "\(error)"))
            }
        }
        if result.events.isEmpty && result.failed.isEmpty {
            return MutationResult(skipped: result.skipped, unchangedReason: r.direction == .kill
                ? "\(r.flag) is already killed in every environment; nothing written"
                : "\(r.flag) is not killed in any environment; nothing written")
        }
        return result
    }

    // Conveniences for tests and the demo; the front ends build a `KillRequest`.
    @discardableResult
    public func kill(flag: String, env: String, reason: String, expectedVersion: Int64? = nil) throws -> MutationResult {
        try changeCell(flag: flag, env: env, .kill, reason: reason, expectedVersion: expectedVersion)
    }

    @discardableResult
    public func unkill(flag: String, env: String, reason: String, expectedVersion: Int64? = nil) throws -> MutationResult {
        try changeCell(flag: flag, env: env, .unkill, reason: reason, expectedVersion: expectedVersion)
    }

    @discardableResult
    public func killEverywhere(flag: String, reason: String, expectedVersions: [EnvironmentID: Int64] = [:]) throws -> MutationResult {
        try apply(KillRequest(.kill, flag: flag, scope: .all, reason: reason, seenVersions: expectedVersions))
    }

    @discardableResult
    public func unkillEverywhere(flag: String, reason: String, expectedVersions: [EnvironmentID: Int64] = [:]) throws -> MutationResult {
        try apply(KillRequest(.unkill, flag: flag, scope: .all, reason: reason, seenVersions: expectedVersions))
    }
}
