import FlagDeckCore
import Foundation

/// How one cell reads: text and theme role. Kept apart from drawing so tests can check
/// "a killed cell says KILL with a marker" without a surface.
public enum CellFormat {
    public static func text(_ state: FlagState?, width: Int, recent: Bool, glyphs: Glyphs) -> String {
        guard let state else { return DisplayWidth.fit("-", to: width) }
        let tail = recent ? glyphs.recent : ""
        let room = width - DisplayWidth.of(tail)
        let body: String
        switch state.cell {
        case .killed: body = glyphs.killed + "KILL"
        case .off: body = "OFF"
        case .on: body = "ON"
        case .partial where isRuleOnly(state): body = "RULES"
        case .partial(let bp):
            let label = Percent.format(bp) + "%"
            let barWidth = min(4, room - DisplayWidth.of(label) - 1)
            body = barWidth > 0 ? label + " " + bar(bp, width: barWidth, glyphs: glyphs) : label
        }
        return DisplayWidth.fit(body, to: room) + tail
    }

    /// Enabled at 0 % with rules: only contexts a rule matches get the flag (how a
    /// Powertools flag with `default: false` and rules is stored). Shown as `RULES`,
    /// because `0%` reads as "off" during an incident and this flag is not off.
    public static func isRuleOnly(_ s: FlagState) -> Bool {
        !s.killed && s.enabled && s.rolloutBasisPoints == 0 && hasRules(s.rules)
    }

    /// `StateJSON.summary`, except that a rule-only cell says so instead of "partial 0%".
    public static func summary(_ s: FlagState) -> String {
        isRuleOnly(s) ? "rules only (0% otherwise)" : StateJSON.summary(s)
    }

    static func hasRules(_ rules: String) -> Bool {
        let t = rules.trimmingCharacters(in: .whitespacesAndNewlines)
        return !(t.isEmpty || t == "[]" || t == "null")
    }

    /// A tiny bar with half-cell resolution.
    public static func bar(_ bp: Int, width: Int, glyphs: Glyphs) -> String {
        let halves = (bp * width * 2 + 5_000) / 10_000
        var s = String(repeating: glyphs.barFull, count: halves / 2)
        if halves % 2 == 1 { s += glyphs.barHalf }
        let used = halves / 2 + halves % 2
        s += String(repeating: glyphs.barEmpty, count: max(0, width - used))
        return s
    }

    public static func role(_ state: FlagState?, recent: Bool) -> ThemeRole {
        guard let state else { return .off }
        switch state.cell {
        case .killed: return .killed // a kill is never masked by the recent highlight
        case _ where recent: return .recent
        case .off: return .off
        case .on: return .on
        case .partial: return .partial
        }
    }
}
