import Foundation

/// The one place the bench turns samples into figures: every suite's medians and
/// percentiles come from here, so "p50" means the same thing in every row of the table.
enum Percentile {
    /// Nearest-rank percentile: the smallest sample with at least `p` % of the samples at
    /// or below it (for an odd count, p50 is the middle sample).
    static func of(_ samples: [Double], _ p: Double) -> Double {
        let s = samples.sorted()
        guard !s.isEmpty else { return 0 }
        let idx = min(s.count - 1, max(0, Int((p / 100 * Double(s.count)).rounded(.up)) - 1))
        return s[idx]
    }
}

enum Clock {
    static func micros(_ body: () throws -> Void) rethrows -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000
    }

    /// The median in milliseconds of `runs` timed runs after one untimed warm-up, so a
    /// cold page cache does not decide the figure.
    static func medianMillis(runs: Int, _ body: () throws -> Void) throws -> Double {
        try body()
        var samples: [Double] = []
        for _ in 0..<max(1, runs) { samples.append(try micros(body) / 1000) }
        return Percentile.of(samples, 50)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
