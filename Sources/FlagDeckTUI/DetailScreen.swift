import FlagDeckCore
import Foundation

/// Enter on a flag: its metadata and its state in every environment. Deliberately a
/// plain list; the lifecycle work adds history and advice here.
public enum DetailScreen {
    public static func lines(for row: GridRow, environments: [Environment], context c: RenderContext) -> [(String, ThemeRole)] {
        let f = row.flag
        var out: [(String, ThemeRole)] = [
            ("  key:         \(f.key)", .grid),
            ("  owner:       \(f.owner ?? "(none)")", .grid),
            ("  type:        \(f.type.rawValue)", .grid),
            ("  description: \(f.description.isEmpty ? "(none)" : f.description)", .grid),
            ("  tags:        \(f.tags.isEmpty ? "(none)" : f.tags.joined(separator: ", "))", .grid),
            ("  depends on:  \(f.dependsOn.isEmpty ? "(nothing)" : f.dependsOn.joined(separator: ", "))", .grid),
            ("  created:     \(UTC.format(f.createdAt))", .grid),
            ("  expires:     \(f.expiresAt.map(UTC.formatDay) ?? "(never)")", .grid),
            ("  last change: \(row.lastChanged.map { UTC.format($0) + " (" + AgeFormat.short(c.now.timeIntervalSince($0)) + " ago)" } ?? "-")", .grid),
        ]
        if let hint = row.hint { out.append(("  hint:        \(hint)", .grid)) }
        out.append(("", .grid))
        out.append(("  ENVIRONMENT                     STATE                 VERSION  CHANGED BY       AT", .grid))
        for (i, env) in environments.enumerated() {
            guard let s = row.cells[i] else { continue }
            let recent = c.now.timeIntervalSince(s.changedAt) < c.recentWindow
            let name = (env.isProtected ? c.glyphs.protected : " ") + env.id.path
            let line = "  " + DisplayWidth.fit(name, to: 32) + DisplayWidth.fit(StateJSON.summary(s), to: 22)
                + DisplayWidth.fit("v\(s.version)", to: 9) + DisplayWidth.fit(s.changedBy, to: 17) + UTC.format(s.changedAt)
            out.append((line, CellFormat.role(s, recent: recent)))
        }
        return out
    }

    public static func render(_ row: GridRow, environments: [Environment], scroll: Int, on s: any Surface, context c: RenderContext) {
        s.fillRow(0, " flag \(row.flag.key)", style: c.theme[.header])
        let all = lines(for: row, environments: environments, context: c)
        for (i, (text, role)) in all.dropFirst(scroll).prefix(max(0, s.rows - 2)).enumerated() {
            s.draw(text, row: 1 + i, col: 0, width: s.cols, style: c.theme[role])
        }
        s.fillRow(s.rows - 1, " Esc back   ↑↓ scroll" + (c.readOnly ? "" : "   K/U from the grid to kill/unkill"), style: c.theme[.status])
    }
}
