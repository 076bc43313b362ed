/// Deterministic JSON text: members in stored order, fixed spacing, integers written
/// exactly, floats in shortest round-trip form, non-ASCII kept as UTF-8. The same value
/// always gives the same bytes, which is what makes exports diffable and re-imports no-ops.
public enum JSONWriter {
    public static func compact(_ v: JSONValue) -> String {
        var out = ""
        write(v, into: &out, indent: nil, level: 0)
        return out
    }

    /// Two-space indentation and a trailing newline, for files people read and diff.
    public static func pretty(_ v: JSONValue) -> String {
        var out = ""
        write(v, into: &out, indent: "  ", level: 0)
        out += "\n"
        return out
    }

    public static func number(_ d: Double) -> String {
        if d.isNaN { return "null" }
        if d.isInfinite { return d < 0 ? "-1e999" : "1e999" }
        return "\(d)"
    }

    static func write(_ v: JSONValue, into out: inout String, indent: String?, level: Int) {
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .bigInt(let b): out += b.description
        case .double(let d): out += number(d)
        case .string(let s): out += JSONText.quote(s)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (k, x) in a.enumerated() {
                if k > 0 { out += "," }
                newline(&out, indent, level + 1)
                write(x, into: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out += "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{"
            for (k, m) in o.members.enumerated() {
                if k > 0 { out += "," }
                newline(&out, indent, level + 1)
                out += JSONText.quote(m.key)
                out += indent == nil ? ":" : ": "
                write(m.value, into: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out += "}"
        }
    }

    @inline(__always)
    static func newline(_ out: inout String, _ indent: String?, _ level: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }
}
