import FlagDeckAWS
import Foundation

/// Where one AppConfig deployment stands, in the words the grid and the kill dialog use.
public struct AppConfigDeploymentStatus: Sendable, Hashable, CustomStringConvertible {
    public enum Phase: Sendable, Hashable {
        /// Reaching more targets; `percent` of them have it.
        case deploying(percent: Double)
        /// At every target, still watched by alarms (a rollback is possible until it completes).
        case baking
        case complete
        case rollingBack
        /// Stopped before it completed: by an operator (`USER`), or by AppConfig when an
        /// alarm fired (`CLOUDWATCH_ALARM`).
        case rolledBack(by: String?)
        /// Completed, then reverted by an operator.
        case reverted
        /// AppConfig gave up on it (`INTERNAL_ERROR`).
        case failed(String)
        /// A state this version of flagdeck does not know.
        case other(String)

        /// AppConfig runs one deployment at a time per environment: these block the next.
        public var isInProgress: Bool {
            switch self {
            case .deploying, .baking, .rollingBack: true
            case .other(let s): s == "VALIDATING"
            default: false
            }
        }

        /// What applications read came from this deployment (fully or, while deploying, partly).
        public var delivers: Bool {
            switch self {
            case .baking, .complete: true
            default: false
            }
        }

        public init(state: AppConfigDeploymentState, percent: Double?, triggeredBy: String?) {
            switch state {
            case .deploying, .validating: self = .deploying(percent: percent ?? 0)
            case .baking: self = .baking
            case .complete: self = .complete
            case .rollingBack: self = .rollingBack
            case .rolledBack:
                self = triggeredBy == "INTERNAL_ERROR" ? .failed("AppConfig internal error") : .rolledBack(by: triggeredBy)
            case .reverted: self = .reverted
            default: self = .other(state.rawValue)
            }
        }

        /// `deploying 40 %`, `baking`, `complete`, `rolled back by alarm`.
        public var text: String {
            switch self {
            case .deploying(let p): "deploying \(Self.percent(p)) %"
            case .baking: "baking"
            case .complete: "complete"
            case .rollingBack: "rolling back"
            case .rolledBack(let by):
                switch by {
                case "CLOUDWATCH_ALARM": "rolled back by alarm"
                case "USER": "rolled back by an operator"
                default: "rolled back"
                }
            case .reverted: "reverted"
            case .failed(let why): "failed (\(why))"
            case .other(let s): s.lowercased()
            }
        }

        static func percent(_ p: Double) -> String {
            p == p.rounded() ? String(Int(p)) : String(format: "%.1f", p)
        }
    }

    public var deploymentNumber: Int
    /// The hosted version it deploys.
    public var configurationVersion: Int?
    public var phase: Phase
    /// The strategy's name when known, else its id.
    public var strategy: String?
    public var startedAt: Date?
    public var completedAt: Date?

    public init(deploymentNumber: Int, configurationVersion: Int?, phase: Phase, strategy: String? = nil,
                startedAt: Date? = nil, completedAt: Date? = nil) {
        self.deploymentNumber = deploymentNumber
        self.configurationVersion = configurationVersion
        self.phase = phase
        self.strategy = strategy
        self.startedAt = startedAt
        self.completedAt = completedAt
    }

    /// `deployment #7 of v15: deploying 40 %`.
    public var description: String {
        "deployment #\(deploymentNumber)" + (configurationVersion.map { " of v\($0)" } ?? "") + ": " + phase.text
    }
}

/// What applications receive from one configuration profile in one environment, and how
/// that relates to what is hosted: the served half of `readServed`, with the facts sync
/// events record (version, deployment number).
public struct AppConfigServedState: Sendable, Hashable {
    /// Exactly what AppConfigData returned (for an `AWS.AppConfig.FeatureFlags` profile,
    /// the flattened values).
    public var bytes: [UInt8]
    /// The hosted version those bytes are.
    public var version: Int
    /// The deployment that delivered them, when the deployment history shows it.
    public var deployment: Int?
    /// The newest deployment of this profile to this environment (it may be deploying,
    /// rolled back…); nil when the history does not show one.
    public var latestDeployment: AppConfigDeploymentStatus?
    /// The newest hosted version (a change made on top of this is what a push writes).
    public var latestHosted: Int?
    /// AppConfigData's `NextPollIntervalInSeconds`: how often an application polls.
    public var nextPollIntervalSeconds: Int?
    /// The hosted version's label (flagdeck labels its own versions with the intent id).
    public var versionLabel: String?

    /// `v15 staged, v14 deployed`, `deploying v15 40 %, v14 deployed`, `v15 rolled back by
    /// alarm (deployment #7), v14 deployed`; nil when the latest hosted version is deployed
    /// and its deployment completed.
    public var status: String? {
        AppConfigStatusText.render(served: version, latestHosted: latestHosted, latestDeployment: latestDeployment)
    }
}

/// The status line rule, pure, so each wording is tested without a service.
enum AppConfigStatusText {
    static func render(served: Int, latestHosted: Int?, latestDeployment d: AppConfigDeploymentStatus?) -> String? {
        var parts: [String] = []
        var servedPart = "v\(served) deployed"
        var notable = false
        // The newest deployment's version is named by its own part (deploying, rolled back…).
        let named: Int? = d?.phase == .complete ? nil : d?.configurationVersion
        if let latest = latestHosted, latest > served, latest != named {
            parts.append("v\(latest) staged")
            notable = true
        }
        if let d {
            let v = d.configurationVersion.map { "v\($0)" } ?? "a version"
            switch d.phase {
            case .complete:
                break
            case .baking where d.configurationVersion == served:
                servedPart += ", baking (deployment #\(d.deploymentNumber))"
                notable = true
            case .deploying(let p):
                parts.append("deploying \(v) \(AppConfigDeploymentStatus.Phase.percent(p)) %")
                notable = true
            default:
                parts.append("\(v) \(d.phase.text) (deployment #\(d.deploymentNumber))")
                notable = true
            }
        }
        return notable ? (parts + [servedPart]).joined(separator: ", ") : nil
    }
}
