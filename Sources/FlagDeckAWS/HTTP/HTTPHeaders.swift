/// Header fields with case-insensitive names, in insertion order. One value per name:
/// none of the calls this module makes repeats a header, and a single value keeps
/// the signed form and the sent form trivially the same.
public struct HTTPHeaders: Sendable, Hashable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (n, v) in pairs { self[n] = v }
    }

    public subscript(name: String) -> String? {
        get {
            let l = name.lowercased()
            return fields.first { $0.name.lowercased() == l }?.value
        }
        set {
            let l = name.lowercased()
            if let i = fields.firstIndex(where: { $0.name.lowercased() == l }) {
                if let newValue { fields[i].value = newValue } else { fields.remove(at: i) }
            } else if let newValue {
                fields.append((name, newValue))
            }
        }
    }

    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into h: inout Hasher) {
        for f in fields { h.combine(f.name); h.combine(f.value) }
    }
}
