/// STS through an `AWSClient`: who am I, and assume a role directly.
public struct STSClient: Sendable {
    public let client: AWSClient

    public init(_ client: AWSClient) { self.client = client }

    /// The caller's account and ARN. Also teaches the client its account id, so later
    /// errors can name it.
    public func getCallerIdentity() throws -> STSCallerIdentity {
        let request = STSOperations.getCallerIdentity()
        let response = try client.send(request)
        let id = try STSOperations.parseCallerIdentity(response.body, context: client.context(for: request))
        client.learnAccountId(id.account)
        return id
    }

    /// Temporary credentials for `request.roleArn`, signed with this client's credentials.
    public func assumeRole(_ request: STSAssumeRoleRequest) throws -> STSAssumedRole {
        let r = STSOperations.assumeRole(request)
        let response = try client.send(r)
        return try STSOperations.parseAssumeRole(response.body, context: client.context(for: r))
    }
}
