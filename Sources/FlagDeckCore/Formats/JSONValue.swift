/// A JSON document as the formats need it: object members keep file order (rule order
/// is evaluation order in Powertools), and integers stay integers of any size so that
/// `1` and `1.0` and a 30-digit id all keep the meaning Python gives them.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    /// Integers outside Int64; never holds a value that fits in `.int`.
    case bigInt(BigInteger)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Python's truthiness, which Powertools uses for defaults and `boolean_type`.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .bigInt: true
        case .double(let d): d != 0
        case .string(let s): !s.isEmpty
        case .array(let a): !a.isEmpty
        case .object(let o): !o.isEmpty
        }
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }

    /// Python's `isinstance(v, int)`, which is also true for booleans.
    public var isPythonInt: Bool {
        switch self {
        case .bool, .int, .bigInt: true
        default: false
        }
    }

    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// Python type names, for messages that mirror what Powertools users see.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int, .bigInt: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Builds `.int` or `.bigInt` so that equal integers always have one representation.
    public static func integer(_ b: BigInteger) -> JSONValue {
        if let i = b.int64 { return .int(i) }
        return .bigInt(b)
    }
}

/// Object members in file order. Lookups are linear for small objects and hashed for
/// large ones; duplicates are refused by the parser, so a key names one member.
public struct JSONObject: Sendable, Hashable {
    public private(set) var members: [(key: String, value: JSONValue)]
    private var index: [String: Int]?

    public init(_ members: [(String, JSONValue)] = []) {
        self.members = members.map { (key: $0.0, value: $0.1) }
        if members.count > 8 { buildIndex() }
    }

    private mutating func buildIndex() {
        var idx: [String: Int] = [:]
        for (i, m) in members.enumerated() { idx[m.key] = i }
        index = idx
    }

    public var isEmpty: Bool { members.isEmpty }
    public var count: Int { members.count }
    public var keys: [String] { members.map(\.key) }

    /// Key lookup by code points, like a Python dict (Swift `==` would merge NFC/NFD forms).
    public subscript(key: String) -> JSONValue? {
        get {
            if let index {
                // Dictionary<String> hashing uses canonical equivalence; confirm code points.
                if let i = index[key], JSONCompare.sameScalars(members[i].key, key) { return members[i].value }
                if index[key] == nil { return nil }
            }
            for m in members where JSONCompare.sameScalars(m.key, key) { return m.value }
            return nil
        }
        set {
            if let i = members.firstIndex(where: { JSONCompare.sameScalars($0.key, key) }) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i); index = nil; if members.count > 8 { buildIndex() } }
            } else if let newValue {
                members.append((key: key, value: newValue))
                if index != nil || members.count > 8 { buildIndex() }
            }
        }
    }

    public func contains(_ key: String) -> Bool { self[key] != nil }

    /// Python dict equality: same key set, equal values, order ignored.
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.members.count == b.members.count else { return false }
        for m in a.members {
            guard let v = b[m.key], JSONCompare.pyEqual(m.value, v) else { return false }
        }
        return true
    }

    public func hash(into h: inout Hasher) {
        h.combine(members.count)
    }
}

extension JSONValue {
    /// Structural equality follows Python (`1 == 1.0 == true`), so `Hashable` stays
    /// consistent only for that relation; hash by a coarse key.
    public static func == (a: JSONValue, b: JSONValue) -> Bool { JSONCompare.pyEqual(a, b) }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .string(let s): h.combine(Array(s.utf8))
        case .array(let a): h.combine(a.count)
        case .object(let o): h.combine(o.count)
        default: h.combine(1)
        }
    }
}
