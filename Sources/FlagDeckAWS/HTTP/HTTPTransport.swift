import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why a request never produced an HTTP response.
public struct TransportFailure: Error, Sendable, Hashable {
    public var url: String
    public var reason: String
    /// Worth another attempt (timeouts, refused or dropped connections); DNS failures and
    /// TLS errors are not: they do not fix themselves in a second.
    public var retryable: Bool
}

/// The one HTTP client: a blocking `send` over a single `URLSession`, safe to call from
/// any number of threads at once.
///
/// Why URLSession and a semaphore: callers (the store, operations, parallel scan
/// segments) are synchronous, and URLSession is the only HTTP client in reach that does
/// TLS on Linux without new dependencies. One session per transport keeps connections
/// alive between calls (on Linux it is one libcurl multi handle with its connection
/// cache), which is what makes a warm call cost milliseconds; share one transport among
/// all clients (`HTTPTransport.shared`) so every account's calls reuse the pool.
public final class HTTPTransport: Sendable {
    public static let shared = HTTPTransport()

    private let session: URLSession
    public let timeout: TimeInterval

    /// - Parameters:
    ///   - maxConnectionsPerHost: parallel requests to one host (a segmented scan needs
    ///     one per segment).
    ///   - timeout: per attempt, in seconds.
    public init(maxConnectionsPerHost: Int = 32, timeout: TimeInterval = 15) {
        let config = URLSessionConfiguration.ephemeral
        config.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout * 2
        config.urlCache = nil
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.httpCookieStorage = nil
        config.httpShouldSetCookies = false
        config.httpCookieAcceptPolicy = .never
        session = URLSession(configuration: config)
        self.timeout = timeout
    }

    deinit {
        // Asynchronously: invalidating waits on the session's own queue, and the last
        // reference may be dropped on that queue.
        let s = session
        DispatchQueue.global().async { s.invalidateAndCancel() }
    }

    /// Sends and waits. Never call this on a URLSession delegate queue.
    public func send(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure> {
        let urlString = request.urlString
        guard let url = URL(string: urlString) else {
            return .failure(TransportFailure(url: request.urlWithoutQuery, reason: "not a valid URL", retryable: false))
        }
        var r = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        r.httpMethod = request.method
        for (name, value) in request.headers { r.setValue(value, forHTTPHeaderField: name) }
        if request.headers["User-Agent"] == nil { r.setValue("flagdeck-aws/1", forHTTPHeaderField: "User-Agent") }
        if !request.body.isEmpty { r.httpBody = request.body }

        let box = ResultBox()
        let timeout = self.timeout, displayURL = request.urlWithoutQuery
        // The handler captures no `self`, so the transport is never released on URLSession's queue.
        let task = session.dataTask(with: r) { data, response, error in
            if let error {
                box.result = .failure(Self.failure(error, url: displayURL, timeout: timeout))
            } else if let http = response as? HTTPURLResponse {
                var headers = HTTPHeaders()
                for (k, v) in http.allHeaderFields {
                    if let k = k as? String { headers[k] = "\(v)" }
                }
                box.result = .success(HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data()))
            } else {
                box.result = .failure(TransportFailure(url: displayURL, reason: "no HTTP response", retryable: true))
            }
            box.done.signal()
        }
        task.resume()
        box.done.wait()
        return box.result ?? .failure(TransportFailure(url: request.urlWithoutQuery, reason: "no result", retryable: true))
    }

    static func failure(_ error: Error, url: String, timeout: TimeInterval) -> TransportFailure {
        guard let u = error as? URLError else {
            return TransportFailure(url: url, reason: "\(error.localizedDescription)", retryable: true)
        }
        switch u.code {
        case .timedOut:
            return TransportFailure(url: url, reason: "timed out after \(Int(timeout)) s", retryable: true)
        case .cannotConnectToHost:
            return TransportFailure(url: url, reason: "connection refused", retryable: true)
        case .networkConnectionLost:
            return TransportFailure(url: url, reason: "connection closed by the server", retryable: true)
        case .notConnectedToInternet:
            return TransportFailure(url: url, reason: "no network", retryable: true)
        case .cannotFindHost, .dnsLookupFailed:
            return TransportFailure(url: url, reason: "host name not found (DNS)", retryable: false)
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return TransportFailure(url: url, reason: "TLS failure: \(u.localizedDescription)", retryable: false)
        case .badURL, .unsupportedURL:
            return TransportFailure(url: url, reason: "unsupported URL", retryable: false)
        default:
            return TransportFailure(url: url, reason: u.localizedDescription, retryable: true)
        }
    }
}

private final class ResultBox: @unchecked Sendable {
    // Written once by the completion handler before `done` is signalled, read after.
    var result: Result<HTTPResponse, TransportFailure>?
    let done = DispatchSemaphore(value: 0)
}
