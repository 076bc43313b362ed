import Foundation

/// JSON in and out of the services. Timestamps arrive as ISO 8601 strings (REST-JSON) or
/// epoch seconds (JSON 1.0); both decode.
enum JSONCoding {
    /// Fails only for values JSON cannot hold (a NaN or infinite number).
    static func encode<T: Encodable>(_ value: T, context: AWSErrorContext) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        e.dataEncodingStrategy = .base64
        do {
            return try e.encode(value)
        } catch {
            throw AWSError.invalidRequest(reason: "cannot encode the request as JSON: \(describe(error))", context: context)
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data, context: AWSErrorContext) throws -> T {
        let d = JSONDecoder()
        d.dataDecodingStrategy = .base64
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Double.self) { return Date(timeIntervalSince1970: n) }
            let s = try c.decode(String.self)
            if let date = ISO8601.parse(s) { return date }
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 time: \(s)")
        }
        do {
            return try d.decode(type, from: data.isEmpty ? Data("{}".utf8) : data)
        } catch {
            throw AWSError.invalidResponse(reason: describe(error), context: context)
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let c):
            return "missing \(path(c.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "unexpected value at \(path(c.codingPath)): \(c.debugDescription)"
        case DecodingError.dataCorrupted(let c):
            return c.codingPath.isEmpty ? "not JSON" : "bad value at \(path(c.codingPath)): \(c.debugDescription)"
        default:
            return "\(error)"
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// A list page in AppConfig's REST-JSON shape.
struct AppConfigPage<Item: Decodable>: Decodable {
    var items: [Item]
    var nextToken: String?

    enum CodingKeys: String, CodingKey {
        case items = "Items", nextToken = "NextToken"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        items = try c.decodeIfPresent([Item].self, forKey: .items) ?? []
        nextToken = try c.decodeIfPresent(String.self, forKey: .nextToken)
    }
}
