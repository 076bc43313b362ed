/// How a document lays out its JSON, read from its own bytes, so that text flagdeck writes
/// into it looks like the rest of it: the same newline convention (LF or CRLF), the same
/// indentation unit (two or four spaces, a tab), and — for one-line containers — the same
/// separators (`", "` and `": "` as Python writes them, or `","` and `":"`).
public struct JSONLayout: Sendable, Equatable {
    public var newline: String
    public var unit: String
    /// Between members of a one-line container.
    public var itemSeparator: String
    /// Between a key and its value, in both styles.
    public var keySeparator: String

    public init(newline: String = "\n", unit: String = "  ", itemSeparator: String = ", ", keySeparator: String = ": ") {
        self.newline = newline
        self.unit = unit
        self.itemSeparator = itemSeparator
        self.keySeparator = keySeparator
    }

    /// Reads the layout of `bytes`, whose root value lies at `root` (members recorded).
    static func detect(_ bytes: [UInt8], root: JSONSpan) -> JSONLayout {
        var l = JSONLayout()
        if let nl = firstNewline(bytes) { l.newline = nl }
        if let ms = root.members, let first = ms.first {
            l.keySeparator = text(bytes, first.keyEnd..<first.value.start)
            if ms.count > 1 {
                let sep = text(bytes, first.value.end..<ms[1].keyStart)
                if !sep.contains("\n") { l.itemSeparator = sep }
            }
            if let unit = indentUnit(bytes, container: root) { l.unit = unit }
            else if let unit = ms.lazy.compactMap({ m in indentUnit(bytes, container: m.value) }).first { l.unit = unit }
        }
        if l.keySeparator.contains("\n") || l.keySeparator.isEmpty { l.keySeparator = ": " }
        return l
    }

    static func firstNewline(_ b: [UInt8]) -> String? {
        guard let i = b.firstIndex(of: 0x0A) else { return nil }
        return i > 0 && b[i - 1] == 0x0D ? "\r\n" : "\n"
    }

    static func text(_ b: [UInt8], _ r: Range<Int>) -> String { String(decoding: b[r], as: UTF8.self) }

    /// The whitespace that starts the line holding offset `at` (up to the first non-blank).
    static func lineIndent(_ b: [UInt8], at: Int) -> String {
        var s = at
        while s > 0 && b[s - 1] != 0x0A { s -= 1 }
        var e = s
        while e < b.count && (b[e] == 0x20 || b[e] == 0x09) { e += 1 }
        return text(b, s..<e)
    }

    /// Whether a recorded container puts its members on their own lines.
    static func isMultiline(_ b: [UInt8], _ c: JSONSpan) -> Bool? {
        let firstStart: Int
        if let m = c.members?.first { firstStart = m.keyStart } else if let e = c.elements?.first { firstStart = e.start } else { return nil }
        return b[c.start..<firstStart].contains(0x0A)
    }

    /// Like `isMultiline`, also for a container whose members were not recorded (then any
    /// newline inside it counts); nil for scalars and empty containers.
    static func looksMultiline(_ b: [UInt8], _ c: JSONSpan) -> Bool? {
        if c.members != nil || c.elements != nil { return isMultiline(b, c) }
        guard c.end - c.start > 2, b[c.start] == UInt8(ascii: "{") || b[c.start] == UInt8(ascii: "[") else { return nil }
        return b[c.range].contains(0x0A)
    }

    /// Indentation of the members' lines of a multi-line container.
    static func memberIndent(_ b: [UInt8], _ c: JSONSpan) -> String? {
        let firstStart: Int
        if let m = c.members?.first { firstStart = m.keyStart } else if let e = c.elements?.first { firstStart = e.start } else { return nil }
        guard let nl = b[c.start..<firstStart].lastIndex(of: 0x0A) else { return nil }
        return text(b, (nl + 1)..<firstStart).filter { $0 == " " || $0 == "\t" }
    }

    static func indentUnit(_ b: [UInt8], container c: JSONSpan) -> String? {
        guard let inner = memberIndent(b, c) else { return nil }
        let outer = lineIndent(b, at: c.start)
        guard inner.count > outer.count, inner.hasPrefix(outer) else { return nil }
        return String(inner.dropFirst(outer.count))
    }
}

extension JSONWriter {
    /// `v` written in a document's layout. `multiline` puts every member and element of
    /// every container on its own line, indented one `unit` deeper than `indent` (the
    /// indentation of the line the value starts on), as `json.dumps(indent=…)` does; otherwise
    /// everything is on one line with the layout's separators.
    public static func render(_ v: JSONValue, layout: JSONLayout, multiline: Bool, indent: String) -> String {
        var out = ""
        render(v, into: &out, layout: layout, multiline: multiline, indent: indent)
        return out
    }

    static func render(_ v: JSONValue, into out: inout String, layout l: JSONLayout, multiline: Bool, indent: String) {
        switch v {
        case .array(let a) where !a.isEmpty:
            out += "["
            let inner = indent + l.unit
            for (k, x) in a.enumerated() {
                if k > 0 { out += multiline ? "," : l.itemSeparator }
                if multiline { out += l.newline + inner }
                render(x, into: &out, layout: l, multiline: multiline, indent: inner)
            }
            if multiline { out += l.newline + indent }
            out += "]"
        case .object(let o) where !o.isEmpty:
            out += "{"
            let inner = indent + l.unit
            for (k, m) in o.members.enumerated() {
                if k > 0 { out += multiline ? "," : l.itemSeparator }
                if multiline { out += l.newline + inner }
                out += JSONText.quote(m.key)
                out += l.keySeparator
                render(m.value, into: &out, layout: l, multiline: multiline, indent: inner)
            }
            if multiline { out += l.newline + indent }
            out += "}"
        default:
            write(v, into: &out, indent: nil, level: 0)
        }
    }
}
