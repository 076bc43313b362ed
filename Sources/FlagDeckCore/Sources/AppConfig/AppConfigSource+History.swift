import FlagDeckAWS
import Foundation

/// Hosted versions and deployments as the driver reads them (see `AppConfigHistory` for
/// why lists are not taken at their word).
extension AppConfigSource {
    /// One hosted version with its content; versions never change, so each is fetched once.
    func hostedVersion(_ n: Int, _ t: AppConfigBindingTarget) throws(SourceError) -> AppConfigHostedVersion {
        if let h = state.withLock({ $0.history.hosted[n] }) { return h }
        if let h = shared.hosted(t.application.id, t.profile.id, n) {
            state.withLock { $0.history.remember(h) }
            return h
        }
        let h = try run { try client.appConfig.getHostedConfigurationVersion(application: t.application.id, profile: t.profile.id, version: n) }
        remember(h)
        return h
    }

    func remember(_ h: AppConfigHostedVersion) {
        state.withLock { $0.history.remember(h) }
        shared.remember(h)
    }

    /// The newest hosted version number; nil when the profile has none.
    func latestHosted(_ t: AppConfigBindingTarget) throws(SourceError) -> Int? {
        let known = state.withLock { $0.history.latestHosted }
        let items = try run {
            try client.appConfig.listHostedConfigurationVersions(application: t.application.id, profile: t.profile.id,
                                                                 maxItems: known == nil ? nil : AppConfigHistory.page)
        }
        var latest = items.map(\.versionNumber).max() ?? 0
        for i in items { if let l = i.versionLabel { state.withLock { $0.history.labels[l] = i.versionNumber } } }
        if AppConfigHistory.looksTruncated(items.count) {
            latest = max(latest, known ?? 0)
            while true {
                do {
                    let next = try client.appConfig.getHostedConfigurationVersion(application: t.application.id,
                                                                                  profile: t.profile.id, version: latest + 1)
                    remember(next)
                    latest += 1
                } catch {
                    if AppConfigHistory.isNotFound(error) { break }
                    throw fail(error, t)
                }
            }
        }
        let found = latest
        state.withLock { $0.history.latestHosted = found == 0 ? nil : found }
        return found == 0 ? nil : found
    }

    /// Numbers in `(low, high)` that exist as hosted versions: whoever else wrote in between.
    func versionsBetween(_ low: Int, _ high: Int, _ t: AppConfigBindingTarget) throws(SourceError) -> [Int] {
        guard high > low + 1 else { return [] }
        var found: [Int] = []
        for v in (low + 1)..<high {
            do {
                _ = try client.appConfig.getHostedConfigurationVersion(application: t.application.id, profile: t.profile.id, version: v)
                found.append(v)
            } catch {
                if AppConfigHistory.isNotFound(error) { continue }
                throw fail(error, t)
            }
        }
        return found
    }

    /// The environment's deployments, every profile's, newest first (one page, plus what a
    /// truncated page hides).
    func recentDeployments(_ t: AppConfigBindingTarget) throws(SourceError) -> [AppConfigHistory.Deployment] {
        let ac = client.appConfig
        let items = try run { try ac.listDeployments(application: t.application.id, environment: t.environment.id,
                                                     maxItems: AppConfigHistory.page) }
        var byNumber: [Int: AppConfigHistory.Deployment] = [:]
        for i in items { byNumber[i.deploymentNumber] = AppConfigHistory.Deployment(i) }
        let listedMax = byNumber.keys.max() ?? 0
        if AppConfigHistory.looksTruncated(items.count) {
            let known = state.withLock { $0.history.latestDeployment } ?? 0
            var n = max(listedMax + 1, known - AppConfigHistory.refreshTail + 1)
            while true {
                do {
                    let d = try ac.getDeployment(application: t.application.id, environment: t.environment.id, number: n)
                    byNumber[n] = AppConfigHistory.Deployment(d)
                    if let p = d.configurationProfileId { state.withLock { $0.history.deploymentProfile[n] = p } }
                    n += 1
                } catch {
                    if AppConfigHistory.isNotFound(error), n > known { break }
                    if AppConfigHistory.isNotFound(error) { n += 1; continue }
                    throw fail(error, t)
                }
            }
        }
        let newest = byNumber.keys.max()
        state.withLock { s in if let newest { s.history.latestDeployment = max(s.history.latestDeployment ?? 0, newest) } }
        return byNumber.values.sorted { $0.number > $1.number }
    }

