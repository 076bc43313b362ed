import Foundation

/// An access key, its secret, and the session token of temporary credentials.
///
/// Every textual form (`description`, `debugDescription`, `dump`, string interpolation)
/// shows the access key id only: secrets must never reach output, errors, logs or the
/// audit log, and a stray `print(credentials)` is the usual way they do.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?
    /// The account the credentials belong to, when their source says so
    /// (`credential_process` may return `AccountId`; an assumed role's ARN names it).
    public var accountId: String?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil,
                accountId: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.accountId = accountId
    }

    public var description: String {
        var s = "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>"
        if sessionToken != nil { s += ", sessionToken: <redacted>" }
        if let expiration { s += ", expiration: \(ISO8601.format(expiration))" }
        return s + ")"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyId": accessKeyId, "secretAccessKey": "<redacted>",
                                "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
                                "expiration": expiration as Any], displayStyle: .struct)
    }

    /// The secret strings to scrub from anything built while these credentials were in use.
    var secrets: [String] { [secretAccessKey, sessionToken].compactMap { $0 }.filter { $0.count >= 4 } }
}

/// Removes known secret values from text that is about to become an error message.
/// Defence in depth: no error is built from a secret on purpose, but a server message or
/// a helper process's stderr could echo one.
struct Redactor: Sendable {
    var secrets: [String]

    func scrub(_ text: String) -> String {
        var t = text
        for s in secrets where !s.isEmpty { t = t.replacingOccurrences(of: s, with: "<redacted>") }
        return t
    }
}
