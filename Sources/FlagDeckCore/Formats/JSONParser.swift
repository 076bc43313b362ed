/// A strict RFC 8259 parser that keeps what Powertools semantics depend on (member
/// order, integer vs float, exact big integers) and refuses what would make an import
/// ambiguous (duplicate keys, which Python silently resolves to the last one).
///
/// It is iterative, so hostile nesting hits `maxDepth` instead of the stack, and every
/// error carries line, column and the JSON path of the value being read.
public struct JSONParser {
    public static let defaultMaxDepth = 512

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(FormatError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(FormatError) -> JSONValue {
        var p = JSONParser(bytes: bytes, maxDepth: maxDepth)
        return try p.run()
    }

    private let b: [UInt8]
    private let maxDepth: Int
    private var i = 0

    private struct Frame {
        var isObject: Bool
        var items: [JSONValue] = []
        var members: [(String, JSONValue)] = []
        /// Key bytes → offset of first occurrence, for duplicate detection by code point.
        var seen: [[UInt8]: Int] = [:]
        var key: String = ""
    }

    private var stack: [Frame] = []
    /// While a key is being read, errors belong to the object, not to the previous member.
    private var inKey = false

    private init(bytes: [UInt8], maxDepth: Int) {
        b = bytes
        self.maxDepth = maxDepth
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }  // Python accepts a BOM on bytes input
    }

    private var path: String {
        if inKey { return containerPath }
        var comps: [JSONPath.Component] = []
        for f in stack {
            if f.isObject { comps.append(.key(f.key)) } else { comps.append(.index(f.items.count)) }
        }
        return JSONPath.render(comps)
    }

    /// Path of the container itself (when the error is about the container, e.g. a key).
    private var containerPath: String {
        var comps: [JSONPath.Component] = []
        for f in stack.dropLast() {
            if f.isObject { comps.append(.key(f.key)) } else { comps.append(.index(f.items.count)) }
        }
        return JSONPath.render(comps)
    }

    private func lineColumn(_ offset: Int) -> (Int, Int) {
        var line = 1, col = 1
        var k = 0
        let end = min(offset, b.count)
        while k < end {
            let c = b[k]
            if c == 10 { line += 1; col = 1 } else if c & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        return (line, col)
    }

    private func fail(_ msg: String, at offset: Int? = nil, path p: String? = nil) -> FormatError {
        let (l, c) = lineColumn(offset ?? i)
        return .syntax(FormatLocation(path: p ?? path, line: l, column: c), msg)
    }

    private func describeByte(_ o: Int) -> String {
        guard o < b.count else { return "end of input" }
        let c = b[o]
        if c >= 0x21 && c < 0x7F { return "'\(Character(UnicodeScalar(c)))'" }
        return "byte 0x" + String(c, radix: 16, uppercase: true)
    }

    @inline(__always)
    private mutating func skipWS() {
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { break }
        }
    }

    private func truncated() -> FormatError {
        fail(b.isEmpty ? "the input is empty" : "unexpected end of input; the document is truncated")
    }

