import Foundation

/// A small order-preserving view of JSON text. Powertools evaluates rules in the order
/// they are written, and `JSONSerialization` loses object member order, so the demo
/// reads the feature files with this: it splits an object into its members in file
/// order and hands each value back as minified JSON text, which is exactly how the
/// core stores rules and defaults. (The formats layer brings a full `JSONValue` parser;
/// this is only the slice the demo needs.)
enum RawJSON {
    struct SyntaxError: Error, CustomStringConvertible {
        var offset: Int
        var detail: String
        var description: String { "\(detail) at byte \(offset)" }
    }

    /// The members of the top-level object, in order, with minified value text.
    static func members(_ text: String) throws -> [(key: String, value: String)] {
        var s = Scanner(Array(text.utf8))
        s.skipSpace()
        let out = try s.objectMembers()
        s.skipSpace()
        guard s.atEnd else { throw s.error("trailing characters after the JSON value") }
        return out
    }

    /// The value re-serialised without insignificant whitespace; strings are kept verbatim.
    static func minify(_ text: String) throws -> String {
        var s = Scanner(Array(text.utf8))
        s.skipSpace()
        let v = try s.value()
        s.skipSpace()
        guard s.atEnd else { throw s.error("trailing characters after the JSON value") }
        return v
    }

    struct Scanner {
        let b: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) { b = bytes }

        var atEnd: Bool { i >= b.count }

        func error(_ d: String) -> SyntaxError { SyntaxError(offset: i, detail: d) }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ c: UInt8) throws {
            skipSpace()
            guard i < b.count, b[i] == c else { throw error("expected '\(Character(Unicode.Scalar(c)))'") }
            i += 1
        }

        mutating func objectMembers() throws -> [(key: String, value: String)] {
            try expect(UInt8(ascii: "{"))
            var out: [(key: String, value: String)] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return out }
            while true {
                skipSpace()
                let rawKey = try string()
                let key = try JSONSerialization.jsonObject(with: Data(rawKey.utf8), options: [.fragmentsAllowed]) as? String ?? ""
                try expect(UInt8(ascii: ":"))
                skipSpace()
                out.append((key, try value()))
                skipSpace()
                guard i < b.count else { throw error("unterminated object") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return out }
                throw error("expected ',' or '}'")
            }
        }

        /// Raw text of a string literal including quotes, validated for termination.
        mutating func string() throws -> String {
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw error("expected a string") }
            let start = i
            i += 1
            while i < b.count {
                switch b[i] {
                case UInt8(ascii: "\\"): i += 2
                case UInt8(ascii: "\""):
                    i += 1
                    return String(decoding: b[start..<i], as: UTF8.self)
                default: i += 1
                }
            }
            throw error("unterminated string")
        }

        mutating func value() throws -> String {
            guard i < b.count else { throw error("expected a value") }
            switch b[i] {
            case UInt8(ascii: "\""): return try string()
            case UInt8(ascii: "{"):
                let m = try objectMembers()
                return "{" + m.map { JSONText.quote($0.key) + ":" + $0.value }.joined(separator: ",") + "}"
            case UInt8(ascii: "["):
                i += 1
                var items: [String] = []
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return "[]" }
                while true {
                    skipSpace()
                    items.append(try value())
                    skipSpace()
                    guard i < b.count else { throw error("unterminated array") }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    if b[i] == UInt8(ascii: "]") { i += 1; return "[" + items.joined(separator: ",") + "]" }
                    throw error("expected ',' or ']'")
                }
            default:
                // number, true, false, null: a run of literal characters.
                let start = i
                while i < b.count, !Self.isDelimiter(b[i]) { i += 1 }
                let lit = String(decoding: b[start..<i], as: UTF8.self)
                guard !lit.isEmpty, lit == "true" || lit == "false" || lit == "null" || Double(lit) != nil else {
                    throw SyntaxError(offset: start, detail: "invalid literal \"\(lit)\"")
                }
                return lit
            }
        }

        static func isDelimiter(_ c: UInt8) -> Bool {
            c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
        }
    }
}
