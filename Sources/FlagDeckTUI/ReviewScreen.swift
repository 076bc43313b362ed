import FlagDeckCore
import Foundation

/// The monthly review, interactive: the flags whose hints are not silenced, most pressing
/// first, each with its top hint and facts. A decision is recorded on the spot through
/// `Operations.markForReview` (audited as `review.mark`); a kept or snoozed flag leaves
/// the list until its date, exactly as the `review` report would show it.
public struct ReviewScreen: Screen {
    public private(set) var report: ReviewReport?
    public private(set) var cursor = 0
    public private(set) var dialog: ReviewMarkDialog?
    public private(set) var problem: String?
    /// `/` narrows the list by key, owner or hint kind, like the grid's filter.
    public private(set) var filter = ""
    public private(set) var editing: TextField?

    public init(services: ScreenServices) {
        reload(services: services)
    }

    public var candidates: [FlagHints] {
        let all = report?.candidates ?? []
        guard !filter.isEmpty else { return all }
        let f = filter.lowercased()
        return all.filter { c in
            c.flag.key.lowercased().contains(f) || (c.flag.owner ?? "").lowercased().contains(f)
                || c.active.contains { $0.kind.rawValue.contains(f) }
        }
    }

    public mutating func reload(services: ScreenServices) {
        do {
            report = try Self.report(services)
            problem = nil
        } catch {
            problem = DashboardApp.message(error)
        }
        cursor = max(0, min(cursor, candidates.count - 1))
    }

    /// Built from the grid's data when the whole grid is loaded (its cells and the hint
    /// inputs it keeps current from the audit feed), so a live refresh reads only the
    /// period's review marks, not every cell and the aggregates over the log again.
    static func report(_ sv: ScreenServices) throws -> ReviewReport {
        let d = sv.data
        guard d.complete else { return try ReviewReport.load(from: sv.store, now: sv.now) }
        var cells: [String: [FlagState]] = [:]
        cells.reserveCapacity(d.rows.count)
        for row in d.rows { cells[row.flag.key] = row.cells.compactMap { $0 } }
        let input = LifecycleInput(flags: d.allFlags, environments: d.environments, cellsByFlag: cells, context: d.lifecycle)
        let since = sv.now.addingTimeInterval(-TimeInterval(d.lifecycle.settings.reviewPeriodDays) * 86_400)
        let marks = try sv.store.read { try ReviewMark.recorded(since: since, in: $0) }
        return ReviewReport.build(input, marks: marks, now: sv.now, since: since)
    }

    public enum Action: Hashable, Sendable { case clearOrBack, back, down, up, top, bottom, filter, detail, keep, retire, snooze }

    public static let bindings: [KeyBinding<Action>] = [
        KeyBinding([.escape], .clearOrBack, "clear the filter, else back", hint: "back"),
        KeyBinding([.char("q")], .back, "back to the previous screen"),
        KeyBinding([.down, .char("j")], .down, "move", hint: "move"),
        KeyBinding([.up, .char("k")], .up, "move"),
        KeyBinding([.char("g"), .home], .top, "first / last candidate"),
        KeyBinding([.char("G"), .end], .bottom, "first / last candidate"),
        KeyBinding([.char("/")], .filter, "filter candidates by key, owner or hint kind", hint: "filter"),
        KeyBinding([.enter], .detail, "the candidate's flag detail", hint: "detail"),
        KeyBinding([.char("m")], .keep, "mark keep (reason, optional until)", hint: "keep", mutating: true),
        KeyBinding([.char("r")], .retire, "mark retire (reason)", hint: "retire", mutating: true),
        KeyBinding([.char("z")], .snooze, "mark snooze (reason, until)", hint: "snooze", mutating: true),
    ]

    public var title: String { "review" }
    public var isTyping: Bool { dialog != nil || editing != nil }

    public mutating func handleTyping(_ key: Key, services: ScreenServices) -> ScreenAction {
        if var d = dialog {
            switch d.handle(key) {
            case .pending:
                dialog = d
                return .none
            case .cancelled:
                dialog = nil
                return .status(StatusMessage("cancelled; nothing written"))
            case .confirmed(let kind, let reason, let until):
                dialog = nil
                do {
                    let mark = try services.operations.markForReview(flag: d.flag, kind, reason: reason, until: until)
                    return .wrote(StatusMessage("marked \(d.flag) \(mark.summary) (audit seq \(mark.seq))", kind: .success))
                } catch {
                    return .status(StatusMessage(DashboardApp.message(error), kind: .error))
                }
            }
        }
        guard var field = editing else { return .none }
        switch key {
        case .enter: editing = nil
        case .escape:
            editing = nil
            filter = ""
        default:
            _ = field.edit(key)
            editing = field
            filter = field.text
        }
        cursor = max(0, min(cursor, candidates.count - 1))
        return .none
    }

