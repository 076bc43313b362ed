import Foundation

/// Compact ages for narrow columns. Months are 30 days: the column answers "how long has
/// this been still", where calendar precision would only cost width.
public enum Age {
    public static func compact(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        switch s {
        case ..<60: return "\(s)s"
        case ..<3600: return "\(s / 60)m"
        case ..<86_400: return "\(s / 3600)h"
        case ..<(86_400 * 60): return "\(s / 86_400)d"
        case ..<(86_400 * 730): return "\(s / (86_400 * 30))mo"
        default: return "\(s / (86_400 * 365))y"
        }
    }
}
