/// Just enough arbitrary-precision integer arithmetic to compare and take floor modulo
/// the way Python does: configs and contexts may carry ids longer than 64 bits, and
/// Powertools compares them exactly, so rounding them to Double would change results.
public struct BigInt: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Little-endian base-2^32 magnitude without trailing zero limbs; zero is `[]`.
    var mag: [UInt32]
    var negative: Bool

    init(mag: [UInt32], negative: Bool) {
        var m = mag
        while let l = m.last, l == 0 { m.removeLast() }
        self.mag = m
        self.negative = m.isEmpty ? false : negative
    }

    public init(_ v: Int64) {
        let u = v.magnitude
        self.init(mag: [UInt32(truncatingIfNeeded: u), UInt32(truncatingIfNeeded: u >> 32)], negative: v < 0)
    }

    /// Parses an optional '-' followed by ASCII digits.
    public init?(decimal text: Substring) {
        var neg = false
        var digits = text.utf8[...]
        if digits.first == UInt8(ascii: "-") { neg = true; digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var m: [UInt32] = []
        for d in digits {
            guard d >= 48 && d <= 57 else { return nil }
            var carry = UInt64(d - 48)
            for i in m.indices {
                let p = UInt64(m[i]) * 10 + carry
                m[i] = UInt32(truncatingIfNeeded: p)
                carry = p >> 32
            }
            if carry > 0 { m.append(UInt32(carry)) }
        }
        self.init(mag: m, negative: neg)
    }

    /// The exact value of an integral double (nil when it has a fraction or is not finite).
    public init?(exactly d: Double) {
        guard d.isFinite, d.rounded(.towardZero) == d else { return nil }
        if let i = Int64(exactly: d) { self.init(i); return }
        let sig = d.significandBitPattern | (1 << 52)
        let shift = Int(d.exponent) - 52
        var b = BigInt(Int64(sig))
        b = b.shiftedLeft(shift)
        b.negative = d < 0
        self = b
    }

    public var isZero: Bool { mag.isEmpty }

    public var int64: Int64? {
        guard mag.count <= 2 else { return nil }
        let u = UInt64(mag.first ?? 0) | (mag.count > 1 ? UInt64(mag[1]) << 32 : 0)
        if negative {
            if u <= UInt64(Int64.max) { return -Int64(u) }
            return u == UInt64(Int64.max) + 1 ? Int64.min : nil
        }
        return u <= UInt64(Int64.max) ? Int64(u) : nil
    }

    func shiftedLeft(_ n: Int) -> BigInt {
        guard n > 0, !isZero else { return self }
        let limbs = n / 32, bits = n % 32
        var out = [UInt32](repeating: 0, count: limbs)
        var carry: UInt32 = 0
        for l in mag {
            out.append(bits == 0 ? l : (l << UInt32(bits)) | carry)
            carry = bits == 0 ? 0 : l >> UInt32(32 - bits)
        }
        if carry > 0 { out.append(carry) }
        return BigInt(mag: out, negative: negative)
    }

    static func compareMag(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        var i = a.count - 1
        while i >= 0 {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    public static func < (a: BigInt, b: BigInt) -> Bool {
        if a.negative != b.negative { return a.negative }
        let c = compareMag(a.mag, b.mag)
        return a.negative ? c > 0 : c < 0
    }

    static func addMag(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(max(a.count, b.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<max(a.count, b.count) {
            let s = UInt64(i < a.count ? a[i] : 0) + UInt64(i < b.count ? b[i] : 0) + carry
            out.append(UInt32(truncatingIfNeeded: s))
            carry = s >> 32
        }
        if carry > 0 { out.append(UInt32(carry)) }
        return out
    }

    /// a - b with |a| >= |b|.
    static func subMag(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = a
        var borrow: Int64 = 0
        for i in 0..<a.count {
            var d = Int64(a[i]) - Int64(i < b.count ? b[i] : 0) - borrow
            if d < 0 { d += 1 << 32; borrow = 1 } else { borrow = 0 }
            out[i] = UInt32(d)
        }
        return out
    }

    public static func + (a: BigInt, b: BigInt) -> BigInt {
        if a.negative == b.negative { return BigInt(mag: addMag(a.mag, b.mag), negative: a.negative) }
        if compareMag(a.mag, b.mag) >= 0 { return BigInt(mag: subMag(a.mag, b.mag), negative: a.negative) }
        return BigInt(mag: subMag(b.mag, a.mag), negative: b.negative)
    }

    public static prefix func - (a: BigInt) -> BigInt { BigInt(mag: a.mag, negative: !a.negative) }
    public static func - (a: BigInt, b: BigInt) -> BigInt { a + (-b) }

    /// Truncated magnitude division by shift-and-subtract; sizes here are tiny.
    static func divModMag(_ a: [UInt32], _ b: [UInt32]) -> (q: [UInt32], r: [UInt32]) {
        if compareMag(a, b) < 0 { return ([], a) }
        var q = [UInt32](repeating: 0, count: a.count)
        var r = BigInt(mag: [], negative: false)
        let bb = BigInt(mag: b, negative: false)
        for bit in stride(from: a.count * 32 - 1, through: 0, by: -1) {
            r = r.shiftedLeft(1)
            if (a[bit / 32] >> UInt32(bit % 32)) & 1 == 1 {
                r = BigInt(mag: addMag(r.mag, [1]), negative: false)
            }
            if compareMag(r.mag, bb.mag) >= 0 {
                r = BigInt(mag: subMag(r.mag, bb.mag), negative: false)
                q[bit / 32] |= 1 << UInt32(bit % 32)
            }
        }
        return (q, r.mag)
    }

    /// Python's `%`: the result takes the divisor's sign. nil for a zero divisor.
    public func floorMod(_ m: BigInt) -> BigInt? {
        guard !m.isZero else { return nil }
        let r = BigInt(mag: BigInt.divModMag(mag, m.mag).r, negative: negative)
        if !r.isZero && r.negative != m.negative { return r + m }
        return r
    }

    public var description: String {
        if isZero { return "0" }
        var digits: [UInt8] = []
        var cur = mag
        while !cur.isEmpty {
            var rem: UInt64 = 0
            for i in stride(from: cur.count - 1, through: 0, by: -1) {
                let v = (rem << 32) | UInt64(cur[i])
                cur[i] = UInt32(v / 1_000_000_000)
                rem = v % 1_000_000_000
            }
            while let l = cur.last, l == 0 { cur.removeLast() }
            for _ in 0..<9 {
                digits.append(UInt8(rem % 10) + 48)
                rem /= 10
                if cur.isEmpty && rem == 0 { break }
            }
        }
        while digits.count > 1, digits.last == 48 { digits.removeLast() }
        return (negative ? "-" : "") + String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// Nearest double, as Python's `float(int)` would give for magnitudes that matter here.
    public var doubleValue: Double {
        var d = 0.0
        for l in mag.reversed() { d = d * 4_294_967_296.0 + Double(l) }
        return negative ? -d : d
    }
}
