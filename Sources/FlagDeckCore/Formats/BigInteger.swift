internal import BigInt

/// An integer outside Int64, with the handful of operations whose Python meaning the
/// formats depend on. Configs and contexts carry ids longer than 64 bits and Powertools
/// compares them exactly, so they are never rounded to Double behind the caller's back.
///
/// The arithmetic is attaswift/BigInt's; this wrapper exists so that FlagDeckCore's
/// public surface does not expose that package (other modules never import it), and so
/// the Python-specific rules (floor modulo, `float(int)` rounding and overflow) live in
/// one place instead of as extensions on someone else's type.
public struct BigInteger: Hashable, Sendable, Comparable, CustomStringConvertible {
    let value: BigInt

    init(big value: BigInt) { self.value = value }

    public init(_ v: Int64) { value = BigInt(v) }

    /// Parses an optional '-' followed by one or more ASCII digits, nothing else (the
    /// JSON grammar has already decided what an integer is; `+`, spaces and `_` are not).
    public init?(decimal text: Substring) {
        var digits = text.utf8[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let magnitude = BigUInt(Substring(digits), radix: 10) else { return nil }
        value = BigInt(sign: negative ? .minus : .plus, magnitude: magnitude)
    }

    /// The exact value of an integral double (nil when it has a fraction or is not finite).
    public init?(exactly d: Double) {
        guard d.isFinite, d.rounded(.towardZero) == d else { return nil }
        if let i = Int64(exactly: d) {
            value = BigInt(i)
        } else {
            // |d| >= 2^63 here, so it is normal and its exponent is at least 63.
            let significand = BigUInt(d.significandBitPattern | (1 << 52))
            value = BigInt(sign: d < 0 ? .minus : .plus, magnitude: significand << (Int(d.exponent) - 52))
        }
    }

    public var isZero: Bool { value.isZero }

    public var int64: Int64? { Int64(exactly: value) }

    public static func < (a: BigInteger, b: BigInteger) -> Bool { a.value < b.value }
    public static func + (a: BigInteger, b: BigInteger) -> BigInteger { BigInteger(big: a.value + b.value) }
    public static func - (a: BigInteger, b: BigInteger) -> BigInteger { BigInteger(big: a.value - b.value) }
    public static prefix func - (a: BigInteger) -> BigInteger { BigInteger(big: -a.value) }

    /// Python's `%`: the result takes the divisor's sign. nil for a zero divisor, where
    /// Python raises ZeroDivisionError.
    public func floorMod(_ m: BigInteger) -> BigInteger? {
        guard !m.isZero else { return nil }
        let r = value % m.value  // truncated: takes the dividend's sign
        if !r.isZero && (r.sign == .minus) != (m.value.sign == .minus) { return BigInteger(big: r + m.value) }
        return BigInteger(big: r)
    }

    public var description: String { value.description }

    /// Python's `float(int)`: the nearest double, ties to even on the 53-bit significand;
    /// nil where Python raises OverflowError ("int too large to convert to float"), which
    /// is when the correctly rounded magnitude reaches 2^1024.
    ///
    /// attaswift's own `Double(_:)` is not used: it rounds up only when the guard bit and
    /// the last kept bit are both set, ignoring the bits below the guard bit, so a value
    /// just above a half-way point rounds down (2^54 + 3 gives 2^54, Python 2^54 + 4), and
    /// it returns infinity where Python raises.
    public var pythonFloat: Double? {
        let magnitude = value.magnitude
        let width = magnitude.bitWidth
        let negative = value.sign == .minus
        if width <= 53 {
            let d = Double(UInt64(magnitude))
            return negative ? -d : d
        }
        let shift = width - 53
        var top = UInt64(magnitude >> shift)  // the 53 leading bits
        let guardBit = magnitude[bitAt: shift - 1]
        let sticky = magnitude.trailingZeroBitCount < shift - 1
        if guardBit && (sticky || top & 1 == 1) { top += 1 }
        var exponent = shift
        if top == 1 << 53 { top >>= 1; exponent += 1 }
        // The value is top * 2^exponent with 2^52 <= top < 2^53.
        guard exponent + 52 < 1024 else { return nil }
        return Double(sign: negative ? .minus : .plus, exponent: exponent, significand: Double(top))
    }
}
