import Foundation

/// Every way a call through this module can fail. Each case renders (via `description`)
/// as one line for an operator: which profile/account, what was being done, what AWS or
/// the system said, what to do. No case ever holds a secret key or session token.
public enum AWSError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    // MARK: answers from AWS
    /// Any error response from a service (including throttling after the last retry).
    case service(AWSServiceFailure)
    /// DynamoDB `ConditionalCheckFailedException`: the item was not changed. `item` is
    /// the current item when the request asked for `ReturnValuesOnConditionCheckFailure`.
    case conditionalCheckFailed(AWSServiceFailure, item: [String: DynamoDBValue]?)
    /// AppConfig refused a new hosted version because `Latest-Version-Number` was stale:
    /// someone else wrote a version since it was read.
    case versionConflict(AWSServiceFailure, expectedLatest: Int)
    /// A successful status with a body this module cannot read.
    case invalidResponse(reason: String, context: AWSErrorContext)

    // MARK: the network
    /// Connection refused, DNS failure, timeout, TLS failure…; `url` has no query string.
    case network(url: String, reason: String, attempts: Int, context: AWSErrorContext)

    // MARK: configuration
    case configUnreadable(file: String, reason: String)
    case configSyntax(file: String, line: Int, reason: String)
    case profileNotFound(profile: String, known: [String], files: [String])
    case missingRegion(profile: String)
    case invalidEndpoint(url: String, source: String)
    case servicesSectionNotFound(profile: String, section: String, file: String)
    case invalidSetting(profile: String, key: String, value: String, file: String, reason: String)

    // MARK: credentials
    /// No source of credentials at all.
    case noCredentials(profile: String, files: [String])
    /// Part of a key pair is present (`aws_access_key_id` without the secret, or
    /// `AWS_ACCESS_KEY_ID` without `AWS_SECRET_ACCESS_KEY`).
    case incompleteCredentials(profile: String, missing: String, source: String)
    /// A setting that needs support this module deliberately lacks (MFA, SSO, web
    /// identity, `credential_source`); `credential_process` is the way around it.
    case unsupportedCredentials(profile: String, setting: String, file: String)
    case sourceProfileNotFound(profile: String, sourceProfile: String, known: [String])
    case sourceProfileLoop(chain: [String])
    case roleWithoutSource(profile: String, file: String)
    /// Assuming `roleArn` for `profile` failed; `underlying` is what STS (or the network) said.
    indirect case assumeRoleFailed(profile: String, roleArn: String, underlying: AWSError)
    /// The `credential_process` of `profile` could not run, exited non-zero or printed
    /// something unusable. `program` is the executable's name only (arguments may hold
    /// secrets); `stderr` is scrubbed of any secret the process printed on stdout.
    case credentialProcessFailed(profile: String, program: String, reason: String, stderr: String)
    case credentialProcessExpired(profile: String, program: String, expiration: Date)

    // MARK: name resolution
    /// A name or id matched nothing; `available` lists what exists (`name (id)`).
    case notFound(kind: String, wanted: String, available: [String], context: AWSErrorContext)
    /// A name matched several resources; `matches` lists their ids.
    case ambiguous(kind: String, wanted: String, matches: [String], context: AWSErrorContext)
    /// A caller passed a value the service cannot carry (e.g. non-ASCII in a header).
    case invalidRequest(reason: String, context: AWSErrorContext)

    /// Every error this module throws is an `AWSError`; this keeps that promise at the
    /// few places a foreign error could arrive (a closure handed in by a caller).
    static func wrapping(_ error: Error) -> AWSError {
        (error as? AWSError) ?? .invalidResponse(reason: "\(error)", context: AWSErrorContext())
    }

    /// AWS's error code, when the failure is an AWS answer.
    public var code: String? { failure?.code }

    /// The HTTP status, when the failure is an AWS answer.
    public var httpStatus: Int? { failure?.httpStatus }

    public var failure: AWSServiceFailure? {
        switch self {
        case .service(let f), .conditionalCheckFailed(let f, _), .versionConflict(let f, _): return f
        case .assumeRoleFailed(_, _, let u): return u.failure
        default: return nil
        }
    }

    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case .service(let f):
            return f.rendered
        case .conditionalCheckFailed(let f, _):
            return f.rendered + " — the condition did not hold, nothing was changed"
        case .versionConflict(let f, let expected):
            return f.rendered + " — another writer created a hosted configuration version after version \(expected);"
                + " re-read the latest version and retry"
        case .invalidResponse(let reason, let c):
            return prefix(c) + "unreadable response" + (c.what.isEmpty ? "" : " to \(c.what)") + ": \(reason)"
        case .network(let url, let reason, let attempts, let c):
            return prefix(c) + "cannot reach \(url)" + (c.what.isEmpty ? "" : " for \(c.what)")
                + ": \(reason)" + (attempts > 1 ? " (after \(attempts) attempts)" : "")
        case .configUnreadable(let file, let reason):
            return "cannot read AWS config file \(file): \(reason)"
        case .configSyntax(let file, let line, let reason):
            return "\(file):\(line): \(reason)"
        case .profileNotFound(let p, let known, let files):
            return "profile \(p) not found in \(files.joined(separator: " or ")); known profiles: "
                + (known.isEmpty ? "none" : known.joined(separator: ", "))
        case .missingRegion(let p):
            return "profile \(p): no region — set `region` in the profile, AWS_REGION or AWS_DEFAULT_REGION,"
                + " or pass one explicitly"
        case .invalidEndpoint(let url, let source):
            return "invalid endpoint URL \(url) (from \(source)): expected http:// or https:// with a host"
        case .servicesSectionNotFound(let p, let section, let file):
            return "profile \(p) says `services = \(section)` but \(file) has no [services \(section)] section"
        case .invalidSetting(let p, let key, let value, let file, let reason):
            return "profile \(p) in \(file): \(key) = \(value): \(reason)"
        case .noCredentials(let p, let files):
            return "profile \(p): no credentials — AWS_ACCESS_KEY_ID is not set and the profile has no"
                + " aws_access_key_id, role_arn or credential_process (looked in \(files.joined(separator: " and ")))"
        case .incompleteCredentials(let p, let missing, let source):
            return "profile \(p): \(missing) is missing (\(source))"
        case .unsupportedCredentials(let p, let setting, let file):
            return "profile \(p) uses \(setting) (\(file)), which flagdeck does not support; use"
                + " `credential_process` instead, e.g. `credential_process = aws configure export-credentials"
                + " --profile \(p) --format process` in a separate profile"
        case .sourceProfileNotFound(let p, let source, let known):
            return "profile \(p): source_profile \(source) not found; known profiles: "
                + (known.isEmpty ? "none" : known.joined(separator: ", "))
        case .sourceProfileLoop(let chain):
            return "source_profile loop: \(chain.joined(separator: " -> "))"
        case .roleWithoutSource(let p, let file):
            return "profile \(p) has role_arn but no source_profile (\(file)); add source_profile = <profile with keys>"
        case .assumeRoleFailed(let p, let role, let underlying):
            return "profile \(p): cannot assume role \(role): \(underlying.description)"
        case .credentialProcessFailed(let p, let program, let reason, let stderr):
            let err = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "profile \(p): credential_process \(program) \(reason)" + (err.isEmpty ? "" : "; stderr: \(err)")
        case .credentialProcessExpired(let p, let program, let expiration):
            return "profile \(p): credential_process \(program) returned credentials that expired at"
                + " \(ISO8601.format(expiration)); refresh the source (e.g. `aws sso login`)"
        case .notFound(let kind, let wanted, let available, let c):
            return prefix(c) + "no \(kind) named or with id \(wanted)" + (c.resource.map { " in \($0)" } ?? "")
                + "; available: " + (available.isEmpty ? "none" : available.joined(separator: ", "))
        case .ambiguous(let kind, let wanted, let matches, let c):
            return prefix(c) + "\(matches.count) \(kind)s are named \(wanted)" + (c.resource.map { " in \($0)" } ?? "")
                + " (ids \(matches.joined(separator: ", "))); use the id"
        case .invalidRequest(let reason, let c):
            return prefix(c) + (c.what.isEmpty ? "" : "\(c.what): ") + reason
        }
    }

    private func prefix(_ c: AWSErrorContext) -> String { c.who.isEmpty ? "" : c.who + ": " }
}
