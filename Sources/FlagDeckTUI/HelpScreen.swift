/// `?`: every key, generated from one table so the help cannot drift from what the keys do.
/// Mutating keys are left out in read-only mode, because they are disabled there.
public enum HelpScreen {
    public struct Entry: Sendable {
        public var keys: String
        public var action: String
        public var mutating: Bool
    }

    public static let entries: [Entry] = [
        Entry(keys: "↑ ↓ ← →  h j k l", action: "move between flags and environments", mutating: false),
        Entry(keys: "g / G", action: "first / last flag", mutating: false),
        Entry(keys: "PgUp / PgDn", action: "page up / down", mutating: false),
        Entry(keys: "/", action: "filter flags by key, owner or tag (Enter keeps, Esc clears)", mutating: false),
        Entry(keys: "n / N", action: "next / previous match", mutating: false),
        Entry(keys: "s", action: "cycle sort: key, age, recent change, owner", mutating: false),
        Entry(keys: ":", action: "command line: :env NAME, :env (all), :flag KEY, :sort KEY, :history [KEY], :review, :help, :q", mutating: false),
        Entry(keys: "Enter", action: "flag detail: states, dependencies, hints, checklist", mutating: false),
        Entry(keys: "h (in detail)", action: "this flag's history (:history KEY anywhere)", mutating: false),
        Entry(keys: "e (in detail)", action: "evaluate a context JSON: value and why (Tab: env)", mutating: false),
        Entry(keys: "o (in detail)", action: "add an override (env, key, equals, serve, reason)", mutating: true),
        Entry(keys: "x / d (in detail)", action: "remove an override (↑↓ choose, reason)", mutating: true),
        Entry(keys: "H  :history", action: "history of all flags", mutating: false),
        Entry(keys: "Enter (in history)", action: "show / hide the event's raw before and after", mutating: false),
        Entry(keys: "f (in history)", action: "filter: env=ACC/ENV op=NAME action=NAME flag=KEY", mutating: false),
        Entry(keys: "R  :review", action: "review candidates, most pressing first", mutating: false),
        Entry(keys: "/ (in review)", action: "filter candidates by key, owner or hint kind", mutating: false),
        Entry(keys: "m / r / z (review)", action: "mark keep / retire / snooze (reason, until)", mutating: true),
        Entry(keys: "K", action: "kill the flag in the selected environment", mutating: true),
        Entry(keys: "Ctrl-K  :kill-all", action: "kill the flag in every environment", mutating: true),
        Entry(keys: "U", action: "unkill the flag in the selected environment", mutating: true),
        Entry(keys: ":unkill-all", action: "unkill the flag in every environment", mutating: true),
        Entry(keys: "Ctrl-L", action: "redraw the screen", mutating: false),
        Entry(keys: "?", action: "this help", mutating: false),
        Entry(keys: "Esc", action: "back / cancel", mutating: false),
        Entry(keys: "q", action: "quit", mutating: false),
    ]

    public static func render(on s: any Surface, context c: RenderContext, scroll: Int = 0) {
        let t = c.theme
        s.fillRow(0, " flagdeck help" + (c.readOnly ? " (read-only: changing keys are disabled)" : ""), style: t[.header])
        var lines: [String] = []
        for e in entries where !(c.readOnly && e.mutating) {
            lines.append("  " + DisplayWidth.fit(e.keys, to: 20) + e.action)
        }
        lines.append("")
        lines.append("  Cells: ON, OFF, \(c.glyphs.killed)KILL (killed), NN% with a bar (partial rollout).")
        lines.append("  \(c.glyphs.protected) before an environment marks it protected: a kill there needs the flag key typed.")
        lines.append("  \(c.glyphs.recent) after a cell marks a change in the last \(Int(c.recentWindow / 3600))h.")
        lines.append("  Changes by other operators appear within a second; the header shows the last refresh.")
        for (i, line) in lines.dropFirst(scroll).prefix(max(0, s.rows - 2)).enumerated() {
            s.draw(line, row: 1 + i, col: 0, width: s.cols, style: t[.help])
        }
        s.fillRow(s.rows - 1, " Esc or ? to go back", style: t[.status])
    }
}
