import FlagDeckTUI
import Foundation

/// The grid as read off the terminal: which environment each visible column is, and
/// which row is which flag. Names cut in the middle (`payments…team`) are matched with
/// `looksLike`, so the reading does not depend on the terminal's width.
struct GridReading {
    struct Column: Equatable {
        var account: String
        var env: String
        /// First display column of the cell.
        var x: Int
        var path: String { "\(account)/\(env)" }

        func matches(_ path: String) -> Bool {
            let parts = path.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return false }
            return looksLike(account, parts[0]) && looksLike(env, parts[1])
        }
    }

    let screen: ScreenText
    let columns: [Column]
    /// The column of the `│` between the frozen columns and the cells.
    let separator: Int

    static let protectedGlyph: Character = "▲"
    static let sourceMarks: Set<Character> = ["⇄", "!"]
    static let headerRows = 3

    /// nil when the screen is not the grid (no account heading on row 1).
    init?(_ screen: ScreenText) {
        self.screen = screen
        let accounts = screen.line(1)
        guard let sep = Array(accounts).firstIndex(of: "│") else { return nil }
        separator = sep
        // Account headings: "│name" on row 1, from the separator on.
        var headings: [(x: Int, name: String)] = []
        let row1 = Array(accounts)
        for x in sep..<row1.count where row1[x] == "│" {
            let name = String(row1[(x + 1)...].prefix { $0 != " " && $0 != "│" })
            if !name.isEmpty { headings.append((x, name)) }
        }
        // Environment names on row 2: " name" or "▲name" at each cell start.
        let row2 = screen.lines.indices.contains(2) ? screen.lines[2].map(\.char) : []
        var cols: [Column] = []
        var p = sep + 1
        while p < row2.count {
            guard row2[p] != " " else { p += 1; continue }
            let run = String(row2[p...].prefix { $0 != " " })
            defer { p += run.count }
            if run == "»" && p + 1 >= row2.count { break }
            let isProtected = run.first == Self.protectedGlyph
            let x = isProtected ? p : p - 1
            var name = isProtected ? String(run.dropFirst()) : run
            // A bound environment's name ends with the source mark (or the sync-error mark),
            // and an AppConfig binding's deployment state after it (`prod⇄40%`, `prod⇄ok`).
            if let mark = name.dropFirst().firstIndex(where: { Self.sourceMarks.contains($0) }) { name = String(name[..<mark]) }
            guard let account = headings.last(where: { $0.x <= x - 1 })?.name else { continue }
            cols.append(Column(account: account, env: name, x: x))
        }
        columns = cols
    }

    func column(_ path: String) -> Column? { columns.first { $0.matches(path) } }

    /// The screen row of `flag`, by its key column (frozen at column 2).
    func row(of flag: String) -> Int? {
        for r in Self.headerRows..<max(Self.headerRows, screen.lines.count - 1) {
            let key = String(screen.text(r, from: 2).prefix { $0 != " " })
            if !key.isEmpty && looksLike(key, flag) { return r }
        }
        return nil
    }

    /// What a cell shows (`ON`, `✖KILL`, `40% ██░░`, `RULES`), without padding.
    func cell(flag: String, env: String) -> String? {
        guard let r = row(of: flag), let i = columns.firstIndex(where: { $0.matches(env) }) else { return nil }
        let end = columns.indices.contains(i + 1) ? columns[i + 1].x : nil
        let text = screen.text(r, from: columns[i].x, to: end)
        return String(text.reversed().drop { $0 == " " }.reversed())
    }

    /// The environment under the cursor: on the cursor's row (`▶`) the grid reverses that
    /// cell (needs a styled capture).
    var cursorColumn: Column? {
        guard let r = (Self.headerRows..<screen.lines.count).first(where: { screen.char($0, 0) == "▶" }) else { return nil }
        return columns.first { screen.lines[r].indices.contains($0.x) && screen.lines[r][$0.x].reverse }
    }

    /// `«` before the first column: columns to the left are scrolled out of view.
    var scrolledRight: Bool { screen.char(2, separator) == "«" }

    /// The environment count from the header (`3 flags × 4 envs`, or `3f×4e` when narrow).
    var environmentCount: Int? {
        let header = screen.line(0)
        for pattern in [#"× (\d+) envs"#, #"×(\d+)e"#] {
            if let r = header.range(of: pattern, options: .regularExpression) {
                return Int(header[r].filter(\.isNumber))
            }
        }
        return nil
    }
}
