import FlagDeckAWS
import Foundation

/// Deployments: which strategy, stopping what is in the way of a kill, and taking back a
/// hosted version that must not stay behind.
extension AppConfigSource {
    /// Starts the deployment of `version`. A kill first stops whatever deployment holds the
    /// environment (AppConfig runs one at a time; a baking one is stopped with Allow-Revert)
    /// and retries while the stopped one lets go; the receipt names both.
    func deploy(_ version: Int, strategy: AppConfigDeploymentStrategy, urgent: Bool, description: String,
                _ t: AppConfigBindingTarget) throws(SourceError) -> SourceReceipt {
        var details: [String: String] = ["strategy": strategy.name, "strategy_id": strategy.id,
                                         "application": t.application.id, "environment": t.environment.id,
                                         "configuration_profile": t.profile.id]
        if let a = client.accountId ?? t.accountId { details["account"] = a }
        var stopped: [AppConfigHistory.Deployment] = []
        let deadline = Date().addingTimeInterval(stopDeadline)
        while true {
            if urgent, let busy = try recentDeployments(t).first(where: { $0.phase.isInProgress }),
               busy.phase != .rollingBack, !stopped.contains(where: { $0.number == busy.number }) {
                do {
                    _ = try client.appConfig.stopDeployment(application: t.application.id, environment: t.environment.id,
                                                            number: busy.number, allowRevert: busy.phase == .baking)
                } catch {
                    // It may have completed between the list and the stop; anything else is real.
                    guard (error as? AWSError)?.code == "BadRequestException" else { throw fail(error, t) }
                }
                stopped.append(busy)
            }
            do {
                let d = try client.appConfig.startDeployment(AppConfigStartDeploymentRequest(
                    applicationId: t.application.id, environmentId: t.environment.id, deploymentStrategyId: strategy.id,
                    configurationProfileId: t.profile.id, configurationVersion: String(version),
                    description: String(description.prefix(1024))))
                state.withLock { $0.history.latestDeployment = max($0.history.latestDeployment ?? 0, d.deploymentNumber) }
                details["deployment"] = String(d.deploymentNumber)
                details["deployment_state"] = d.state.rawValue
                if !stopped.isEmpty {
                    details["stopped_deployment"] = stopped.map { String($0.number) }.joined(separator: ",")
                    details["stopped_version"] = stopped.map(\.versionText).joined(separator: ",")
                    details["stopped_state"] = stopped.map(\.phase.text).joined(separator: ",")
                }
                return SourceReceipt(version: String(version), details: details)
            } catch {
                let conflict = (error as? AWSError)?.code == "ConflictException"
                guard urgent, conflict, Date() < deadline else {
                    if conflict {
                        throw .unsupported(source: name, detail: "another deployment is in progress in \(t.environmentWords)"
                                           + " (\((error as? AWSError)?.failure?.message ?? "ConflictException")); AppConfig runs one at a time."
                                           + (urgent ? " It did not stop within \(Int(stopDeadline)) s" : " Retry when it completes, or kill"))
                    }
                    throw fail(error, t)
                }
                Thread.sleep(forTimeInterval: 0.2)  // a stopped deployment is rolling back; not a test
            }
        }
    }

    /// The strategy for ordinary changes (`--strategy`, default `AppConfig.AllAtOnce`).
    func ordinaryStrategy(_ t: AppConfigBindingTarget) throws(SourceError) -> AppConfigDeploymentStrategy {
        try strategy(options.strategy, createIfMissing: false)
    }

    /// The strategy for kills: `--kill-strategy`, else `flagdeck-immediate`, created in this
    /// account and region on first use.
    func killStrategy(_ t: AppConfigBindingTarget) throws(SourceError) -> AppConfigDeploymentStrategy {
        try strategy(options.killStrategyName, createIfMissing: options.killStrategy == nil)
    }

    private func strategy(_ wanted: String, createIfMissing: Bool) throws(SourceError) -> AppConfigDeploymentStrategy {
        if let s = state.withLock({ $0.strategies[wanted] }) { return s }
        let found: AppConfigDeploymentStrategy = try run {
            let ac = client.appConfig
            let all = try ac.listDeploymentStrategies()
            if let s = all.first(where: { $0.id == wanted }) { return s }
            let named = all.filter { $0.name == wanted }.sorted { $0.id < $1.id }
            if createIfMissing {
                // Two flagdecks creating it at once leave two equal ones: either will do.
                if let s = named.first(where: Self.isImmediate) { return s }
                var request = AppConfigCreateDeploymentStrategyRequest.immediate(name: wanted)
                request.description = "flagdeck kills: every target at once, no bake"
                return try ac.createDeploymentStrategy(request)
            }
            if named.count == 1 { return named[0] }
            let context = AWSErrorContext(profile: client.profileName, accountId: client.accountId, service: "appconfig",
                                          operation: "ListDeploymentStrategies", resource: nil)
            if named.count > 1 { throw AWSError.ambiguous(kind: "deployment strategy", wanted: wanted, matches: named.map(\.id), context: context) }
            throw AWSError.notFound(kind: "deployment strategy", wanted: wanted,
                                    available: all.map { "\($0.name) (\($0.id))" }.sorted(), context: context)
        }
        state.withLock { s in
            s.strategies[wanted] = found
            s.strategies[found.id] = found
        }
        return found
    }

    static func isImmediate(_ s: AppConfigDeploymentStrategy) -> Bool {
        (s.deploymentDurationInMinutes ?? 0) == 0 && (s.finalBakeTimeInMinutes ?? 0) == 0 && (s.growthFactor ?? 100) >= 100
    }

    /// A strategy's name for the dashboard (ids of predefined strategies are their names).
    func strategyName(_ id: String) throws(SourceError) -> String {
        if let s = state.withLock({ $0.strategies[id] }) { return s.name }
        let all = try run { try client.appConfig.listDeploymentStrategies() }
        state.withLock { s in for x in all where s.strategies[x.id] == nil { s.strategies[x.id] = x } }
        return all.first { $0.id == id }?.name ?? id
    }

    /// Deletes a version flagdeck just created and must not leave behind; false when it could
    /// not (then the caller says so).
    func undo(_ version: Int, _ t: AppConfigBindingTarget) -> Bool {
        do {
            try client.appConfig.deleteHostedConfigurationVersion(application: t.application.id, profile: t.profile.id, version: version)
            state.withLock { $0.history.forget(version) }
            shared.forget(t.application.id, t.profile.id, version)
            return true
        } catch {
            return false
        }
    }

    /// A version found by `findWrite`: deployed already (perhaps since rolled back, which
    /// sync records as an outside change) → it. Not deployed and still the newest → the
    /// interrupted push is finished now, so a kill recorded as applied has reached the
    /// applications. Superseded before it was deployed → nil: it never took effect.
    func completeWrite(_ version: Int, urgent: Bool, description: String, latest: Int,
                       _ t: AppConfigBindingTarget) throws(SourceError) -> Int? {
        for d in try profileDeployments(t) {
            if try versionNumber(d, t) == version {
                let found = SourceReceipt(version: String(version), details: ["deployment": String(d.number), "recovered": "true"])
                state.withLock { $0.lastRecovery = found }
                return version
            }
        }
        guard version == latest else { return nil }
        let strategy = try urgent ? killStrategy(t) : ordinaryStrategy(t)
        var receipt = try deploy(version, strategy: strategy, urgent: urgent, description: description, t)
        receipt.details["recovered"] = "true"
        let done = receipt
        state.withLock { $0.lastRecovery = done }
        return version
    }
}
