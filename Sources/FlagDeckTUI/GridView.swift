import FlagDeckCore
import Foundation

/// The grid as drawn: header, account/environment headings, one row per visible flag with a
/// frozen key column, and horizontally scrolled environment cells. Only the rows in the
/// viewport are drawn, so the cost of a frame does not grow with the number of flags.
public enum GridView {
    public static func render(_ model: GridModel, on s: any Surface, context c: RenderContext) {
        let layout = GridLayout(rows: s.rows, cols: s.cols, data: model.data)
        let t = c.theme
        renderHeader(model, on: s, context: c)

        // Row 1: sort and filters on the left, account names spanning their columns.
        let grid = t[.grid]
        var info = "sort:\(model.sort.rawValue)"
        if !model.filter.isEmpty { info += " /\(model.filter)" }
        if model.waitingForData { info += " (loading…)" }
        if !model.envFilter.isEmpty { info += " env:\(model.envFilter)" }
        s.draw(info, row: 1, col: 0, width: layout.firstCellCol, style: grid)
        s.draw("KEY", row: 2, col: layout.keyCol, width: layout.keyWidth, style: grid.withBold)
        s.draw("OWNER", row: 2, col: layout.ownerCol, width: layout.ownerWidth, style: grid.withBold)
        s.draw("AGE", row: 2, col: layout.ageCol, width: GridLayout.ageWidth, style: grid.withBold)
        s.draw("HINT", row: 2, col: layout.hintCol, width: GridLayout.hintWidth, style: grid.withBold)

        let envs = visibleColumns(model, layout: layout)
        var previousAccount: String?
        for (n, envIndex) in envs.enumerated() {
            let env = model.data.environments[envIndex]
            let x = layout.firstCellCol + n * layout.cellWidth
            if env.id.account != previousAccount {
                // Account heading starts at its first visible column and runs over the rest;
                // the last one may run on to the edge (one column of `:env prod-eu` is
                // narrower than most account names). What still does not fit is cut in the
                // middle, so `payments-prod` and `payments-test` stay apart.
                let span = envs[n...].prefix { model.data.environments[$0].id.account == env.id.account }.count
                let last = n + span == envs.count
                let own = span * layout.cellWidth
                let width = last ? max(own, min(1 + DisplayWidth.of(env.id.account), s.cols - x)) : own
                let heading = DisplayWidth.truncate(env.id.account, to: width - 1, ellipsis: c.glyphs.ellipsis)
                s.draw(c.glyphs.separator + heading, row: 1, col: x - 1, width: width, style: t[.header])
                previousAccount = env.id.account
            }
            let bound = model.data.sources[env.id] ?? []
            let failed = bound.contains { $0.syncError != nil }
            // An AppConfig binding's deployment follows the source mark: `prod⇄40%` (DeploymentBadge).
            let deployment = failed ? nil : c.deployments[env.id]
            let mark = bound.isEmpty ? "" : failed ? c.glyphs.syncError : c.glyphs.source + (deployment.map(DeploymentBadge.short) ?? "")
            let name = (env.isProtected ? c.glyphs.protected : " ")
                + DisplayWidth.truncate(env.id.name, to: layout.cellWidth - 2 - DisplayWidth.of(mark), ellipsis: c.glyphs.ellipsis)
                + mark
            var style = failed ? t[.danger] : deployment.flatMap(DeploymentBadge.role).map { t[$0] }
                ?? (env.isProtected ? t[.protected] : grid.withBold)
            if n == model.envCursor - model.leftEnv { style = style.withUnderline }
            s.draw(name, row: 2, col: x, width: layout.cellWidth - 1, style: style)
        }
        if model.leftEnv > 0 { s.draw("«", row: 2, col: layout.separatorCol, width: 1, style: grid) }
        if let last = envs.last, last != model.visibleEnvs.last { s.draw("»", row: 2, col: s.cols - 1, width: 1, style: grid) }

        // Flag rows.
        let end = min(model.rowCount, model.top + layout.pageRows)
        for pos in model.top..<max(model.top, end) {
            let y = GridLayout.headerRows + pos - model.top
            renderRow(model.row(at: pos), y: y, selected: pos == model.cursor, model: model, envs: envs,
                      layout: layout, on: s, context: c)
        }
        if model.rowCount == 0 {
            let msg = model.data.rows.isEmpty
                ? "No flags yet. Add one with: flagdeck flag add KEY --owner TEAM"
                : "No flag matches \"\(model.filter)\" (Esc clears the filter)"
            s.draw(msg, row: GridLayout.headerRows + 1, col: 2, style: grid)
        }
    }

