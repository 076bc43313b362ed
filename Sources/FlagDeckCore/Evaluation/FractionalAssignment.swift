/// Multivariate assignment with flagd's `fractional` algorithm, so a flag exported to flagd
/// assigns every context the same variant flagdeck does:
///
///     hash   = int32(murmur3_32(flagKey + targetingKey, seed 0))
///     ratio  = |hash| / Int32.max                   // 0...1
///     bucket = ratio * totalWeight
///     the first variant whose cumulative weight exceeds `bucket` wins
///
/// (flagd `core/pkg/evaluator/fractional.go`; the default bucketing value is the flag key
/// followed by the targeting key.) Variants with weight 0 are never chosen.
public enum FractionalAssignment {
    public static func assign(flagKey: String, stickiness: String, variants: [Variant]) -> Variant? {
        let total = variants.reduce(0) { $0 + max($1.weight, 0) }
        guard total > 0 else { return nil }
        let h = Int32(bitPattern: Murmur3.hash32(Array((flagKey + stickiness).utf8)))
        let ratio = Double(h.magnitude) / Double(Int32.max)
        let bucket = ratio * Double(total)
        var end = 0.0
        for v in variants where v.weight > 0 {
            end += Double(v.weight)
            if bucket < end { return v }
        }
        return variants.last { $0.weight > 0 }
    }
}

/// MurmurHash3 x86 32-bit (Austin Appleby), as used by flagd.
public enum Murmur3 {
    public static func hash32(_ data: [UInt8], seed: UInt32 = 0) -> UInt32 {
        let c1: UInt32 = 0xcc9e_2d51, c2: UInt32 = 0x1b87_3593
        var h = seed
        let n = data.count
        var i = 0
        while i + 4 <= n {
            var k = UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
            k = k &* c1
            k = (k << 15) | (k >> 17)
            k = k &* c2
            h ^= k
            h = (h << 13) | (h >> 19)
            h = h &* 5 &+ 0xe654_6b64
            i += 4
        }
        var k: UInt32 = 0
        let rem = n & 3
        if rem == 3 { k ^= UInt32(data[i + 2]) << 16 }
        if rem >= 2 { k ^= UInt32(data[i + 1]) << 8 }
        if rem >= 1 {
            k ^= UInt32(data[i])
            k = k &* c1
            k = (k << 15) | (k >> 17)
            k = k &* c2
            h ^= k
        }
        h ^= UInt32(truncatingIfNeeded: n)
        h ^= h >> 16
        h = h &* 0x85eb_ca6b
        h ^= h >> 13
        h = h &* 0xc2b2_ae35
        h ^= h >> 16
        return h
    }
}