    public mutating func perform(_ action: Action, services: ScreenServices) -> ScreenAction {
        switch action {
        case .filter: editing = TextField(filter)
        case .clearOrBack:
            guard !filter.isEmpty else { return .back }
            filter = ""
            cursor = 0
        case .back: return .back
        case .down: cursor = max(0, min(cursor + 1, candidates.count - 1))
        case .up: cursor = max(0, cursor - 1)
        case .top: cursor = 0
        case .bottom: cursor = max(0, candidates.count - 1)
        case .detail:
            if let c = current { return .push(FlagDetailScreen(flag: c.flag.key, services: services)) }
        case .keep: return openDialog(.keep)
        case .retire: return openDialog(.retire)
        case .snooze: return openDialog(.snooze)
        }
        return .none
    }

    var current: FlagHints? { candidates.indices.contains(cursor) ? candidates[cursor] : nil }

    /// Read-only mode never gets here: the marks are mutating bindings.
    mutating func openDialog(_ kind: ReviewMarkKind) -> ScreenAction {
        guard let c = current else { return .status(StatusMessage("no candidate selected", kind: .error)) }
        dialog = ReviewMarkDialog(flag: c.flag.key, kind: kind)
        return .none
    }

    public func render(on s: any Surface, context c: RenderContext) -> StatusBar {
        var row = 1
        if let problem {
            s.draw(" " + problem, row: row, col: 0, width: s.cols, style: c.theme[.danger])
            row += 1
        }
        if let report {
            let counts = report.counts.filter { $0.flags > 0 }.map { "\($0.kind.rawValue) \($0.flags)" }.joined(separator: ", ")
            s.draw(" \(candidates.count) candidates" + (filter.isEmpty ? "" : " matching \"\(filter)\"") + " of \(report.flagCount) flags; \(report.silenced.count) silenced by marks"
                   + (counts.isEmpty ? "" : "   (\(counts))"), row: row, col: 0, width: s.cols, style: c.theme[.grid])
            row += 1
        }
        s.fillRow(row, " " + HistoryScreen.col("SEVERITY", 10) + HistoryScreen.col("FLAG", 28)
                  + HistoryScreen.col("OWNER", 14) + HistoryScreen.col("HINT", 16) + "FACTS", style: c.theme[.header])
        row += 1
        // The selected flag's hints in full, with the advice, below the list.
        var detail: [String] = []
        if let cur = current {
            for h in cur.active.prefix(3) { detail.append(" \(cur.flag.key) [\(h.kind.rawValue)] \(h.facts) → \(h.advice)") }
            if let m = cur.mark { detail.append(" current mark: \(m.summary) — \(m.reason) (\(m.by))") }
        }
        for (i, line) in detail.enumerated() {
            s.fillRow(s.rows - 1 - detail.count + i, line, style: c.theme[.help])
        }
        let visible = max(1, s.rows - 1 - detail.count - row)
        let start = max(0, cursor - visible + 1)
        if candidates.isEmpty { s.draw(" nothing to review", row: row, col: 0, width: s.cols, style: c.theme[.grid]) }
        for (i, fh) in candidates.dropFirst(start).prefix(visible).enumerated() {
            guard let top = fh.top else { continue }
            let more = fh.active.count > 1 ? " (+\(fh.active.count - 1) more)" : ""
            let text = " " + HistoryScreen.col(top.severity.name, 10) + HistoryScreen.name(fh.flag.key, 28, c.glyphs.ellipsis)
                + HistoryScreen.col(fh.flag.owner ?? "-", 14) + HistoryScreen.col(top.kind.rawValue, 16) + top.facts + more
            let style = start + i == cursor ? c.theme[.grid].toggledReverse : c.theme[top.severity == .high ? .danger : .grid]
            s.fillRow(row + i, text, style: style)
        }
        dialog?.render(on: s, context: c)
        if let field = editing {
            s.fillRow(s.rows - 1, " /" + field.display(width: max(10, s.cols - 40), focused: true)
                      + "   (key, owner or hint; Enter keeps, Esc clears)", style: c.theme[.status])
            return .drawn
        }
        if dialog != nil { return .modal(" Enter next/confirm   Tab kind   Esc cancel, nothing is written") }
        return .hints(position: candidates.isEmpty ? "0/0" : "\(cursor + 1)/\(candidates.count)")
    }
}
