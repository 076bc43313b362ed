import Foundation

public struct AppConfigApplication: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var description: String?

    enum CodingKeys: String, CodingKey { case id = "Id", name = "Name", description = "Description" }
}

public struct AppConfigEnvironment: Sendable, Hashable, Codable {
    public var applicationId: String
    public var id: String
    public var name: String
    public var description: String?
    /// `READY_FOR_DEPLOYMENT`, `DEPLOYING`, `ROLLING_BACK`, `ROLLED_BACK`, `REVERTED`.
    public var state: String?

    enum CodingKeys: String, CodingKey {
        case applicationId = "ApplicationId", id = "Id", name = "Name", description = "Description", state = "State"
    }
}

/// A configuration profile's type. Open (a raw string) because AWS adds types.
public struct AppConfigProfileType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    public var description: String { rawValue }

    /// Any document, delivered as uploaded (Powertools JSON lives here).
    public static let freeform = AppConfigProfileType(rawValue: "AWS.Freeform")
    /// AppConfig's own flag format; AppConfigData serves it flattened to values.
    public static let featureFlags = AppConfigProfileType(rawValue: "AWS.AppConfig.FeatureFlags")
}

/// An entry of ListConfigurationProfiles.
public struct AppConfigProfileSummary: Sendable, Hashable, Codable {
    public var applicationId: String
    public var id: String
    public var name: String
    public var locationUri: String?
    public var type: AppConfigProfileType?
    public var validatorTypes: [String]?

    enum CodingKeys: String, CodingKey {
        case applicationId = "ApplicationId", id = "Id", name = "Name", locationUri = "LocationUri", type = "Type",
             validatorTypes = "ValidatorTypes"
    }
}

/// GetConfigurationProfile / CreateConfigurationProfile.
public struct AppConfigConfigurationProfile: Sendable, Hashable, Codable {
    public var applicationId: String
    public var id: String
    public var name: String
    public var description: String?
    public var locationUri: String?
    public var retrievalRoleArn: String?
    public var type: AppConfigProfileType?
    public var kmsKeyArn: String?

    enum CodingKeys: String, CodingKey {
        case applicationId = "ApplicationId", id = "Id", name = "Name", description = "Description",
             locationUri = "LocationUri", retrievalRoleArn = "RetrievalRoleArn", type = "Type", kmsKeyArn = "KmsKeyArn"
    }
}

/// An entry of ListHostedConfigurationVersions.
public struct AppConfigHostedVersionSummary: Sendable, Hashable, Codable {
    public var applicationId: String
    public var configurationProfileId: String
    public var versionNumber: Int
    public var description: String?
    public var contentType: String?
    public var versionLabel: String?

    enum CodingKeys: String, CodingKey {
        case applicationId = "ApplicationId", configurationProfileId = "ConfigurationProfileId",
             versionNumber = "VersionNumber", description = "Description", contentType = "ContentType",
             versionLabel = "VersionLabel"
    }
}

/// A hosted version with its bytes (Get/CreateHostedConfigurationVersion carry the
/// metadata in headers and the content as the body).
public struct AppConfigHostedVersion: Sendable, Hashable {
    public var applicationId: String
    public var configurationProfileId: String
    public var versionNumber: Int
    public var contentType: String?
    public var description: String?
    public var versionLabel: String?
    public var content: Data
}

public struct AppConfigDeploymentStrategy: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var description: String?
    public var deploymentDurationInMinutes: Int?
    public var growthType: String?
    public var growthFactor: Double?
    public var finalBakeTimeInMinutes: Int?
    public var replicateTo: String?

    enum CodingKeys: String, CodingKey {
        case id = "Id", name = "Name", description = "Description",
             deploymentDurationInMinutes = "DeploymentDurationInMinutes", growthType = "GrowthType",
             growthFactor = "GrowthFactor", finalBakeTimeInMinutes = "FinalBakeTimeInMinutes", replicateTo = "ReplicateTo"
    }
}

public struct AppConfigCreateDeploymentStrategyRequest: Sendable, Hashable, Encodable {
    public var name: String
    public var description: String?
    public var deploymentDurationInMinutes: Int
    public var finalBakeTimeInMinutes: Int?
    public var growthFactor: Double
    /// `LINEAR` or `EXPONENTIAL`.
    public var growthType: String?
    /// `NONE` or `SSM_DOCUMENT`.
    public var replicateTo: String?

    public init(name: String, description: String? = nil, deploymentDurationInMinutes: Int,
                finalBakeTimeInMinutes: Int? = nil, growthFactor: Double, growthType: String? = nil,
                replicateTo: String? = "NONE") {
        self.name = name
        self.description = description
        self.deploymentDurationInMinutes = deploymentDurationInMinutes
        self.finalBakeTimeInMinutes = finalBakeTimeInMinutes
        self.growthFactor = growthFactor
        self.growthType = growthType
        self.replicateTo = replicateTo
    }

    /// All at once, no bake: what a kill wants.
    public static func immediate(name: String) -> Self {
        Self(name: name, deploymentDurationInMinutes: 0, finalBakeTimeInMinutes: 0, growthFactor: 100,
             growthType: "LINEAR", replicateTo: "NONE")
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", description = "Description", deploymentDurationInMinutes = "DeploymentDurationInMinutes",
             finalBakeTimeInMinutes = "FinalBakeTimeInMinutes", growthFactor = "GrowthFactor",
             growthType = "GrowthType", replicateTo = "ReplicateTo"
    }
}

