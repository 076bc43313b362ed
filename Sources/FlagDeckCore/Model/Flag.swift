import Foundation

/// A named variant of a JSON-valued flag. `value` is JSON text kept verbatim so member
/// order survives a round trip to the formats users already have.
public struct Variant: Hashable, Sendable {
    public var name: String
    public var value: String
    public var weight: Int

    public init(name: String, value: String, weight: Int = 0) {
        self.name = name
        self.value = value
        self.weight = weight
    }
}

extension Variant {
    /// The stored list: `[{"name":…,"value":"<JSON text>","weight":…}]`, the value kept as
    /// text so its member order survives.
    public static func encodeList(_ v: [Variant]) -> String {
        JSONWriter.compact(.array(v.map {
            .object(JSONObject([("name", .string($0.name)), ("value", .string($0.value)), ("weight", .int(Int64($0.weight)))]))
        }))
    }

    public static func decodeList(_ s: String) -> [Variant] {
        guard s != "[]", case .array(let a)? = try? JSONParser.parse(s) else { return [] }
        return a.compactMap { v in
            guard let name = v["name"]?.stringValue, let value = v["value"]?.stringValue else { return nil }
            let weight: Int = if case .int(let w)? = v["weight"] { Int(w) } else { 0 }
            return Variant(name: name, value: value, weight: weight)
        }
    }
}

/// Whether a flag serves true/false or a JSON value picked from named variants.
public enum ValueKind: String, Sendable {
    case boolean
    case json
}

/// A row of the grid: the flag's identity and metadata, shared by all environments.
public struct Flag: Hashable, Sendable {
    public var key: String
    public var description: String
    /// `nil` means nobody owns it, which the review flags as an orphan.
    public var owner: String?
    public var type: FlagType
    public var tags: [String]
    public var createdAt: Date
    public var expiresAt: Date?
    public var dependsOn: [String]
    public var valueKind: ValueKind
    public var variants: [Variant]
    public var version: Int64

    public init(
        key: String, description: String = "", owner: String? = nil, type: FlagType = .release,
        tags: [String] = [], createdAt: Date, expiresAt: Date? = nil, dependsOn: [String] = [],
        valueKind: ValueKind = .boolean, variants: [Variant] = [], version: Int64 = 1
    ) {
        self.key = key
        self.description = description
        self.owner = owner
        self.type = type
        self.tags = tags
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.dependsOn = dependsOn
        self.valueKind = valueKind
        self.variants = variants
        self.version = version
    }
}
