/// Command output (`--json`, review reports, discovery) is built from the same model the
/// formats parse into and written by `JSONWriter`, so flagdeck has one idea of JSON text:
/// members in the order built (documented shapes stay readable), integers exact, one
/// escaping. Only `StateJSON` writes by hand, because its bytes are hashed into the chain.
extension JSONObject: ExpressibleByArrayLiteral {
    /// `.object([("seq", .int(1)), ("at", .string(t))])`: members in the order written.
    public init(arrayLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONValue {
    public static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    /// JSON text flagdeck stored itself (audit snapshots, rules, variant values), as a
    /// value. Text that does not parse is shown as a string: a damaged row stays visible.
    public static func embedded(_ text: String) -> JSONValue {
        (try? JSONParser.parse(Array(text.utf8))) ?? .string(text)
    }

    /// A rollout as a JSON number: `25`, `25.5`, `25.55` (basis points are exact; no `25.0`).
    public static func percent(basisPoints bp: Int) -> JSONValue {
        bp % 100 == 0 ? .int(Int64(bp / 100)) : .double(Double(bp) / 100)
    }

    /// Pretty (two-space) or compact text, without a trailing newline: callers print it.
    public func render(pretty: Bool = true) -> String {
        var out = ""
        JSONWriter.write(self, into: &out, indent: pretty ? "  " : nil, level: 0)
        return out
    }
}

extension JSONObject {
    /// Adds a member at the end, or replaces the value of the member with that key.
    public mutating func append(_ member: (String, JSONValue)) {
        self[member.0] = member.1
    }
}
