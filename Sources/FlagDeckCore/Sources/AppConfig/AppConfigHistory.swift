import FlagDeckAWS
import Foundation

/// Reading the newest hosted version and the newest deployments so that they are right on
/// AWS and on an emulator that neither paginates nor sorts its lists (ministack 1.5.33
/// returns the first 50 items in creation order and no `NextToken`).
///
/// AWS pages lists 50 at a time and returns deployments newest first, so one page of
/// deployments is all a poll needs. A list of a whole number of pages may hide newer items
/// (on the emulator, or past the pages read), so then the next numbers are asked for one
/// by one until one does not exist. Version and deployment numbers only grow; a number
/// skipped because its version was deleted ends that probe early, which only the emulator's
/// truncated lists can make matter.
enum AppConfigHistory {
    static let page = 50
    /// How many deployments past a truncated list are read again each time (their states move).
    static let refreshTail = 5
    static let cachedVersions = 16

    /// One deployment, from a list entry or a full GetDeployment answer.
    struct Deployment: Sendable, Hashable {
        var number: Int
        var configurationName: String?
        /// A version number, or (when it was deployed by label) a version label.
        var configurationVersion: String?
        /// Known from GetDeployment only: lists name the profile, not its id.
        var profileId: String?
        var phase: AppConfigDeploymentStatus.Phase
        var strategyId: String?
        var startedAt: Date?
        var completedAt: Date?

        init(_ s: AppConfigDeploymentSummary) {
            number = s.deploymentNumber
            configurationName = s.configurationName
            configurationVersion = s.configurationVersion
            phase = .init(state: s.state, percent: s.percentageComplete, triggeredBy: nil)
            startedAt = s.startedAt
            completedAt = s.completedAt
        }

        init(_ d: AppConfigDeployment) {
            number = d.deploymentNumber
            configurationName = d.configurationName
            configurationVersion = d.configurationVersion
            profileId = d.configurationProfileId
            phase = .init(state: d.state, percent: d.percentageComplete, triggeredBy: nil)
            strategyId = d.deploymentStrategyId
            startedAt = d.startedAt
            completedAt = d.completedAt
        }

        var versionText: String { configurationVersion.map { Int($0) != nil ? "v\($0)" : $0 } ?? "unknown version" }
    }

    /// What a driver remembers between calls. Hosted versions never change once created,
    /// so their content is kept (a few, most recent first).
    struct Cache {
        var hosted: [Int: AppConfigHostedVersion] = [:]
        var order: [Int] = []
        var latestHosted: Int?
        var latestDeployment: Int?
        var deploymentProfile: [Int: String] = [:]
        var labels: [String: Int] = [:]

        mutating func remember(_ h: AppConfigHostedVersion) {
            hosted[h.versionNumber] = h
            order.removeAll { $0 == h.versionNumber }
            order.insert(h.versionNumber, at: 0)
            if let l = h.versionLabel { labels[l] = h.versionNumber }
            while order.count > AppConfigHistory.cachedVersions { hosted[order.removeLast()] = nil }
            latestHosted = max(latestHosted ?? 0, h.versionNumber)
        }

        mutating func forget(_ version: Int) {
            hosted[version] = nil
            order.removeAll { $0 == version }
            latestHosted = nil
        }
    }

    static func isNotFound(_ error: Error) -> Bool {
        (error as? AWSError)?.code == "ResourceNotFoundException" || (error as? AWSError)?.httpStatus == 404
    }

    static func looksTruncated(_ count: Int) -> Bool { count >= page && count % page == 0 }
}

/// Whether the bytes AppConfigData served are a given hosted version. A freeform profile
/// is served byte for byte; an `AWS.AppConfig.FeatureFlags` profile is served flattened
/// (`{KEY: {"enabled", ATTR…}}`, a disabled flag's attributes left out), so those are
/// compared by meaning.
enum AppConfigServedForm {
    static func matches(served: Data, hosted: Data, featureFlags: Bool) -> Bool {
        if served == hosted { return true }
        guard featureFlags,
              let s = (try? JSONParser.parse([UInt8](served)))?.objectValue,
              let h = (try? JSONParser.parse([UInt8](hosted)))?.objectValue else { return false }
        let values = h["values"]?.objectValue ?? JSONObject()
        let flags = h["flags"]?.objectValue ?? JSONObject()
        let known = Set(values.keys).union(flags.keys)
        guard Set(s.keys).isSubset(of: known) else { return false }
        for key in known {
            let want = values[key]?.objectValue
            let got = s[key]?.objectValue
            let wantOn = want?["enabled"]?.boolValue ?? false
            guard (got?["enabled"]?.boolValue ?? false) == wantOn else { return false }
            guard wantOn, let got, let want else { continue }
            for (attr, value) in got.members where attr != "enabled" {
                // Compared as Python compares them: that is what a Powertools reader sees.
                guard let w = want[attr], JSONCompare.pyEqual(w, value) else { return false }
            }
        }
        return true
    }
}
