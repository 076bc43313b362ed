/// A tiny JSON document builder for command output. Field order is the order written,
/// so documented `--json` shapes stay stable and readable, and audit snapshots (already
/// JSON text) can be embedded verbatim with `.raw`.
public indirect enum JSONOut: Sendable {
    case object([(String, JSONOut)])
    case array([JSONOut])
    case string(String)
    case int(Int64)
    case number(String)
    case bool(Bool)
    case null
    /// Pre-rendered JSON text, inserted as is.
    case raw(String)

    public static func optional(_ s: String?) -> JSONOut { s.map(JSONOut.string) ?? .null }

    public func render(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : nil)
        return out
    }

    private func write(into out: inout String, indent: Int?) {
        let nl = indent == nil ? "" : "\n"
        let pad = { (n: Int) in String(repeating: "  ", count: n) }
        switch self {
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + nl
            for (i, (k, v)) in members.enumerated() {
                if let indent { out += pad(indent + 1) }
                out += JSONText.quote(k) + (indent == nil ? ":" : ": ")
                v.write(into: &out, indent: indent.map { $0 + 1 })
                if i < members.count - 1 { out += "," }
                out += nl
            }
            if let indent { out += pad(indent) }
            out += "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + nl
            for (i, v) in items.enumerated() {
                if let indent { out += pad(indent + 1) }
                v.write(into: &out, indent: indent.map { $0 + 1 })
                if i < items.count - 1 { out += "," }
                out += nl
            }
            if let indent { out += pad(indent) }
            out += "]"
        case .string(let s): out += JSONText.quote(s)
        case .int(let i): out += String(i)
        case .number(let n): out += n
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .raw(let r): out += r
        }
    }
}
