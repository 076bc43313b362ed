import FlagDeckAWS

/// AWS's answers turned into `SourceError`s an operator can act on: AWS's code and message
/// are kept, and the profile, account, call and the resource by name are said first — with
/// dozens of accounts bound, "AccessDeniedException" alone does not say where.
enum AppConfigFailure {
    /// `source`: the binding's URI. `target`: the resource in words (`application checkout
    /// environment prod configuration profile flags`), used when AWS's context names ids.
    static func map(_ error: Error, source: String, target: String?) -> SourceError {
        if let e = error as? SourceError { return e }
        guard let aws = error as? AWSError else { return .unreachable(source: source, detail: "\(error)") }
        guard let f = aws.failure else { return .unreachable(source: source, detail: aws.description) }
        let who = Self.who(f.context)
        let call = [f.context.service.map { $0 == "appconfigdata" ? "appconfig" : $0 }, f.context.operation]
            .compactMap { $0 }.joined(separator: ":")
        let on = target ?? f.context.resource
        let tail = "(\(f.code), HTTP \(f.httpStatus)\(f.requestId.map { ", request id \($0)" } ?? ""))"
        switch f.code {
        case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException":
            return .unreachable(source: source, detail: "\(who) may not \(call)\(on.map { " on \($0)" } ?? ""): \(f.message) \(tail);"
                                + " grant it to this identity (docs/aws.md, \"Permissions\"); nothing was changed")
        case "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature":
            return .unreachable(source: source, detail: "\(who): AWS refused the request signature for \(call): \(f.message) \(tail);"
                                + " the secret access key of this profile is wrong or was rotated; nothing was changed")
        case "UnrecognizedClientException", "InvalidClientTokenId":
            return .unreachable(source: source, detail: "\(who): AWS does not know this access key (\(call)): \(f.message) \(tail);"
                                + " check the profile's credentials; nothing was changed")
        case "ExpiredToken", "ExpiredTokenException", "RequestExpired":
            return .unreachable(source: source, detail: "\(who): the credentials expired (\(call)): \(f.message) \(tail);"
                                + " refresh them (e.g. `aws sso login`) and retry; nothing was changed")
        case "ResourceNotFoundException":
            return .unreachable(source: source, detail: "\(who): \(call)\(on.map { " on \($0)" } ?? ""): \(f.message) \(tail)")
        case "PayloadTooLargeException":
            return .unsupported(source: source, detail: "\(who): AppConfig refused the document as too large for a hosted"
                                + " configuration: \(f.message) \(tail); nothing was changed")
        default:
            return .unreachable(source: source, detail: aws.description)
        }
    }

    /// `profile payments-prod (account 222222222222)`.
    static func who(_ c: AWSErrorContext) -> String {
        var s = "profile \(c.profile ?? "default")"
        if let a = c.accountId { s += " (account \(a))" }
        return s
    }
}
