import FlagDeckCore
import Foundation

/// The home screen: flags × environments. It owns what an operator does here — moving,
/// the `/` filter, sorting, and the kill and unkill dialogs — while `DashboardApp`
/// replaces its data on live refresh.
public struct GridScreen: Screen {
    public enum Action: Hashable, Sendable {
        case left, down, up, right, top, bottom, pageUp, pageDown
        case filter, nextMatch, previousMatch, sort
        case kill, killAll, unkill
        case detail, history, review
        case clearFilter, quit
    }

    static let move = "move between flags and environments"
    /// Table order is help order and hint order; `h j k l` read left to right.
    public static let bindings: [KeyBinding<Action>] = [
        KeyBinding([.left, .char("h")], .left, move),
        KeyBinding([.down, .char("j")], .down, move),
        KeyBinding([.up, .char("k")], .up, move),
        KeyBinding([.right, .char("l")], .right, move),
        KeyBinding([.char("g"), .home], .top, "first / last flag"),
        KeyBinding([.char("G"), .end], .bottom, "first / last flag"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, "page up / down"),
        KeyBinding([.pageDown, .ctrl("f"), .char(" ")], .pageDown, "page up / down"),
        KeyBinding([.char("/")], .filter, "filter flags by key, owner or tag (Enter keeps, Esc clears)", hint: "filter"),
        KeyBinding([.char("n")], .nextMatch, "next / previous match"),
        KeyBinding([.char("N")], .previousMatch, "next / previous match"),
        KeyBinding([.char("s")], .sort, "cycle sort: key, age, recent change, owner", hint: "sort"),
        KeyBinding([.char("K")], .kill, "kill the flag in the selected environment", hint: "kill", mutating: true),
        KeyBinding([.ctrl("k")], .killAll, "kill the flag in every environment (also :kill-all)", mutating: true),
        KeyBinding([.char("U")], .unkill, "unkill the flag in the selected environment (:unkill-all: everywhere)",
                   hint: "unkill", mutating: true),
        KeyBinding([.enter], .detail, "flag detail: states, rules, dependencies, hints, checklist", hint: "detail"),
        KeyBinding([.char("H")], .history, "history of all flags (:history KEY for one)", hint: "history"),
        KeyBinding([.char("R")], .review, "review candidates, most pressing first (also :review)", hint: "review"),
        KeyBinding([.escape], .clearFilter, "clear the / filter, then the :env filter"),
        KeyBinding([.char("q")], .quit, "quit", hint: "quit"),
    ]

    public private(set) var model: GridModel
    /// The `/` prompt while it is open; the grid narrows with every key.
    public private(set) var filterField: TextField?
    public private(set) var dialog: KillDialog?
    /// A kill or unkill of a table-bound cell still writing its jobs (`JobsBulkRun`).
    public internal(set) var bulk: JobsBulkRun?
    /// The terminal size, for paging and horizontal scrolling.
    public private(set) var rows = 24
    public private(set) var cols = 80

    public init(data: GridData) {
        model = GridModel(data: data)
    }

    public var title: String { "grid" }
    public var showsBreadcrumb: Bool { false }
    public var isTyping: Bool { filterField != nil || dialog != nil }

    var layout: GridLayout { GridLayout(rows: rows, cols: cols, data: model.data) }

    mutating func resize(rows: Int, cols: Int, now: Date) {
        self.rows = rows
        self.cols = cols
        fit(now: now)
    }

    /// Keeps the cursor's row and column on screen, and judges the hints of what shows.
    mutating func fit(now: Date) {
        let layout = layout
        model.scrollIntoView(pageRows: layout.pageRows, fittingEnvs: { _ in layout.fittingEnvs })
        model.judgeVisible(pageRows: layout.pageRows, now: now)
    }

    /// Live refresh: new data, the cursor stays on its flag.
    mutating func replace(_ data: GridData, now: Date) {
        model.replace(data)
        fit(now: now)
    }

    /// The bindings changed (a sync's bookkeeping, a binding added elsewhere).
    mutating func setSources(_ sources: [EnvironmentID: [SourceBinding]]) {
        model.update { $0.sources = sources }
    }

    /// New jobs counts of the table-bound cells (`JobsSummaryLoader`).
    mutating func setJobs(_ jobs: [CellKey: JobsCellSummary]) {
        model.update { $0.jobs = jobs }
    }

    /// Live refresh in place: the events after the data's seq (see `GridData.catchUp`).
    mutating func catchUp(from r: any StoreReading, now: Date) throws -> GridData.Refresh {
        let outcome = try model.update { try $0.catchUp(from: r, now: now) }
        fit(now: now)
        return outcome
    }

    public mutating func reload(services: ScreenServices) {}
    public mutating func refresh(services: ScreenServices) {}

    // MARK: keys

