import Foundation

/// Retries for throttling, 5xx and transient network failures: full-jitter exponential
/// backoff (`sleep = random(0, min(maxDelay, baseDelay · 2^(retry-1)))`, as in the AWS
/// SDKs' "standard" mode), at most `maxAttempts` attempts and never past `maxTotal`
/// seconds in all, so a kill path cannot hang on a throttled account.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    public var maxTotal: TimeInterval

    public init(maxAttempts: Int = 5, baseDelay: TimeInterval = 0.1, maxDelay: TimeInterval = 5,
                maxTotal: TimeInterval = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotal = maxTotal
    }

    /// Five attempts, 100 ms base, 5 s cap, 20 s in all.
    public static let standard = RetryPolicy()
    /// One attempt.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The pause before retry number `retry` (1-based), for a uniform `random` in [0, 1).
    public func delay(beforeRetry retry: Int, random: Double) -> TimeInterval {
        let exp = baseDelay * pow(2, Double(max(0, retry - 1)))
        return random * min(maxDelay, exp)
    }

    /// Error codes that mean "slow down" across the services this module calls.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// Error codes for transient server-side failures that come with a 4xx status.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "InternalServerError",
        "InternalServerException", "ServiceUnavailable", "ServiceUnavailableException",
    ]

    public static func isRetryable(status: Int, code: String) -> Bool {
        status == 429 || status >= 500 || throttlingCodes.contains(code) || transientCodes.contains(code)
    }
}
