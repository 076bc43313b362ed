import Foundation

/// Reads AWS's error code, message and request id out of an error response, for both
/// protocols this module speaks. Mirrors botocore's parsers: for JSON, the
/// `x-amzn-ErrorType` header wins, then `__type`, then `code`/`Code`; a namespace
/// (`com.amazonaws.dynamodb.v20120810#`) and a trailing `:http://…` are dropped.
enum ErrorResponseParser {
    struct Parsed: Sendable, Hashable {
        var code: String
        var message: String
        var requestId: String?
        /// DynamoDB's `Item` on a failed condition (`ReturnValuesOnConditionCheckFailure`).
        var item: [String: DynamoDBValue]?
        /// DynamoDB's `CancellationReasons` of a cancelled transaction.
        var cancellationReasons: [DynamoDBCancellationReason]?
    }

    static func parse(_ r: HTTPResponse, protocol proto: AWSProtocol) -> Parsed {
        var requestId = r.headers["x-amzn-RequestId"] ?? r.headers["x-amz-request-id"]
        var code: String?
        var message: String?
        var item: [String: DynamoDBValue]?
        var reasons: [DynamoDBCancellationReason]?
        switch proto {
        case .json:
            if let h = r.headers["x-amzn-ErrorType"], !h.isEmpty { code = h }
            if let obj = (try? JSONSerialization.jsonObject(with: r.body)) as? [String: Any] {
                if code == nil { code = (obj["__type"] as? String) ?? (obj["code"] as? String) ?? (obj["Code"] as? String) }
                message = (obj["message"] as? String) ?? (obj["Message"] as? String) ?? (obj["errorMessage"] as? String)
                if obj["Item"] != nil, let d = try? JSONSerialization.data(withJSONObject: ["Item": obj["Item"]!]) {
                    item = (try? JSONDecoder().decode(ItemBox.self, from: d))?.Item
                }
                if obj["CancellationReasons"] != nil,
                   let d = try? JSONSerialization.data(withJSONObject: ["CancellationReasons": obj["CancellationReasons"]!]) {
                    reasons = (try? JSONDecoder().decode(ReasonsBox.self, from: d))?.CancellationReasons
                }
            }
        case .query:
            if let root = XMLNode.parse(r.body), let err = root.first("Error") {
                code = err["Code"]
                message = err["Message"]
                requestId = requestId ?? root.first("RequestId")?.text
            }
        }
        var c = code ?? ""
        if let hash = c.lastIndex(of: "#") { c = String(c[c.index(after: hash)...]) }
        if let colon = c.firstIndex(of: ":") { c = String(c[..<colon]) }
        c = c.trimmingCharacters(in: .whitespaces)
        if c.isEmpty { c = fallbackCode(r.status) }
        var m = message ?? ""
        if message == nil, !r.body.isEmpty {
            m = String(decoding: r.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return Parsed(code: c, message: m, requestId: requestId, item: item, cancellationReasons: reasons)
    }

    static func fallbackCode(_ status: Int) -> String {
        switch status {
        case 400: return "BadRequest"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 409: return "Conflict"
        case 412: return "PreconditionFailed"
        case 413: return "PayloadTooLarge"
        case 429: return "TooManyRequests"
        case 500: return "InternalServerError"
        case 502: return "BadGateway"
        case 503: return "ServiceUnavailable"
        case 504: return "GatewayTimeout"
        default: return "HTTP\(status)"
        }
    }

    private struct ItemBox: Decodable { var Item: [String: DynamoDBValue] }
    private struct ReasonsBox: Decodable { var CancellationReasons: [DynamoDBCancellationReason] }
}
