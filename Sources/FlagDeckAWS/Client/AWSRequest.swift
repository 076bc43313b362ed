import Foundation

/// How a service encodes its errors (the success shapes are each operation's business).
public enum AWSProtocol: Sendable, Hashable {
    /// `awsJson1_0`/`1_1` and REST-JSON: `__type`/`code` in a JSON body or `x-amzn-ErrorType`.
    case json
    /// The query protocol: `<ErrorResponse><Error><Code>…` XML (STS).
    case query
}

/// One API call before signing: what the service-specific code builds. The endpoint,
/// credentials, signature and retries are the client's business.
public struct AWSRequest: Sendable, Hashable {
    public var service: AWSService
    public var operation: String
    public var method: String
    /// Wire path under the endpoint, segments already encoded (`Path.segments`).
    public var path: String
    public var query: [QueryItem]
    public var headers: HTTPHeaders
    public var body: Data
    public var `protocol`: AWSProtocol
    /// For error messages: `application checkout`, `table jobs`.
    public var resource: String?

    public init(service: AWSService, operation: String, method: String, path: String = "/", query: [QueryItem] = [],
                headers: HTTPHeaders = HTTPHeaders(), body: Data = Data(), protocol: AWSProtocol = .json,
                resource: String? = nil) {
        self.service = service
        self.operation = operation
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.protocol = `protocol`
        self.resource = resource
    }
}
