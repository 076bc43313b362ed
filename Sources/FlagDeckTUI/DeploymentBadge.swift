import FlagDeckCore
import Foundation

/// How an AppConfig-bound environment's deployment state reads on the grid: a few
/// characters after the column's name (`prod⇄40%`, `prod⇄bk`, `prod⇄ok`, `prod⇄rb`), and the whole
/// sentence in the header for the cursor column (`deployment #4 of v4: deploying 40 %`),
/// so the operator who just killed sees the kill reach every target and can tell a
/// rollback from a completed deployment without leaving the grid.
enum DeploymentBadge {
    /// The short form for a column heading, at most three columns so that a four-letter
    /// environment name keeps its whole name in the narrowest column; empty when the
    /// binding was never deployed.
    static func short(_ d: BindingDeployment) -> String {
        guard let phase = d.deployment?.phase else { return "" }
        switch phase {
        case .deploying(let p): return "\(Int(p.rounded(.down)))%"
        case .baking: return "bk"
        case .complete: return "ok"
        case .rollingBack, .rolledBack: return "rb"
        case .reverted: return "rv"
        case .failed: return "ERR"
        case .other(let s): return String(s.lowercased().prefix(3))
        }
    }

    /// The header's words: the deployment, then what sync says about staged and deployed
    /// versions when that adds something.
    static func long(_ d: BindingDeployment) -> String {
        var parts: [String] = []
        if let dep = d.deployment {
            var text = dep.description
            if let s = dep.strategy { text += " with \(s)" }
            parts.append(text)
        }
        if let s = d.status { parts.append(s) }
        return parts.joined(separator: "; ")
    }

    /// Rolled back or failed: the column heading is drawn as a danger; deploying as partial.
    static func role(_ d: BindingDeployment) -> ThemeRole? {
        switch d.deployment?.phase {
        case .failed, .rolledBack, .rollingBack: .danger
        case .some(let p) where p.isInProgress: .partial
        default: nil
        }
    }
}
