/// Rollout percentages as basis points, parsed without floating point so `25.55`
/// is exactly 2555 and `33.333` is refused instead of silently rounded.
public enum Percent {
    public static func parse(_ text: String) throws(FlagDeckError) -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
              parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), parts[0].count <= 3,
              let whole = Int(parts[0])
        else { throw .invalidPercent(text) }
        var frac = 0
        if parts.count == 2 {
            let f = parts[1]
            guard (1...2).contains(f.count), f.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .invalidPercent(text)
            }
            frac = Int(f)! * (f.count == 1 ? 10 : 1)
        }
        let bp = whole * 100 + frac
        guard (0...10_000).contains(bp) else { throw .invalidPercent(text) }
        return bp
    }

    /// `2500` → `25`, `2550` → `25.5`, `2555` → `25.55`.
    public static func format(_ bp: Int) -> String {
        let whole = bp / 100, frac = bp % 100
        if frac == 0 { return String(whole) }
        if frac % 10 == 0 { return "\(whole).\(frac / 10)" }
        return "\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }
}

import Foundation
