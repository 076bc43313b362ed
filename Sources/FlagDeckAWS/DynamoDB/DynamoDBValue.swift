import Foundation

/// A DynamoDB attribute value, in the wire's own terms. Numbers stay strings (`N`) so
/// `0.10`, `1e3` or a 38-digit integer round-trip exactly; binary is bytes (base64 on the
/// wire); sets keep their order as received.
public indirect enum DynamoDBValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case s(String)
    case n(String)
    case b(Data)
    case ss([String])
    case ns([String])
    case bs([Data])
    case m([String: DynamoDBValue])
    case l([DynamoDBValue])
    case null
    case bool(Bool)

    private enum Key: String, CodingKey { case S, N, B, SS, NS, BS, M, L, NULL, BOOL }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath,
                                                    debugDescription: "an attribute value has exactly one type key, got \(c.allKeys.map(\.stringValue))"))
        }
        switch key {
        case .S: self = .s(try c.decode(String.self, forKey: .S))
        case .N: self = .n(try c.decode(String.self, forKey: .N))
        case .B: self = .b(try c.decode(Data.self, forKey: .B))
        case .SS: self = .ss(try c.decode([String].self, forKey: .SS))
        case .NS: self = .ns(try c.decode([String].self, forKey: .NS))
        case .BS: self = .bs(try c.decode([Data].self, forKey: .BS))
        case .M: self = .m(try c.decode([String: DynamoDBValue].self, forKey: .M))
        case .L: self = .l(try c.decode([DynamoDBValue].self, forKey: .L))
        case .NULL: self = .null
        case .BOOL: self = .bool(try c.decode(Bool.self, forKey: .BOOL))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .s(let v): try c.encode(v, forKey: .S)
        case .n(let v): try c.encode(v, forKey: .N)
        case .b(let v): try c.encode(v, forKey: .B)
        case .ss(let v): try c.encode(v, forKey: .SS)
        case .ns(let v): try c.encode(v, forKey: .NS)
        case .bs(let v): try c.encode(v, forKey: .BS)
        case .m(let v): try c.encode(v, forKey: .M)
        case .l(let v): try c.encode(v, forKey: .L)
        case .null: try c.encode(true, forKey: .NULL)
        case .bool(let v): try c.encode(v, forKey: .BOOL)
        }
    }

    public var description: String {
        switch self {
        case .s(let v): return "S(\(v))"
        case .n(let v): return "N(\(v))"
        case .b(let v): return "B(\(v.count) bytes)"
        case .ss(let v): return "SS\(v)"
        case .ns(let v): return "NS\(v)"
        case .bs(let v): return "BS(\(v.count) values)"
        case .m(let v): return "M{" + v.keys.sorted().map { "\($0): \(v[$0]!)" }.joined(separator: ", ") + "}"
        case .l(let v): return "L[" + v.map(\.description).joined(separator: ", ") + "]"
        case .null: return "NULL"
        case .bool(let v): return "BOOL(\(v))"
        }
    }

    public var stringValue: String? { if case .s(let v) = self { return v }; return nil }
    public var numberValue: String? { if case .n(let v) = self { return v }; return nil }
    public var boolValue: Bool? { if case .bool(let v) = self { return v }; return nil }
    public var mapValue: [String: DynamoDBValue]? { if case .m(let v) = self { return v }; return nil }
    public var listValue: [DynamoDBValue]? { if case .l(let v) = self { return v }; return nil }

    /// `.n` from an integer.
    public static func number<I: BinaryInteger>(_ v: I) -> DynamoDBValue { .n(String(v)) }
}

public typealias DynamoDBItem = [String: DynamoDBValue]
