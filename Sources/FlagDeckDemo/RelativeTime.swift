import FlagDeckCore
import Foundation

/// Durations written in the sample data as `200d`, `3h15m` or `-12d`. The demo's
/// history is stored relative to the moment the database is built, so a demo built
/// any day shows the same ages ("killed 19 days ago") and never goes stale.
public enum RelativeTime {
    /// Seconds for `[+|-]<n>d<n>h<n>m<n>s` (any subset, in that order).
    public static func seconds(_ text: String) throws(FlagDeckError) -> TimeInterval {
        var t = Substring(text.trimmingCharacters(in: .whitespaces))
        var sign = 1.0
        if t.first == "-" { sign = -1; t = t.dropFirst() } else if t.first == "+" { t = t.dropFirst() }
        guard !t.isEmpty else { throw .invalidDate(text) }
        var total = 0.0
        var number = ""
        var lastUnit = -1
        let units: [Character: (Int, Double)] = ["d": (0, 86_400), "h": (1, 3600), "m": (2, 60), "s": (3, 1)]
        for c in t {
            if c.isASCII, c.isNumber { number.append(c); continue }
            guard let (rank, factor) = units[c], !number.isEmpty, rank > lastUnit, let n = Double(number) else {
                throw .invalidDate(text)
            }
            total += n * factor
            lastUnit = rank
            number = ""
        }
        guard number.isEmpty, lastUnit >= 0 else { throw .invalidDate(text) }
        return sign * total
    }
}