    /// Indices into `data.environments` of the columns that fit, from `leftEnv`.
    static func visibleColumns(_ model: GridModel, layout: GridLayout) -> [Int] {
        guard model.leftEnv < model.visibleEnvs.count else { return [] }
        return Array(model.visibleEnvs[model.leftEnv...].prefix(layout.fittingEnvs))
    }

    static func renderHeader(_ model: GridModel, on s: any Surface, context c: RenderContext) {
        let h = c.theme[.header]
        let d = model.data
        let live = c.reconnecting ? "\(c.glyphs.killed) reconnecting… (showing \(c.lastRefresh.map(RenderContext.clock) ?? "--:--:--"))"
            : !c.live ? "\(c.glyphs.killed) NOT LIVE (store unreadable)"
            : c.loading ? "\(c.glyphs.live) loading \(d.rows.count) of \(d.flagCount)…"
            : "\(c.glyphs.live) live \(c.lastRefresh.map(RenderContext.clock) ?? "--:--:--")"
        let ro = c.readOnly ? " │ READ-ONLY" : ""
        let rest = " │ \(d.flagCount) flags × \(d.environments.count) envs │ operator \(c.operatorName)\(ro) │ \(live)"
        let lead = " flagdeck │ "
        var source = sourceText(model, context: c)
        // The cursor column's source and the database path share what the rest leaves:
        // the path keeps at least its tail, the source the rest (both cut in the middle).
        let free = s.cols - DisplayWidth.of(lead) - DisplayWidth.of(rest)
        let pathWidth = DisplayWidth.of(d.location)
        if !source.text.isEmpty && DisplayWidth.of(source.text) + pathWidth > free {
            let room = max(0, free - min(pathWidth, 24))
            source.text = source.failed ? DisplayWidth.clip(source.text, to: room)
                : DisplayWidth.truncate(source.text, to: room, ellipsis: c.glyphs.ellipsis)
        }
        let location = source.text.isEmpty ? d.location
            : shortenPath(d.location, to: max(0, free - DisplayWidth.of(source.text)), ellipsis: c.glyphs.ellipsis)
        let text = lead + location + rest
        if DisplayWidth.of(text) <= s.cols && (source.text.isEmpty || free >= 30) {
            s.fillRow(0, text, style: h)
            if !source.text.isEmpty {
                s.draw(source.text, row: 0, col: DisplayWidth.of(text), style: source.failed ? c.theme[.danger] : h)
            }
        } else {
            // Narrow terminal: keep operator and live indicator visible; the path is cut first.
            let right = "\(ro) │ \(live) "
            s.fillRow(0, " \(d.flagCount)f×\(d.environments.count)e │ \(c.operatorName) │ \(d.location)", style: h)
            s.draw(right, row: 0, col: max(0, s.cols - DisplayWidth.of(right)), style: h)
        }
    }

    /// A path cut before its file name, which stays whole when it fits: `/tmp/fl…/demo.sqlite`.
    static func shortenPath(_ path: String, to width: Int, ellipsis: String) -> String {
        guard DisplayWidth.of(path) > width else { return path }
        let name = (path as NSString).lastPathComponent
        let head = width - DisplayWidth.of(name) - DisplayWidth.of(ellipsis) - 1
        guard head > 0 else { return DisplayWidth.truncate(path, to: width, ellipsis: ellipsis) }
        return DisplayWidth.clip(path, to: head) + ellipsis + "/" + name
    }

