/// A tiny deterministic PRNG (Steele, Lea & Flood's SplitMix64). The generator must
/// give byte-identical databases for a seed on every machine and Swift version, so it
/// never uses the standard library's random APIs, whose algorithms may change; every
/// derived draw (`below`, `unit`) is defined here too.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<n` (Lemire's multiply-high; the bias is below 2⁻⁴⁰ for our n).
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform in `[0, 1)` with 53 bits.
    /// Uniform-ish in 0..<bound (modulo; fine for test data, not for cryptography).
    public mutating func next(upTo bound: UInt64) -> UInt64 { next() % max(1, bound) }

    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Index into `weights` with probability proportional to its weight.
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }
}