    public mutating func perform(_ action: Action, services sv: ScreenServices) -> ScreenAction {
        switch action {
        case .left: model.moveEnvs(-1)
        case .right: model.moveEnvs(1)
        case .up: model.moveRows(-1)
        case .down: model.moveRows(1)
        case .top: model.moveToTop()
        case .bottom: model.moveToBottom()
        case .pageUp: model.moveRows(-layout.pageRows)
        case .pageDown: model.moveRows(layout.pageRows)
        case .filter: filterField = TextField(model.filter)
        case .nextMatch: model.nextMatch(forward: true)
        case .previousMatch: model.nextMatch(forward: false)
        case .sort:
            model.setSort(model.sort.next)
            return .status(sorted())
        case .kill: return openDialog(.kill, sv)
        case .killAll: return openDialog(.killAll, sv)
        case .unkill: return openDialog(.unkill, sv)
        case .detail:
            guard let row = model.currentRow else { return .none }
            return .push(FlagDetailScreen(flag: row.flag.key, env: model.currentEnvironment?.id.path, services: sv))
        case .history: return .push(HistoryScreen(flag: nil, services: sv))
        case .review: return .push(ReviewScreen(services: sv))
        case .clearFilter:
            if !model.filter.isEmpty { model.setFilter("") } else if !model.envFilter.isEmpty { model.setEnvFilter("") }
        case .quit:
            // Quitting would cut the write short (the next flagdeck command would finish it).
            if let bulk { return .status(StatusMessage("still writing, wait before quitting: \(bulk.text(glyphs: sv.glyphs))", kind: .error)) }
            return .quit
        }
        return .none
    }

    public mutating func handleTyping(_ key: Key, services sv: ScreenServices) -> ScreenAction {
        if var d = dialog {
            switch d.handle(key) {
            case .pending:
                dialog = d
                return .none
            case .cancelled:
                dialog = nil
                return .status(StatusMessage("cancelled; nothing written"))
            case .confirmed(let reason):
                dialog = nil
                return write(&d, reason: reason, sv)
            }
        }
        guard var field = filterField else { return .none }
        switch key {
        case .enter:
            filterField = nil
            if model.waitingForData {
                return .status(StatusMessage("the filter \"\(model.filter)\" applies once all \(model.data.flagCount) flags are loaded…"))
            }
            if !model.filter.isEmpty {
                return .status(StatusMessage("\(model.rowCount) flags match \"\(model.filter)\"; n/N next/previous, Esc clears"))
            }
        case .escape:
            model.setFilter("")
            filterField = nil
        case .up, .down, .pageUp, .pageDown:
            // Moving keeps the filter and leaves the prompt, as if the key had been pressed on the grid.
            filterField = nil
            return performBinding(for: key, services: sv)
        default:
            if field.edit(key) { model.setFilter(field.text) }
            filterField = field
        }
        return .none
    }

    /// The grid's part of the command line.
    mutating func run(_ command: CommandLineInput.Command, services sv: ScreenServices) -> ScreenAction {
        switch command {
        case .env(let f):
            model.setEnvFilter(f)
            return .status(StatusMessage(f.isEmpty ? "showing all environments"
                                         : "\(model.visibleEnvs.count) environments match \"\(f)\" (:env alone shows all)"))
        case .flag(let k):
            if model.jump(to: k) { return .none }
            return .status(StatusMessage(model.data.complete ? "no flag matches \"\(k)\""
                                         : "no loaded flag matches \"\(k)\" yet; all \(model.data.flagCount) are loading, try again in a moment",
                                         kind: .error))
        case .sort(let s):
            model.setSort(s)
            return .status(sorted())
        case .killAll: return openDialog(.killAll, sv)
        case .unkillAll: return openDialog(.unkillAll, sv)
        default: return .none
        }
    }

    func sorted() -> StatusMessage {
        StatusMessage(model.waitingForData ? "sorting by \(model.sort.rawValue) once all \(model.data.flagCount) flags are loaded…"
                      : "sorted by \(model.sort.rawValue)")
    }

    mutating func openDialog(_ kind: KillDialog.Kind, _ sv: ScreenServices) -> ScreenAction {
        guard let row = model.currentRow else { return .none }
        if let bulk {
            return .status(StatusMessage("wait for the running change to finish: \(bulk.text(glyphs: sv.glyphs))", kind: .error))
        }
        let envIndex = model.visibleEnvs.indices.contains(model.envCursor) ? model.visibleEnvs[model.envCursor] : nil
        switch KillDialog.make(kind, row: row, environments: model.data.environments, at: envIndex,
                               allFlags: sv.allFlags()) {
        case .success(var d):
            if let refusal = sv.access.refusal(changing: d.targets.map(\.env.id)) { return .status(refusal) }
            d.destinations = Self.destinations(d, sv)
            d.strategies = Self.strategies(d, sv)
            dialog = d
            return .none
        case .failure(let r): return .status(StatusMessage(r.message, kind: .error))
        }
    }

