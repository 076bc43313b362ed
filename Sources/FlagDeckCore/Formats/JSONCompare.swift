import Foundation

/// Python's comparison operators over JSON values, because Powertools applies `==`, `<`
/// and `in` directly to parsed JSON. Results follow CPython: booleans are integers,
/// ints and floats compare exactly, strings compare by code point (UTF-8 byte order is
/// code point order), and an operation that would raise `TypeError` returns nil.
public enum JSONCompare {
    @inline(__always)
    public static func sameScalars(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var a = a, b = b
        return a.withUTF8 { pa in b.withUTF8 { pb in pa.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0 } }
    }

    public static func pyEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.string(let x), .string(let y)): return sameScalars(x, y)
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            for i in x.indices where !pyEqual(x[i], y[i]) { return false }
            return true
        case (.object(let x), .object(let y)): return x == y
        default:
            if let c = numericCompare(a, b) { return c == 0 }
            return false
        }
    }

    /// -1/0/1 when both are numbers (bool, int, float); nil otherwise.
    public static func numericCompare(_ a: JSONValue, _ b: JSONValue) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.double(let x), .double(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        default: break
        }
        guard let na = Num(a), let nb = Num(b) else { return nil }
        return Num.compare(na, nb)
    }

    public enum Op: Sendable { case lt, le, gt, ge }

    /// `a OP b` in Python; nil where Python raises `TypeError`.
    public static func order(_ a: JSONValue, _ b: JSONValue, _ op: Op) -> Bool? {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            return apply(op, compareBytes(x, y))
        case (.array(let x), .array(let y)):
            for i in 0..<min(x.count, y.count) where !pyEqual(x[i], y[i]) {
                return order(x[i], y[i], op)
            }
            return apply(op, x.count < y.count ? -1 : (x.count == y.count ? 0 : 1))
        default:
            guard let c = numericCompare(a, b) else { return nil }
            return apply(op, c)
        }
    }

    @inline(__always)
    static func apply(_ op: Op, _ c: Int) -> Bool {
        switch op {
        case .lt: c < 0
        case .le: c <= 0
        case .gt: c > 0
        case .ge: c >= 0
        }
    }

    static func compareBytes(_ a: String, _ b: String) -> Int {
        var ia = a.utf8.makeIterator(), ib = b.utf8.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
            }
        }
    }

    /// Python's `needle in haystack`; nil where Python raises `TypeError`.
    public static func contains(_ haystack: JSONValue, _ needle: JSONValue) -> Bool? {
        switch haystack {
        case .string(let h):
            guard case .string(let n) = needle else { return nil }
            return substring(n, of: h)
        case .array(let items):
            return items.contains { pyEqual($0, needle) }
        case .object(let o):
            switch needle {
            case .array, .object: return nil  // unhashable
            case .string(let k): return o.contains(k)
            default: return false  // keys are strings; numbers, bools and None never equal one
            }
        default:
            return nil
        }
    }

    public static func substring(_ needle: String, of hay: String) -> Bool {
        let n = Array(needle.utf8)
        if n.isEmpty { return true }
        let h = Array(hay.utf8)
        guard h.count >= n.count else { return false }
        let first = n[0]
        var i = 0
        let last = h.count - n.count
        while i <= last {
            if h[i] == first {
                var j = 1
                while j < n.count && h[i + j] == n[j] { j += 1 }
                if j == n.count { return true }
            }
            i += 1
        }
        return false
    }

    public static func hasPrefix(_ s: String, _ p: String) -> Bool {
        s.utf8.starts(with: p.utf8)
    }

    public static func hasSuffix(_ s: String, _ p: String) -> Bool {
        let a = s.utf8, b = p.utf8
        guard a.count >= b.count else { return false }
        return a.suffix(b.count).elementsEqual(b)
    }
}

/// A Python number: int of any size (bool included) or float.
enum Num {
    case int(BigInteger)
    case small(Int64)
    case double(Double)

    init?(_ v: JSONValue) {
        switch v {
        case .bool(let b): self = .small(b ? 1 : 0)
        case .int(let i): self = .small(i)
        case .bigInt(let b): self = .int(b)
        case .double(let d): self = .double(d)
        default: return nil
        }
    }

    var big: BigInteger? {
        switch self {
        case .int(let b): b
        case .small(let i): BigInteger(i)
        case .double: nil
        }
    }

    static func compare(_ a: Num, _ b: Num) -> Int {
        switch (a, b) {
        case (.small(let x), .small(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.double(let x), .double(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.double(let x), _): return -intVsDouble(b.big!, x)
        case (_, .double(let y)): return intVsDouble(a.big!, y)
        default:
            let x = a.big!, y = b.big!
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    /// Exact comparison of an integer with a double, as CPython does.
    static func intVsDouble(_ i: BigInteger, _ d: Double) -> Int {
        if d.isNaN { return 1 }  // unreachable from JSON; keeps the function total
        if d == .infinity { return -1 }
        if d == -.infinity { return 1 }
        if let s = i.int64, s.magnitude < (1 << 53) {
            let x = Double(s)
            return x < d ? -1 : (x == d ? 0 : 1)
        }
        let fl = d.rounded(.down)
        let fb = BigInteger(exactly: fl)!
        if i < fb { return -1 }
        if fb < i { return 1 }
        return fl == d ? 0 : -1
    }
}
