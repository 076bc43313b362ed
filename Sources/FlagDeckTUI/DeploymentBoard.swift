import FlagDeckCore
import Foundation

/// Where each AppConfig binding's newest deployment stands, as its last poll found it. The
/// state is not in the database (a deployment moving from 40 % to complete commits
/// nothing), so the `SourceWatcher` posts it here from its poll threads and the event
/// loop reads a snapshot per frame, redrawing when the snapshot changed.
final class DeploymentBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var byBinding: [Int64: BindingDeployment] = [:]

    func post(_ d: BindingDeployment, binding id: Int64) {
        lock.withLock { byBinding[id] = d }
    }

    /// Drops bindings that are gone (removed with `source remove`).
    func keep(only ids: Set<Int64>) {
        lock.withLock { byBinding = byBinding.filter { ids.contains($0.key) } }
    }

    /// One entry per environment: the most pressing of its bindings' states.
    var snapshot: [EnvironmentID: BindingDeployment] {
        let all = lock.withLock { Array(byBinding.values) }
        return Dictionary(all.map { ($0.env, $0) }) { a, b in a.urgency >= b.urgency ? a : b }
    }
}

/// One AppConfig binding's deployment state for the grid: the newest deployment of its
/// profile to its environment, and the sync status sentence (`v4 staged, v3 deployed`).
public struct BindingDeployment: Sendable, Hashable {
    public var env: EnvironmentID
    /// Nil when the profile was never deployed there.
    public var deployment: AppConfigDeploymentStatus?
    /// `SyncReport.status`: nil when the latest hosted version is deployed and complete.
    public var status: String?

    public init(env: EnvironmentID, deployment: AppConfigDeploymentStatus?, status: String?) {
        self.env = env
        self.deployment = deployment
        self.status = status
    }

    /// Which binding speaks for an environment with several: a failure first, then a
    /// deployment under way, then anything else.
    var urgency: Int {
        switch deployment?.phase {
        case .failed, .rolledBack, .rollingBack: 3
        case .some(let p) where p.isInProgress: 2
        case .reverted, .other: 1
        default: 0
        }
    }
}