    /// Where the cursor column's flags live: ` │ prod-eu ⇄ file:/…/features.json`, and
    /// the last sync's error when there is one. Empty for an unbound environment.
    static func sourceText(_ model: GridModel, context c: RenderContext) -> (text: String, failed: Bool) {
        guard let env = model.currentEnvironment, let bound = model.data.sources[env.id], !bound.isEmpty else { return ("", false) }
        let uris = bound.map(\.uri).joined(separator: ", ")
        // The error names the document by its full path, already shown after it: the file name is enough there.
        let errors = bound.compactMap { b in
            b.syncError.map { e in
                guard b.uri.hasPrefix("file:") else { return e }
                let path = String(b.uri.dropFirst(5))
                return e.replacingOccurrences(of: path, with: (path as NSString).lastPathComponent)
            }
        }
        // A failure first: it is what the operator must read; the URI is on the next redraw.
        if !errors.isEmpty { return (" │ \(env.id.name) SYNC FAILED: " + errors.joined(separator: "; ") + " │ \(uris) ", true) }
        // The deployment before the URI: a long header is cut in the middle, and the state is what changes.
        let deployment = c.deployments[env.id].map(DeploymentBadge.long).map { $0.isEmpty ? "" : "\($0) │ " } ?? ""
        return (" │ \(env.id.name) \(c.glyphs.source) " + deployment + "\(uris) ", false)
    }

    static func renderRow(_ row: GridRow, y: Int, selected: Bool, model: GridModel, envs: [Int],
                          layout: GridLayout, on s: any Surface, context c: RenderContext) {
        let t = c.theme
        let base = t[.grid]
        let keyStyle = selected ? base.toggledReverse : base
        s.draw(selected ? c.glyphs.cursor : " ", row: y, col: 0, width: layout.keyCol, style: base)
        s.draw(DisplayWidth.truncate(row.flag.key, to: layout.keyWidth, ellipsis: c.glyphs.ellipsis),
               row: y, col: layout.keyCol, width: layout.keyWidth, style: keyStyle)
        s.draw(DisplayWidth.truncate(row.flag.owner ?? "-", to: layout.ownerWidth, ellipsis: c.glyphs.ellipsis), row: y, col: layout.ownerCol, width: layout.ownerWidth, style: base)
        let age = row.lastChanged.map { Age.compact(c.now.timeIntervalSince($0)) } ?? "-"
        s.draw(DisplayWidth.fitRight(age, to: GridLayout.ageWidth), row: y, col: layout.ageCol, width: GridLayout.ageWidth, style: base)
        s.draw(row.hint ?? "", row: y, col: layout.hintCol, width: GridLayout.hintWidth, style: base)
        s.draw(c.glyphs.separator, row: y, col: layout.separatorCol, width: 1, style: base)
        for (n, envIndex) in envs.enumerated() {
            let state = row.cells[envIndex]
            let recent = state.map { c.now.timeIntervalSince($0.changedAt) < c.recentWindow } ?? false
            let jobs = model.data.jobs(flag: row.flag.key, envIndex: envIndex, state: state)
            var style = t[jobs.map(JobsCellText.role) ?? CellFormat.role(state, recent: recent)]
            if selected && n == model.envCursor - model.leftEnv { style = style.toggledReverse }
            var text = jobs.map { JobsCellText.text($0, width: layout.cellWidth - 1, glyphs: c.glyphs) }
                ?? (state?.killed != true && model.data.awaitsJobs(flag: row.flag.key, envIndex: envIndex)
                    ? JobsCellText.pending(width: layout.cellWidth - 1, glyphs: c.glyphs) : nil)
                ?? CellFormat.text(state, width: layout.cellWidth - 1, recent: recent, glyphs: c.glyphs)
            if state != nil, model.data.isAbsent(flag: row.flag.key, envIndex: envIndex) {
                // Gone from the bound document: the application no longer reads this cell.
                text = DisplayWidth.fit("—", to: layout.cellWidth - 1)
            }
            if state != nil, model.data.isExternal(flag: row.flag.key, envIndex: envIndex) {
                // Changed in the source outside flagdeck: the marker replaces the cell's last column.
                text = DisplayWidth.clip(text, to: layout.cellWidth - 1 - DisplayWidth.of(c.glyphs.external)) + c.glyphs.external
            }
            s.draw(text, row: y, col: layout.firstCellCol + n * layout.cellWidth, width: layout.cellWidth - 1, style: style)
        }
    }
}

extension Style {
    var withBold: Style { var s = self; s.bold = true; return s }
    var withUnderline: Style { var s = self; s.underline = true; return s }
}