    private mutating func run() throws(FormatError) -> JSONValue {
        skipWS()
        if i >= b.count { throw truncated() }
        var value = try beginValue()
        while true {
            // `value` is complete; attach it to the innermost open container, if any.
            guard !stack.isEmpty else {
                skipWS()
                if i < b.count { throw fail("unexpected \(describeByte(i)) after the end of the document") }
                return value
            }
            let top = stack.count - 1
            if stack[top].isObject {
                stack[top].members.append((stack[top].key, value))
            } else {
                stack[top].items.append(value)
            }
            skipWS()
            guard i < b.count else { throw truncated() }
            let c = b[i]
            if c == UInt8(ascii: ",") {
                i += 1
                skipWS()
                if stack[top].isObject { try readKey() }
                guard i < b.count else { throw truncated() }
                if stack[top].isObject == false, b[i] == UInt8(ascii: "]") {
                    throw fail("trailing comma before ']'")
                }
                value = try beginValue()
            } else if stack[top].isObject && c == UInt8(ascii: "}") {
                i += 1
                let f = stack.removeLast()
                value = .object(JSONObject(f.members))
            } else if !stack[top].isObject && c == UInt8(ascii: "]") {
                i += 1
                let f = stack.removeLast()
                value = .array(f.items)
            } else {
                throw fail("expected ',' or '\(stack[top].isObject ? "}" : "]")' but found \(describeByte(i))")
            }
        }
    }

    /// Reads `"key" :` into the top frame, refusing duplicates.
    private mutating func readKey() throws(FormatError) {
        skipWS()
        guard i < b.count else { throw truncated() }
        guard b[i] == UInt8(ascii: "\"") else {
            if b[i] == UInt8(ascii: "}") { throw fail("trailing comma before '}'", path: containerPath) }
            throw fail("expected a string key but found \(describeByte(i))", path: containerPath)
        }
        let start = i
        inKey = true
        let key = try readString()
        inKey = false
        let top = stack.count - 1
        let bytes = Array(key.utf8)
        if let first = stack[top].seen[bytes] {
            stack[top].key = key
            let (fl, fc) = lineColumn(first)
            let (l, c) = lineColumn(start)
            throw .duplicateKey(FormatLocation(path: path, line: l, column: c), key: key, firstLine: fl, firstColumn: fc)
        }
        stack[top].seen[bytes] = start
        stack[top].key = key
        skipWS()
        guard i < b.count else { throw truncated() }
        guard b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key but found \(describeByte(i))") }
        i += 1
        skipWS()
    }

    /// Starts a value at `i`: returns scalars directly, or opens a container and returns
    /// the first complete value inside it (possibly an empty container).
    private mutating func beginValue() throws(FormatError) -> JSONValue {
        while true {
            skipWS()
            guard i < b.count else { throw truncated() }
            let c = b[i]
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if stack.count >= maxDepth { throw fail("nesting deeper than \(maxDepth) levels") }
                i += 1
                stack.append(Frame(isObject: c == UInt8(ascii: "{")))
                skipWS()
                guard i < b.count else { throw truncated() }
                if c == UInt8(ascii: "{") {
                    if b[i] == UInt8(ascii: "}") { i += 1; stack.removeLast(); return .object(JSONObject()) }
                    try readKey()
                } else {
                    if b[i] == UInt8(ascii: "]") { i += 1; stack.removeLast(); return .array([]) }
                }
                continue  // read the first member's value
            case UInt8(ascii: "\""):
                return .string(try readString())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try readNumber()
            default:
                throw fail("unexpected \(describeByte(i)); expected a value")
            }
        }
    }

    private mutating func literal(_ word: String) throws(FormatError) {
        let w = Array(word.utf8)
        for (k, ch) in w.enumerated() {
            guard i + k < b.count else { throw truncated() }
            guard b[i + k] == ch else { throw fail("invalid literal; expected '\(word)'") }
        }
        i += w.count
    }

    private mutating func readNumber() throws(FormatError) -> JSONValue {
        let start = i
        if b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count else { throw truncated() }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        guard isDigit(b[i]) else { throw fail("invalid number: expected a digit after '-'") }
        if b[i] == 48 {
            i += 1
            if i < b.count && isDigit(b[i]) { throw fail("invalid number: leading zeros are not allowed", at: start) }
        } else {
            while i < b.count && isDigit(b[i]) { i += 1 }
        }
        var isInt = true
        if i < b.count && b[i] == UInt8(ascii: ".") {
            isInt = false
            i += 1
            guard i < b.count else { throw truncated() }
            guard isDigit(b[i]) else { throw fail("invalid number: expected a digit after '.'") }
            while i < b.count && isDigit(b[i]) { i += 1 }
        }
        if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            isInt = false
            i += 1
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < b.count else { throw truncated() }
            guard isDigit(b[i]) else { throw fail("invalid number: expected a digit in the exponent") }
            while i < b.count && isDigit(b[i]) { i += 1 }
        }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        if isInt {
            if i - start <= 18, let v = Int64(text) { return .int(v) }
            // CPython refuses int conversions past 4300 digits (and so does json.loads);
            // the same limit keeps quadratic big-integer parsing off hostile input.
            if i - start - (b[start] == UInt8(ascii: "-") ? 1 : 0) > 4300 { throw fail("integer with more than 4300 digits", at: start) }
            return .integer(BigInteger(decimal: Substring(text))!)
        }
        guard let d = Double(text) else { throw fail("invalid number", at: start) }
        return .double(d)
    }

    private mutating func readString() throws(FormatError) -> String {
        let open = i
        i += 1
        var out: [UInt8] = []
        var runStart = i
        while true {
            guard i < b.count else { throw fail("unterminated string (started at byte \(open + 1)); the document is truncated") }
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                if out.isEmpty {
                    let s = String(decoding: b[runStart..<i], as: UTF8.self)
                    i += 1
                    return s
                }
                out.append(contentsOf: b[runStart..<i])
                i += 1
                return String(decoding: out, as: UTF8.self)
            } else if c == UInt8(ascii: "\\") {
                out.append(contentsOf: b[runStart..<i])
                try readEscape(into: &out)
                runStart = i
            } else if c < 0x20 {
                throw fail("control character \(describeByte(i)) in a string must be escaped")
            } else if c < 0x80 {
                i += 1
            } else {
                try validateUTF8Sequence()
            }
        }
    }

    /// Checks one multi-byte UTF-8 sequence at `i` (no overlongs, surrogates or >U+10FFFF).
    private mutating func validateUTF8Sequence() throws(FormatError) {
        let c = b[i]
        let n: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: n = 1
        case 0xE0: n = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: n = 2
        case 0xED: n = 2; hi = 0x9F
        case 0xF0: n = 3; lo = 0x90
        case 0xF1...0xF3: n = 3
        case 0xF4: n = 3; hi = 0x8F
        default: throw fail("invalid UTF-8 (\(describeByte(i)))")
        }
        for k in 1...n {
            guard i + k < b.count else { throw fail("invalid UTF-8: truncated multi-byte sequence", at: i) }
            let x = b[i + k]
            let (l, h) = k == 1 ? (lo, hi) : (UInt8(0x80), UInt8(0xBF))
            guard x >= l && x <= h else { throw fail("invalid UTF-8 (\(describeByte(i + k)) in a multi-byte sequence)", at: i) }
        }
        i += n + 1
    }

    private mutating func readEscape(into out: inout [UInt8]) throws(FormatError) {
        i += 1
        guard i < b.count else { throw truncated() }
        let c = b[i]
        i += 1
        switch c {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var u = try hex4()
            if (0xD800...0xDBFF).contains(u) {
                guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                    throw fail("lone UTF-16 surrogate \\u\(String(u, radix: 16)) cannot be represented", at: i - 6)
                }
                i += 2
                let lo = try hex4()
                guard (0xDC00...0xDFFF).contains(lo) else {
                    throw fail("lone UTF-16 surrogate \\u\(String(u, radix: 16)) cannot be represented", at: i - 12)
                }
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(u) {
                throw fail("lone UTF-16 surrogate \\u\(String(u, radix: 16)) cannot be represented", at: i - 6)
            }
            out.append(contentsOf: Array(String(Character(UnicodeScalar(u)!)).utf8))
        default:
            throw fail("invalid escape '\\\(describeByte(i - 1))'", at: i - 2)
        }
    }

    private mutating func hex4() throws(FormatError) -> UInt32 {
        guard i + 4 <= b.count else { throw truncated() }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[i + k]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: throw fail("invalid \\u escape: expected 4 hex digits")
            }
            v = v * 16 + d
        }
        i += 4
        return v
    }
}