public struct AppConfigStartDeploymentRequest: Sendable, Hashable, Encodable {
    public var applicationId: String
    public var environmentId: String
    public var deploymentStrategyId: String
    public var configurationProfileId: String
    /// The hosted version number, as a string (AppConfig's type for it).
    public var configurationVersion: String
    public var description: String?

    public init(applicationId: String, environmentId: String, deploymentStrategyId: String,
                configurationProfileId: String, configurationVersion: String, description: String? = nil) {
        self.applicationId = applicationId
        self.environmentId = environmentId
        self.deploymentStrategyId = deploymentStrategyId
        self.configurationProfileId = configurationProfileId
        self.configurationVersion = configurationVersion
        self.description = description
    }

    // ApplicationId and EnvironmentId travel in the path.
    enum CodingKeys: String, CodingKey {
        case deploymentStrategyId = "DeploymentStrategyId", configurationProfileId = "ConfigurationProfileId",
             configurationVersion = "ConfigurationVersion", description = "Description"
    }
}

/// A deployment's state. Open, because AWS adds states.
public struct AppConfigDeploymentState: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    public var description: String { rawValue }

    public static let baking = Self(rawValue: "BAKING")
    public static let validating = Self(rawValue: "VALIDATING")
    public static let deploying = Self(rawValue: "DEPLOYING")
    public static let complete = Self(rawValue: "COMPLETE")
    public static let rollingBack = Self(rawValue: "ROLLING_BACK")
    public static let rolledBack = Self(rawValue: "ROLLED_BACK")
    public static let reverted = Self(rawValue: "REVERTED")

    /// Nothing more will happen to this deployment.
    public var isFinal: Bool { self == .complete || self == .rolledBack || self == .reverted }
}

public struct AppConfigDeployment: Sendable, Hashable, Codable {
    public var applicationId: String?
    public var environmentId: String?
    public var deploymentStrategyId: String?
    public var configurationProfileId: String?
    public var deploymentNumber: Int
    public var configurationName: String?
    public var configurationVersion: String?
    public var description: String?
    public var deploymentDurationInMinutes: Int?
    public var growthType: String?
    public var growthFactor: Double?
    public var finalBakeTimeInMinutes: Int?
    public var state: AppConfigDeploymentState
    public var percentageComplete: Double?
    public var startedAt: Date?
    public var completedAt: Date?
    public var versionLabel: String?
    /// Most recent first: who started, stopped or rolled it back (`TriggeredBy`: `USER`,
    /// `APPCONFIG`, `CLOUDWATCH_ALARM`, `INTERNAL_ERROR`) and when.
    public var eventLog: [AppConfigDeploymentEvent]?

    enum CodingKeys: String, CodingKey {
        case eventLog = "EventLog"
        case applicationId = "ApplicationId", environmentId = "EnvironmentId",
             deploymentStrategyId = "DeploymentStrategyId", configurationProfileId = "ConfigurationProfileId",
             deploymentNumber = "DeploymentNumber", configurationName = "ConfigurationName",
             configurationVersion = "ConfigurationVersion", description = "Description",
             deploymentDurationInMinutes = "DeploymentDurationInMinutes", growthType = "GrowthType",
             growthFactor = "GrowthFactor", finalBakeTimeInMinutes = "FinalBakeTimeInMinutes", state = "State",
             percentageComplete = "PercentageComplete", startedAt = "StartedAt", completedAt = "CompletedAt",
             versionLabel = "VersionLabel"
    }
}

/// One entry of a deployment's event log.
public struct AppConfigDeploymentEvent: Sendable, Hashable, Codable {
    /// `DEPLOYMENT_STARTED`, `PERCENTAGE_UPDATED`, `BAKE_TIME_STARTED`, `ROLLBACK_STARTED`,
    /// `ROLLBACK_COMPLETED`, `REVERT_COMPLETED`, `DEPLOYMENT_COMPLETED`…
    public var eventType: String?
    /// `USER`, `APPCONFIG`, `CLOUDWATCH_ALARM`, `INTERNAL_ERROR`.
    public var triggeredBy: String?
    public var description: String?
    public var occurredAt: Date?

    enum CodingKeys: String, CodingKey {
        case eventType = "EventType", triggeredBy = "TriggeredBy", description = "Description", occurredAt = "OccurredAt"
    }
}

/// An entry of ListDeployments.
public struct AppConfigDeploymentSummary: Sendable, Hashable, Codable {
    public var deploymentNumber: Int
    public var configurationName: String?
    public var configurationVersion: String?
    public var deploymentDurationInMinutes: Int?
    public var growthType: String?
    public var growthFactor: Double?
    public var finalBakeTimeInMinutes: Int?
    public var state: AppConfigDeploymentState
    public var percentageComplete: Double?
    public var startedAt: Date?
    public var completedAt: Date?
    public var versionLabel: String?

    enum CodingKeys: String, CodingKey {
        case deploymentNumber = "DeploymentNumber", configurationName = "ConfigurationName",
             configurationVersion = "ConfigurationVersion", deploymentDurationInMinutes = "DeploymentDurationInMinutes",
             growthType = "GrowthType", growthFactor = "GrowthFactor", finalBakeTimeInMinutes = "FinalBakeTimeInMinutes",
             state = "State", percentageComplete = "PercentageComplete", startedAt = "StartedAt",
             completedAt = "CompletedAt", versionLabel = "VersionLabel"
    }
}

/// An application, environment and configuration profile resolved from ids or names.
public struct AppConfigTarget: Sendable, Hashable {
    public var application: AppConfigApplication
    public var environment: AppConfigEnvironment
    public var profile: AppConfigProfileSummary
}
