/// Who was calling what, on which resource: enough for an operator at 3 a.m. to know
/// which of dozens of accounts and environments failed and why.
public struct AWSErrorContext: Sendable, Hashable {
    /// The profile the client was built for (`default` when none was named).
    public var profile: String?
    /// The account, when known (from `role_arn`, `aws_account_id`, `credential_process`
    /// or an earlier GetCallerIdentity).
    public var accountId: String?
    /// The service's signing/endpoint name: `appconfig`, `appconfigdata`, `sts`, `dynamodb`.
    public var service: String?
    /// The API operation, e.g. `CreateHostedConfigurationVersion`.
    public var operation: String?
    /// What the call was about, in words: `application checkout`, `table jobs`.
    public var resource: String?

    public init(profile: String? = nil, accountId: String? = nil, service: String? = nil, operation: String? = nil,
                resource: String? = nil) {
        self.profile = profile
        self.accountId = accountId
        self.service = service
        self.operation = operation
        self.resource = resource
    }

    /// `profile payments-prod (account 222222222222)`, or empty.
    var who: String {
        var s = profile.map { "profile \($0)" } ?? ""
        if let accountId { s += s.isEmpty ? "account \(accountId)" : " (account \(accountId))" }
        return s
    }

    /// `appconfig:CreateHostedConfigurationVersion on application checkout`, or empty.
    var what: String {
        var s = ""
        if let service, let operation { s = "\(service):\(operation)" } else if let operation { s = operation }
        if let resource { s += s.isEmpty ? resource : " on \(resource)" }
        return s
    }
}

/// An error response from an AWS service, parsed.
public struct AWSServiceFailure: Sendable, Hashable {
    /// AWS's error code without namespace: `AccessDeniedException`, `ThrottlingException`.
    public var code: String
    public var message: String
    public var httpStatus: Int
    public var requestId: String?
    /// How many attempts were made before giving up (1 when the error is not retried).
    public var attempts: Int
    public var context: AWSErrorContext
    /// DynamoDB `TransactionCanceledException`: one reason per item of the transaction,
    /// in request order (`None` for the items that did not cause the cancellation).
    public var cancellationReasons: [DynamoDBCancellationReason]?

    public init(code: String, message: String, httpStatus: Int, requestId: String? = nil, attempts: Int = 1,
                context: AWSErrorContext, cancellationReasons: [DynamoDBCancellationReason]? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.requestId = requestId
        self.attempts = attempts
        self.context = context
        self.cancellationReasons = cancellationReasons
    }

    var rendered: String {
        var s = context.who
        s += s.isEmpty ? "" : ": "
        s += code
        if !message.isEmpty { s += ": \(message)" }
        var tail: [String] = []
        if !context.what.isEmpty { tail.append(context.what) }
        tail.append("HTTP \(httpStatus)")
        if attempts > 1 { tail.append("after \(attempts) attempts") }
        if let requestId { tail.append("request id \(requestId)") }
        return s + " (" + tail.joined(separator: ", ") + ")"
    }
}
