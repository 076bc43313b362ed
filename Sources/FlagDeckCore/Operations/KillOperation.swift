import Foundation

/// The kill switch. A kill only sets `killed`, leaving the state underneath intact so
/// unkill restores it exactly; a reason is always required because the next on-call
/// engineer will need to know why.
extension Operations {
    @discardableResult
    public func kill(flag: String, env: String, reason: String, expectedVersion: Int64? = nil) throws -> MutationResult {
        try changeCell(flag: flag, env: env, action: AuditAction.kill, reason: reason,
                       expectedVersion: expectedVersion, reasonAlwaysRequired: true) { (s: inout FlagState) throws(FlagDeckError) in
            guard !s.killed else { throw .alreadyKilled(flag: s.flagKey, env: s.env.path) }
            s.killed = true
        }
    }

    /// Kills the flag in every environment in one transaction, one event per environment.
    /// Environments where it is already killed are skipped and reported.
    @discardableResult
    public func killEverywhere(flag: String, reason: String, expectedVersions: [EnvironmentID: Int64] = [:]) throws -> MutationResult {
        try changeEverywhere(flag: flag, action: AuditAction.kill, reason: reason, expectedVersions: expectedVersions,
                             skip: { $0.killed }, apply: { $0.killed = true },
                             nothing: { .alreadyKilled(flag: flag, env: "every environment") })
    }

    func changeEverywhere(flag: String, action: String, reason: String, expectedVersions: [EnvironmentID: Int64],
                          skip: @escaping (FlagState) -> Bool, apply: @escaping (inout FlagState) -> Void,
                          nothing: @escaping () -> FlagDeckError) throws -> MutationResult {
        let now = clock()
        return try recordingDenial(action: action, flag: flag, env: nil, reason: reason) {
          try store.write { w in
            guard try w.flag(key: flag) != nil else { throw FlagDeckError.unknownFlag(flag) }
            let envs = Dictionary(uniqueKeysWithValues: try w.environments().map { ($0.id, $0) })
            var result = MutationResult(states: [], events: [], skipped: [])
            for s in try w.states(flag: flag) {
                guard let env = envs[s.env] else { continue }
                if skip(s) { result.skipped.append(s.env.path); continue }
                let (next, e) = try mutateCell(w, s, env: env, action: action, reason: reason,
                                               expectedVersion: expectedVersions[s.env], reasonAlwaysRequired: true,
                                               now: now) { (x: inout FlagState) throws(FlagDeckError) in apply(&x) }
                result.states.append(next)
                result.events.append(e)
            }
            if result.events.isEmpty { throw nothing() }
            return result
          }
        }
    }
}
