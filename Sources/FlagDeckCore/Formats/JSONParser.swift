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

    /// Parses like `parse` (same acceptance, same errors) and also reports where each value
    /// lies in `bytes`: members and elements of containers nested fewer than `spanDepth`
    /// levels deep (1: the root's members; 2: also their members; `Int.max`: everything).
    /// The document layer uses this to rewrite one flag and keep every other byte.
    public static func parseWithSpans(_ bytes: [UInt8], spanDepth: Int,
                                      maxDepth: Int = defaultMaxDepth) throws(FormatError) -> (JSONValue, JSONSpan) {
        var p = JSONParser(bytes: bytes, maxDepth: maxDepth)
        p.spanDepth = max(spanDepth, 1)
        let v = try p.run()
        return (v, p.lastSpan)
    }

    /// Checks `bytes` exactly as `parse` does (same acceptance, same errors, duplicate keys
    /// included) and returns only the spans, building no values: a 50 MB document is
    /// validated and located without materialising it. Parse a span's bytes to get its value.
    public static func validateWithSpans(_ bytes: [UInt8], spanDepth: Int,
                                         maxDepth: Int = defaultMaxDepth) throws(FormatError) -> JSONSpan {
        var p = JSONParser(bytes: bytes, maxDepth: maxDepth)
        p.spanDepth = max(spanDepth, 1)
        p.buildValues = false
        _ = try p.run()
        return p.lastSpan
    }

    private let b: [UInt8]
    private let maxDepth: Int
    private var i = 0
    /// 0 when spans are not wanted; then the recorder below costs one comparison per value.
    private var spanDepth = 0
    /// false: validate and record spans only (values come back as null, keys still checked).
    private var buildValues = true
    /// Where the value that was completed last began and ended.
    private var lastSpan = JSONSpan(start: 0, end: 0)
    private var valueStart = 0

    private struct Frame {
        var isObject: Bool
        var items: [JSONValue] = []
        var members: [(String, JSONValue)] = []
        /// Keys read so far → offset of first occurrence, for duplicate detection by code
        /// point: while the object is small (most are) in the parser's shared `recentKeys`
        /// from `keyBase` on, then in a hash table of its own.
        var keyBase = 0
        var seen: [KeyBytes: Int] = [:]
        var key: String = ""
        /// Values completed so far (the index of the next array element, for error paths).
        var count = 0
        /// Span recording only: where the container opened, and where the current key lies.
        var open: Int = 0
        var keyStart: Int = 0
        var keyEnd: Int = 0
        var spanMembers: [JSONMemberSpan] = []
        var spanItems: [JSONSpan] = []
    }

    private var stack: [Frame] = []
    /// The keys of the small objects being read, innermost last (see `Frame.keyBase`).
    private var recentKeys: [(String, Int)] = []
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
            if f.isObject { comps.append(.key(f.key)) } else { comps.append(.index(f.count)) }
        }
        return JSONPath.render(comps)
    }

    /// Path of the container itself (when the error is about the container, e.g. a key).
    private var containerPath: String {
        var comps: [JSONPath.Component] = []
        for f in stack.dropLast() {
            if f.isObject { comps.append(.key(f.key)) } else { comps.append(.index(f.count)) }
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
            if top < spanDepth { recordSpan(top) }
            stack[top].count += 1
            if !buildValues {
            } else if stack[top].isObject {
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
                if recentKeys.count > f.keyBase { recentKeys.removeSubrange(f.keyBase...) }
                if spanDepth > 0 { closeSpan(f, index: top) }
                value = buildValues ? .object(JSONObject(f.members)) : .null
            } else if !stack[top].isObject && c == UInt8(ascii: "]") {
                i += 1
                let f = stack.removeLast()
                if spanDepth > 0 { closeSpan(f, index: top) }
                value = buildValues ? .array(f.items) : .null
            } else {
                throw fail("expected ',' or '\(stack[top].isObject ? "}" : "]")' but found \(describeByte(i))")
            }
        }
    }

    private func firstOccurrence(of key: String, _ top: Int) -> Int? {
        if stack[top].seen.isEmpty {
            for (k, o) in recentKeys[stack[top].keyBase...] where JSONCompare.sameScalars(k, key) { return o }
            return nil
        }
        return stack[top].seen[KeyBytes(key)]
    }

    /// A key compared and hashed by its UTF-8 bytes (Swift's `String` hashing would merge
    /// NFC and NFD spellings, which Python keeps apart).
    struct KeyBytes: Hashable {
        let s: String
        init(_ s: String) { self.s = s }
        static func == (a: KeyBytes, b: KeyBytes) -> Bool { JSONCompare.sameScalars(a.s, b.s) }
        func hash(into h: inout Hasher) {
            var s = s
            s.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    /// Attaches the span of the value just completed to the container at `top`.
    private mutating func recordSpan(_ top: Int) {
        if stack[top].isObject {
            stack[top].spanMembers.append(JSONMemberSpan(key: stack[top].key, keyStart: stack[top].keyStart,
                                                         keyEnd: stack[top].keyEnd, value: lastSpan))
        } else {
            stack[top].spanItems.append(lastSpan)
        }
    }

    private mutating func closeSpan(_ f: Frame, index: Int) {
        if index < spanDepth {
            lastSpan = f.isObject ? JSONSpan(start: f.open, end: i, members: f.spanMembers)
                                  : JSONSpan(start: f.open, end: i, elements: f.spanItems)
        } else {
            lastSpan = JSONSpan(start: f.open, end: i)
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
        if let first = firstOccurrence(of: key, top) {
            stack[top].key = key
            let (fl, fc) = lineColumn(first)
            let (l, c) = lineColumn(start)
            throw .duplicateKey(FormatLocation(path: path, line: l, column: c), key: key, firstLine: fl, firstColumn: fc)
        }
        let base = stack[top].keyBase
        if stack[top].seen.isEmpty && recentKeys.count - base < 8 {
            recentKeys.append((key, start))
        } else {
            if recentKeys.count > base {
                for (k, o) in recentKeys[base...] { stack[top].seen[KeyBytes(k)] = o }
                recentKeys.removeSubrange(base...)
            }
            stack[top].seen[KeyBytes(key)] = start
        }
        stack[top].key = key
        if spanDepth > 0 { stack[top].keyStart = start; stack[top].keyEnd = i }
        skipWS()
        guard i < b.count else { throw truncated() }
        guard b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after key but found \(describeByte(i))") }
        i += 1
        skipWS()
    }

    /// Starts a value at `i`: returns scalars directly, or opens a container and returns
    /// the first complete value inside it (possibly an empty container).
    private mutating func beginValue() throws(FormatError) -> JSONValue {
        let v = try beginValueUnrecorded()
        // A scalar or an empty container ends here; a non-empty container is closed in `run`.
        if spanDepth > 0 {
            switch v {
            case .object(let o) where o.isEmpty:
                lastSpan = stack.count < spanDepth ? JSONSpan(start: valueStart, end: i, members: []) : JSONSpan(start: valueStart, end: i)
            case .array(let a) where a.isEmpty:
                lastSpan = stack.count < spanDepth ? JSONSpan(start: valueStart, end: i, elements: []) : JSONSpan(start: valueStart, end: i)
            default:
                lastSpan = JSONSpan(start: valueStart, end: i)
            }
        }
        return v
    }

    private mutating func beginValueUnrecorded() throws(FormatError) -> JSONValue {
        while true {
            skipWS()
            guard i < b.count else { throw truncated() }
            let c = b[i]
            valueStart = i
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if stack.count >= maxDepth { throw fail("nesting deeper than \(maxDepth) levels") }
                i += 1
                var frame = Frame(isObject: c == UInt8(ascii: "{"))
                frame.open = valueStart
                frame.keyBase = recentKeys.count
                stack.append(frame)
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
        if !buildValues {
            if isInt && i - start - (b[start] == UInt8(ascii: "-") ? 1 : 0) > 4300 { throw fail("integer with more than 4300 digits", at: start) }
            return .null
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
                if !buildValues && !inKey { i += 1; return "" }
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
