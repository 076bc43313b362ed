import Foundation

extension AppConfigSource {
    /// What the last `readServed` found (served version, newest deployment and its phase,
    /// AppConfigData's interval), without another call: the dashboard shows the deployment
    /// state from the poll sync just made. Nil before the first successful read.
    public var lastServedState: AppConfigServedState? { state.withLock { $0.lastServed } }
}