    /// This profile's deployments to this environment, newest first.
    func profileDeployments(_ t: AppConfigBindingTarget) throws(SourceError) -> [AppConfigHistory.Deployment] {
        let all = try recentDeployments(t)
        var mine: [AppConfigHistory.Deployment] = []
        for var d in all {
            if d.profileId == nil, d.configurationName == t.profile.name, t.profileNameShared {
                d.profileId = try profileOf(d.number, t)
            }
            if let p = d.profileId {
                if p == t.profile.id { mine.append(d) }
            } else if d.configurationName == t.profile.name {
                mine.append(d)
            }
        }
        return mine
    }

    private func profileOf(_ number: Int, _ t: AppConfigBindingTarget) throws(SourceError) -> String? {
        if let p = state.withLock({ $0.history.deploymentProfile[number] }) { return p }
        let d = try run { try client.appConfig.getDeployment(application: t.application.id, environment: t.environment.id, number: number) }
        if let p = d.configurationProfileId { state.withLock { $0.history.deploymentProfile[number] = p } }
        return d.configurationProfileId
    }

    /// A deployment's version as a number (StartDeployment also accepts a version label).
    func versionNumber(_ d: AppConfigHistory.Deployment, _ t: AppConfigBindingTarget) throws(SourceError) -> Int? {
        guard let v = d.configurationVersion else { return nil }
        if let n = Int(v) { return n }
        if let n = state.withLock({ $0.history.labels[v] }) { return n }
        let all = try run { try client.appConfig.listHostedConfigurationVersions(application: t.application.id, profile: t.profile.id) }
        for i in all { if let l = i.versionLabel { state.withLock { $0.history.labels[l] = i.versionNumber } } }
        return state.withLock { $0.history.labels[v] }
    }

    /// Which hosted version the served bytes are, and the deployment that delivered them:
    /// the newest delivering deployment whose content they are (the newest one first while
    /// it is still deploying, since this session may already be among its targets).
    func servedVersion(_ poll: AppConfigDataPoll, _ deployments: [AppConfigHistory.Deployment], _ latest: Int?,
                       _ t: AppConfigBindingTarget) throws(SourceError) -> (Int, Int?)? {
        var candidates: [(Int, Int?)] = []
        if let label = poll.versionLabel, let n = state.withLock({ $0.history.labels[label] }) {
            candidates.append((n, deployments.first { $0.configurationVersion == String(n) || $0.configurationVersion == label }?.number))
        }
        for (i, d) in deployments.enumerated() where d.phase.delivers || (i == 0 && d.phase.isInProgress) {
            if let v = try versionNumber(d, t) { candidates.append((v, d.number)) }
            if candidates.count >= 6 { break }
        }
        if deployments.isEmpty, let latest { candidates.append((latest, nil)) }
        for (v, number) in candidates {
            guard let h = try? hostedVersion(v, t) else { continue }
            if AppConfigServedForm.matches(served: poll.document, hosted: h.content, featureFlags: t.isFeatureFlags) {
                return (v, number)
            }
        }
        return nil
    }

    func status(_ d: AppConfigHistory.Deployment, _ t: AppConfigBindingTarget) -> AppConfigDeploymentStatus {
        AppConfigDeploymentStatus(deploymentNumber: d.number, configurationVersion: try? versionNumber(d, t),
                                  phase: d.phase, strategy: d.strategyId, startedAt: d.startedAt, completedAt: d.completedAt)
    }
}
