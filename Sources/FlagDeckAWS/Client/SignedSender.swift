import Foundation

/// Signs, sends and retries one `AWSRequest` against one endpoint: the single path every
/// call takes, including the STS calls that assume roles for other profiles.
struct SignedSender: Sendable {
    var transport: HTTPTransport
    var retry: RetryPolicy
    var region: String

    /// Error codes meaning "these credentials have lapsed": refresh once and try again.
    static let expiredCodes: Set<String> = ["ExpiredToken", "ExpiredTokenException", "RequestExpired"]

    func send(_ request: AWSRequest, endpoint: Endpoint, credentials provider: AWSCredentialProvider,
              context: AWSErrorContext) throws -> HTTPResponse {
        let started = DispatchTime.now()
        var attempt = 0
        var refreshedAfterExpiry = false
        while true {
            attempt += 1
            let creds = try provider.credentials()
            let redactor = Redactor(secrets: creds.secrets)
            let http = HTTPRequest(method: request.method, scheme: endpoint.scheme, host: endpoint.host,
                                   port: endpoint.port, path: endpoint.basePath + request.path, query: request.query,
                                   headers: request.headers, body: request.body)
            let signed = SigV4.sign(http, credentials: creds, service: request.service.signingName, region: region,
                              date: Date()).request

            func pauseBeforeRetry() -> Bool {
                guard attempt < retry.maxAttempts else { return false }
                let pause = retry.delay(beforeRetry: attempt, random: Double.random(in: 0..<1))
                let spent = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
                guard spent + pause < retry.maxTotal else { return false }
                if pause > 0 { Thread.sleep(forTimeInterval: pause) }
                return true
            }

            switch transport.send(signed) {
            case .failure(let f):
                if f.retryable, pauseBeforeRetry() { continue }
                throw AWSError.network(url: f.url, reason: redactor.scrub(f.reason), attempts: attempt, context: context)
            case .success(let response):
                if (200..<300).contains(response.status) { return response }
                let parsed = ErrorResponseParser.parse(response, protocol: request.protocol)
                if Self.expiredCodes.contains(parsed.code), !refreshedAfterExpiry, attempt < retry.maxAttempts {
                    refreshedAfterExpiry = true
                    provider.invalidate()
                    continue
                }
                if RetryPolicy.isRetryable(status: response.status, code: parsed.code), pauseBeforeRetry() { continue }
                let failure = AWSServiceFailure(code: parsed.code, message: redactor.scrub(parsed.message),
                                                httpStatus: response.status, requestId: parsed.requestId,
                                                attempts: attempt, context: context,
                                                cancellationReasons: parsed.cancellationReasons)
                if parsed.code == "ConditionalCheckFailedException" {
                    throw AWSError.conditionalCheckFailed(failure, item: parsed.item)
                }
                throw AWSError.service(failure)
            }
        }
    }
}
