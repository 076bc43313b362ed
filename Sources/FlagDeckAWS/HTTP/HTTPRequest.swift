import Foundation

/// One query parameter, decoded. The wire form and the canonical form are both derived
/// from these, so they cannot disagree.
public struct QueryItem: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP request as it goes on the wire, before or after signing. `path` is the wire
/// path: segments already percent-encoded by whoever built it (see `Path.segments`).
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var scheme: String
    public var host: String
    public var port: Int?
    public var path: String
    public var query: [QueryItem]
    public var headers: HTTPHeaders
    public var body: Data

    public init(method: String, scheme: String = "https", host: String, port: Int? = nil, path: String = "/",
                query: [QueryItem] = [], headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The `Host` header an HTTP client sends for this URL: lower-case, with the port
    /// only when it is not the scheme's default (botocore's `_host_from_url`).
    public var hostHeader: String {
        let h = host.lowercased()
        let bracketed = h.contains(":") && !h.hasPrefix("[") ? "[\(h)]" : h
        guard let port else { return bracketed }
        let defaultPort = scheme.lowercased() == "http" ? 80 : (scheme.lowercased() == "https" ? 443 : nil)
        return port == defaultPort ? bracketed : "\(bracketed):\(port)"
    }

    /// The query string as sent, RFC 3986 encoded, in the given order.
    public var encodedQuery: String {
        query.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }.joined(separator: "&")
    }

    /// The full URL as sent.
    public var urlString: String {
        let authority = port.map { "\(hostBracketed):\($0)" } ?? hostBracketed
        let q = query.isEmpty ? "" : "?" + encodedQuery
        return "\(scheme)://\(authority)\(path.isEmpty ? "/" : path)\(q)"
    }

    /// The URL without its query: what errors name (AppConfigData tokens ride in the query).
    public var urlWithoutQuery: String {
        let authority = port.map { "\(hostBracketed):\($0)" } ?? hostBracketed
        return "\(scheme)://\(authority)\(path.isEmpty ? "/" : path)"
    }

    private var hostBracketed: String { host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host }
}

/// Builds wire paths: each dynamic segment percent-encoded with the unreserved set, as
/// botocore's REST serializer does, so an id or name can never break out of its segment.
public enum Path {
    public static func segments(_ parts: [String]) -> String {
        "/" + parts.map { PercentEncoding.encode($0) }.joined(separator: "/")
    }
}

/// What came back.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders, body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
