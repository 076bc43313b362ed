import Foundation

/// GetCallerIdentity's answer.
public struct STSCallerIdentity: Sendable, Hashable {
    public var account: String
    public var arn: String
    public var userId: String
}

/// AssumeRole's input, as the shared config spells it (`role_arn`, `external_id`,
/// `role_session_name`, `duration_seconds`).
public struct STSAssumeRoleRequest: Sendable, Hashable {
    public var roleArn: String
    public var roleSessionName: String
    public var externalId: String?
    public var durationSeconds: Int?

    public init(roleArn: String, roleSessionName: String, externalId: String? = nil, durationSeconds: Int? = nil) {
        self.roleArn = roleArn
        self.roleSessionName = roleSessionName
        self.externalId = externalId
        self.durationSeconds = durationSeconds
    }
}

/// AssumeRole's answer: temporary credentials (with expiration and account) and who they are.
public struct STSAssumedRole: Sendable, Hashable {
    public var credentials: AWSCredentials
    public var assumedRoleArn: String
    public var assumedRoleId: String
}

/// The query protocol: form-encoded `Action`/`Version` bodies, XML answers.
enum STSOperations {
    static let version = "2011-06-15"

    static func request(_ action: String, _ params: [(String, String)], resource: String?) -> AWSRequest {
        var headers = HTTPHeaders()
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        let body = PercentEncoding.formEncode([("Action", action), ("Version", version)] + params)
        return AWSRequest(service: .sts, operation: action, method: "POST", path: "/", headers: headers,
                          body: Data(body.utf8), protocol: .query, resource: resource)
    }

    static func getCallerIdentity() -> AWSRequest { request("GetCallerIdentity", [], resource: nil) }

    static func assumeRole(_ r: STSAssumeRoleRequest) -> AWSRequest {
        var params = [("RoleArn", r.roleArn), ("RoleSessionName", r.roleSessionName)]
        if let d = r.durationSeconds { params.append(("DurationSeconds", String(d))) }
        if let e = r.externalId { params.append(("ExternalId", e)) }
        return request("AssumeRole", params, resource: "role \(r.roleArn)")
    }

    static func parseCallerIdentity(_ body: Data, context: AWSErrorContext) throws -> STSCallerIdentity {
        guard let root = XMLNode.parse(body), let result = root.first("GetCallerIdentityResult"),
              let account = result["Account"], let arn = result["Arn"] else {
            throw AWSError.invalidResponse(reason: "GetCallerIdentity answer without Account/Arn", context: context)
        }
        return STSCallerIdentity(account: account, arn: arn, userId: result["UserId"] ?? "")
    }

    static func parseAssumeRole(_ body: Data, context: AWSErrorContext) throws -> STSAssumedRole {
        guard let root = XMLNode.parse(body), let result = root.first("AssumeRoleResult"),
              let ak = result["Credentials", "AccessKeyId"], let sk = result["Credentials", "SecretAccessKey"] else {
            throw AWSError.invalidResponse(reason: "AssumeRole answer without Credentials", context: context)
        }
        let arn = result["AssumedRoleUser", "Arn"] ?? ""
        var expiration: Date?
        if let raw = result["Credentials", "Expiration"] {
            guard let d = ISO8601.parse(raw) else {
                throw AWSError.invalidResponse(reason: "AssumeRole Expiration is not ISO 8601: \(raw)", context: context)
            }
            expiration = d
        }
        let token = result["Credentials", "SessionToken"].flatMap { $0.isEmpty ? nil : $0 }
        let creds = AWSCredentials(accessKeyId: ak, secretAccessKey: sk, sessionToken: token, expiration: expiration,
                                   accountId: ARN.account(arn))
        return STSAssumedRole(credentials: creds, assumedRoleArn: arn, assumedRoleId: result["AssumedRoleUser", "AssumedRoleId"] ?? "")
    }
}

/// ARN helpers: `arn:partition:service:region:account:resource`.
public enum ARN {
    /// The 12-digit account of an ARN, or nil.
    public static func account(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", !parts[4].isEmpty else { return nil }
        return String(parts[4])
    }
}
