import Foundation

/// A parsed XML element: enough for the query protocol's small, attribute-free answers
/// (STS). Hand-written because FoundationXML drags in libxml2 and this module promises
/// Foundation and Crypto only.
struct XMLNode: Sendable, Hashable {
    var name: String
    var children: [XMLNode] = []
    var text: String = ""

    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// The text at a path of child names: `node["GetCallerIdentityResult", "Account"]`.
    subscript(_ path: String...) -> String? {
        var n = self
        for p in path {
            guard let c = n.child(p) else { return nil }
            n = c
        }
        return n.text
    }

    /// Depth-first search for the first element with this name.
    func first(_ name: String) -> XMLNode? {
        if self.name == name { return self }
        for c in children { if let f = c.first(name) { return f } }
        return nil
    }

    /// Parses a document and returns its root element, or nil when it is not well-formed.
    static func parse(_ data: Data) -> XMLNode? {
        var p = Parser(bytes: Array(data))
        return p.document()
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func document() -> XMLNode? {
            skipMisc()
            guard let root = element() else { return nil }
            skipMisc()
            return i == bytes.count ? root : nil
        }

        mutating func skipMisc() {
            while true {
                skipSpace()
                if starts("<?") { skip(past: "?>") } else if starts("<!--") { skip(past: "-->") }
                else if starts("<!DOCTYPE") { skip(past: ">") } else { return }
            }
        }

        mutating func element() -> XMLNode? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "<") else { return nil }
            i += 1
            let rawName = name()
            guard !rawName.isEmpty else { return nil }
            var node = XMLNode(name: localName(rawName))
            // Attributes are skipped: no answer this module reads carries data in them.
            while i < bytes.count, bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "/") {
                if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    let q = bytes[i]
                    i += 1
                    while i < bytes.count, bytes[i] != q { i += 1 }
                }
                i += 1
            }
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: "/") {
                i += 1
                guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { return nil }
                i += 1
                return node
            }
            i += 1
            var text = [UInt8]()
            while i < bytes.count {
                if starts("</") {
                    i += 2
                    let closing = name()
                    skipSpace()
                    guard closing == rawName, i < bytes.count, bytes[i] == UInt8(ascii: ">") else { return nil }
                    i += 1
                    node.text = decodeEntities(text)
                    return node
                } else if starts("<!--") {
                    skip(past: "-->")
                } else if starts("<![CDATA[") {
                    i += 9
                    while i < bytes.count, !starts("]]>") { text.append(bytes[i]); i += 1 }
                    i += 3
                } else if bytes[i] == UInt8(ascii: "<") {
                    guard let child = element() else { return nil }
                    node.children.append(child)
                } else {
                    text.append(bytes[i])
                    i += 1
                }
            }
            return nil
        }

        mutating func name() -> String {
            let start = i
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: " ") || c == UInt8(ascii: ">") || c == UInt8(ascii: "/") || c == 9 || c == 10 || c == 13 {
                    break
                }
                i += 1
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        func localName(_ n: String) -> String {
            if let colon = n.lastIndex(of: ":") { return String(n[n.index(after: colon)...]) }
            return n
        }

        mutating func skipSpace() {
            while i < bytes.count, [32, 9, 10, 13].contains(bytes[i]) { i += 1 }
        }

        func starts(_ s: String) -> Bool {
            let u = Array(s.utf8)
            return i + u.count <= bytes.count && Array(bytes[i..<(i + u.count)]) == u
        }

        mutating func skip(past s: String) {
            while i < bytes.count, !starts(s) { i += 1 }
            i = min(bytes.count, i + s.utf8.count)
        }

        func decodeEntities(_ raw: [UInt8]) -> String {
            let s = String(decoding: raw, as: UTF8.self)
            guard s.contains("&") else { return s }
            var out = ""
            var rest = Substring(s)
            while let amp = rest.firstIndex(of: "&") {
                out += rest[..<amp]
                guard let semi = rest[amp...].firstIndex(of: ";") else { out += rest[amp...]; return out }
                let entity = rest[rest.index(after: amp)..<semi]
                switch entity {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    var scalar: UInt32?
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") { scalar = UInt32(entity.dropFirst(2), radix: 16) }
                    else if entity.hasPrefix("#") { scalar = UInt32(entity.dropFirst()) }
                    if let v = scalar, let u = Unicode.Scalar(v) { out.unicodeScalars.append(u) } else { out += rest[amp...semi] }
                }
                rest = rest[rest.index(after: semi)...]
            }
            return out + rest
        }
    }
}