    /// The grid's only write. Success or failure, the dashboard reloads afterwards: our
    /// write moved the change token, and a conflict means someone else's did.
    ///
    /// A push that did not reach the source (unreadable, changed there, permission, full
    /// disk) leaves the dialog open with the error in it, so the operator sees on the
    /// spot that the application still reads the old value, and can retry or cancel.
    mutating func write(_ d: inout KillDialog, reason: String, _ sv: ScreenServices) -> ScreenAction {
        if JobsBulkRun.applies(d, sv.data) {
            // Every job of a table: written on a thread, with its progress on the status line.
            let run = JobsBulkRun.start(d, reason: reason, operations: sv.operations)
            bulk = run
            return .status(StatusMessage(run.text(glyphs: sv.glyphs)))
        }
        return settle(&d, Result { try KillSwitch.apply(d, reason: reason, operations: sv.operations) })
    }

    /// What a finished write shows: the outcome on the status line, or the dialog again
    /// with the error when the push did not reach the source.
    mutating func settle(_ d: inout KillDialog, _ outcome: Result<MutationResult, any Error>) -> ScreenAction {
        do {
            return .wrote(KillSwitch.message(d, try outcome.get()))
        } catch let e as SourceError {
            let message = "push failed, the source was not changed: \(e.description)"
            d.failed(message)
            dialog = d
            return .wrote(StatusMessage(message, kind: .error))
        } catch {
            return .wrote(StatusMessage(DashboardApp.message(error), kind: .error))
        }
    }

    /// Where each target's change goes, as its source's driver says it (`writes
    /// sample/…/features.json`); nothing for an environment that is not bound.
    static func destinations(_ d: KillDialog, _ sv: ScreenServices) -> [EnvironmentID: String] {
        var out: [EnvironmentID: String] = [:]
        for t in d.targets {
            if let jobs = sv.data.jobs[CellKey(flag: d.flag.key, env: t.env.id)] {
                out[t.env.id] = JobsBulkRun.destination(jobs, direction: d.kind.direction)
                continue
            }
            let bound = sv.data.sources[t.env.id] ?? []
            guard var binding = bound.first else { continue }
            if bound.count > 1 {
                // Several documents: the one that holds the flag (as the push decides).
                binding = bound.first { b in
                    (try? sv.store.read { try $0.sourceFlag(binding: b.id, flag: d.flag.key) })?.seen != nil
                } ?? binding
            }
            if let driver = try? sv.operations.sources.documentSource(for: binding) {
                out[t.env.id] = driver.destination(urgent: d.kind.direction == .kill)
            }
        }
        return out
    }

    /// The strategy each AppConfig target deploys with: the binding's kill strategy for a
    /// kill (which stops a deployment in progress), its `--strategy` otherwise.
    static func strategies(_ d: KillDialog, _ sv: ScreenServices) -> [EnvironmentID: String] {
        var out: [EnvironmentID: String] = [:]
        let urgent = d.kind.direction == .kill
        for t in d.targets {
            for b in sv.data.sources[t.env.id] ?? [] {
                guard let ac = (try? sv.operations.sources.documentSource(for: b)) as? AppConfigSource else { continue }
                out[t.env.id] = urgent ? ac.options.killStrategyName + ", stopping any deployment in progress" : ac.options.strategy
            }
        }
        return out
    }

    // MARK: drawing

    public func render(on s: any Surface, context c: RenderContext) -> StatusBar {
        GridView.render(model, on: s, context: c)
        if let field = filterField {
            s.fillRow(s.rows - 1, "/" + field.display(width: s.cols - 20, focused: true), style: c.theme[.status])
            s.draw(model.waitingForData ? "loading… " : "\(model.rowCount) match ", row: s.rows - 1, col: s.cols - 16, width: 16,
                   style: c.theme[.status])
            return .drawn
        }
        dialog?.render(on: s, context: c)
        let of = model.data.complete ? "" : " of \(model.data.flagCount)"
        return .hints(position: model.rowCount == 0 ? "0/0" : "\(model.cursor + 1)/\(model.rowCount)\(of)")
    }

    public func helpNotes(context c: RenderContext) -> [String] {
        [
            "Cells: ON, OFF, \(c.glyphs.killed)KILL (killed), NN% with a bar (partial rollout),",
            "  RULES: enabled at 0 % with rules, so only contexts a rule matches get it (a Powertools",
            "  flag with default false and rules). RULES is not off: kill it to turn it off.",
            "\(c.glyphs.protected) before an environment marks it protected: a kill there needs the flag key typed.",
            "\(c.glyphs.recent) after a cell marks a change in the last \(Int(c.recentWindow / 3600))h.",
            "Changes by other operators appear within a second; the header shows the last refresh.",
        ]
    }
}
