import Foundation

/// Where a client's credentials come from, for display (`flagdeck aws whoami`) and tests.
public indirect enum CredentialSource: Sendable, Hashable, CustomStringConvertible {
    case explicit
    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` [/ `AWS_SESSION_TOKEN`].
    case environment
    /// `aws_access_key_id` / `aws_secret_access_key` in a profile.
    case profileKeys(profile: String, file: String)
    case credentialProcess(profile: String)
    /// `role_arn` assumed with the credentials of `source`.
    case assumeRole(profile: String, roleArn: String, source: CredentialSource)

    public var description: String {
        switch self {
        case .explicit: return "explicit credentials"
        case .environment: return "AWS_ACCESS_KEY_ID from the environment"
        case .profileKeys(let p, let f): return "keys of profile \(p) in \(f)"
        case .credentialProcess(let p): return "credential_process of profile \(p)"
        case .assumeRole(let p, let role, let src): return "role \(role) of profile \(p), assumed with \(src)"
        }
    }
}

/// The credential chain, as the AWS SDKs resolve it (botocore's order):
///
/// 1. explicit credentials given to the client;
/// 2. an explicitly named profile (the environment's keys are then ignored, as in botocore);
/// 3. `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
/// 4. the profile named by `AWS_PROFILE`, else `default`.
///
/// Within a profile: `role_arn` + `source_profile` (AssumeRole, chains allowed, loops
/// refused; a profile may name itself as source when it has its own keys); then keys in
/// the credentials file; then `credential_process`; then keys in the config file. MFA,
/// SSO, web identity and `credential_source` are refused with an error that names the
/// profile and points at `credential_process`.
///
/// Resolution here only reads files: no process runs and STS is not called until the
/// first request needs credentials.
struct CredentialChain {
    var config: SharedConfig
    var environment: AWSEnvironment
    var clock: AWSClock
    var refreshMargin: TimeInterval
    /// Calls STS AssumeRole signed with the given credentials; errors carry `profile`.
    var assume: @Sendable (_ profile: String, _ source: AWSCredentialProvider, _ request: STSAssumeRoleRequest)
        throws -> STSAssumedRole

    struct Resolved {
        var provider: AWSCredentialProvider
        var source: CredentialSource
        /// The account, when the configuration names it (role ARN, `aws_account_id`).
        var accountId: String?
    }

    static let unsupportedKeys = ["sso_session", "sso_start_url", "sso_account_id", "sso_role_name", "sso_region",
                                  "web_identity_token_file"]

    func resolve(explicitCredentials: AWSCredentials?, explicitProfile: String?) throws -> Resolved {
        if let c = explicitCredentials {
            return Resolved(provider: StaticCredentialProvider(c), source: .explicit, accountId: c.accountId)
        }
        if let name = explicitProfile {
            return try profile(name, visited: [], isSource: false)
        }
        let ak = environment["AWS_ACCESS_KEY_ID"], sk = environment["AWS_SECRET_ACCESS_KEY"]
        if ak != nil || sk != nil {
            guard let ak else {
                throw AWSError.incompleteCredentials(profile: "(environment)", missing: "AWS_ACCESS_KEY_ID",
                                             source: "AWS_SECRET_ACCESS_KEY is set")
            }
            guard let sk else {
                throw AWSError.incompleteCredentials(profile: "(environment)", missing: "AWS_SECRET_ACCESS_KEY",
                                             source: "AWS_ACCESS_KEY_ID is set")
            }
            let token = environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"]
            let expiration = environment["AWS_CREDENTIAL_EXPIRATION"].flatMap(ISO8601.parse)
            let account = environment["AWS_ACCOUNT_ID"]
            return Resolved(provider: StaticCredentialProvider(AWSCredentials(
                accessKeyId: ak, secretAccessKey: sk, sessionToken: token, expiration: expiration, accountId: account)),
                source: .environment, accountId: account)
        }
        let name = environment["AWS_PROFILE"] ?? "default"
        guard config.profile(name) != nil else {
            if environment["AWS_PROFILE"] != nil {
                throw AWSError.profileNotFound(profile: name, known: config.profileNames,
                                       files: [config.configFile, config.credentialsFile])
            }
            throw AWSError.noCredentials(profile: name, files: [config.configFile, config.credentialsFile])
        }
        return try profile(name, visited: [], isSource: false)
    }

    private func profile(_ name: String, visited: [String], isSource: Bool) throws -> Resolved {
        guard let p = config.profile(name) else {
            if isSource, let from = visited.last {
                throw AWSError.sourceProfileNotFound(profile: from, sourceProfile: name, known: config.profileNames)
            }
            throw AWSError.profileNotFound(profile: name, known: config.profileNames,
                                   files: [config.configFile, config.credentialsFile])
        }
        let accountHint = p.string("aws_account_id")
        if let role = p.string("role_arn") {
            if p.has("mfa_serial") { throw AWSError.unsupportedCredentials(profile: name, setting: "mfa_serial", file: p.source(of: "mfa_serial")) }
            guard let sourceName = p.string("source_profile") else {
                for key in ["credential_source", "web_identity_token_file"] where p.has(key) {
                    throw AWSError.unsupportedCredentials(profile: name, setting: key, file: p.source(of: key))
                }
                throw AWSError.roleWithoutSource(profile: name, file: p.source(of: "role_arn"))
            }
            let chainSoFar = visited + [name]
            let source: Resolved
            if sourceName == name, let keys = try staticKeys(p, name: name, section: nil) {
                source = keys
            } else if chainSoFar.contains(sourceName) {
                throw AWSError.sourceProfileLoop(chain: chainSoFar + [sourceName])
            } else {
                source = try profile(sourceName, visited: chainSoFar, isSource: true)
            }
            var request = STSAssumeRoleRequest(roleArn: role,
                                               roleSessionName: p.string("role_session_name")
                                                   ?? "flagdeck-\(Int(clock.now().timeIntervalSince1970))")
            request.externalId = p.string("external_id")
            if let raw = p.string("duration_seconds") {
                guard let d = Int(raw), d >= 900, d <= 43200 else {
                    throw AWSError.invalidSetting(profile: name, key: "duration_seconds", value: raw,
                                          file: p.source(of: "duration_seconds"),
                                          reason: "expected whole seconds between 900 and 43200")
                }
                request.durationSeconds = d
            }
            let assume = self.assume
            let sourceProvider = source.provider
            let assumeRequest = request
            let provider = CachingCredentialProvider(refreshMargin: refreshMargin, clock: clock) { () throws in
                do {
                    return try assume(name, sourceProvider, assumeRequest).credentials
                } catch {
                    throw AWSError.assumeRoleFailed(profile: name, roleArn: role, underlying: AWSError.wrapping(error))
                }
            }
            return Resolved(provider: provider, source: .assumeRole(profile: name, roleArn: role, source: source.source),
                            accountId: ARN.account(role) ?? accountHint)
        }
        for key in Self.unsupportedKeys where p.has(key) {
            throw AWSError.unsupportedCredentials(profile: name, setting: key, file: p.source(of: key))
        }
        if let keys = try staticKeys(p, name: name, section: config.credentialsSection(name)) {
            return Resolved(provider: keys.provider, source: keys.source, accountId: accountHint)
        }
        if let command = p.string("credential_process") {
            let env = environment, clock = self.clock
            let provider = CachingCredentialProvider(refreshMargin: refreshMargin, clock: clock) { () throws in
                try CredentialProcess.fetch(command: command, profile: name, environment: env, clock: clock)
            }
            return Resolved(provider: provider, source: .credentialProcess(profile: name), accountId: accountHint)
        }
        if let keys = try staticKeys(p, name: name, section: config.configSection(name)) {
            return Resolved(provider: keys.provider, source: keys.source, accountId: accountHint)
        }
        throw AWSError.noCredentials(profile: name, files: config.files(of: name))
    }

    /// Keys from one file's section (or, with `section` nil, from the merged profile).
    private func staticKeys(_ p: AWSProfile, name: String, section: [String: INIValue]?) throws -> Resolved? {
        func value(_ key: String) -> String? {
            let v = section.map { $0[key]?.string } ?? p.string(key)
            return v.flatMap { $0.isEmpty ? nil : $0 }
        }
        let ak = value("aws_access_key_id"), sk = value("aws_secret_access_key")
        if ak == nil && sk == nil { return nil }
        let file = p.source(of: ak != nil ? "aws_access_key_id" : "aws_secret_access_key")
        guard let ak else { throw AWSError.incompleteCredentials(profile: name, missing: "aws_access_key_id", source: file) }
        guard let sk else { throw AWSError.incompleteCredentials(profile: name, missing: "aws_secret_access_key", source: file) }
        let token = value("aws_session_token") ?? value("aws_security_token")
        let creds = AWSCredentials(accessKeyId: ak, secretAccessKey: sk, sessionToken: token,
                                   accountId: p.string("aws_account_id"))
        return Resolved(provider: StaticCredentialProvider(creds), source: .profileKeys(profile: name, file: file),
                        accountId: p.string("aws_account_id"))
    }
}
