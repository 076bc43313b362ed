import FlagDeckCore
import Foundation

/// The dashboard's behaviour, independent of ncurses: which screen is showing, what each
/// key does, when to reload. `Dashboard` feeds it keys and ticks from the terminal; tests
/// feed it keys and render it on a `MemorySurface`.
///
/// A kill, traced: `handle(.char("K"))` opens a `KillDialog` for the cell under the
/// cursor; its `.confirmed(reason)` outcome reaches `perform`, which calls
/// `Operations.kill` with the version the grid displayed; the result or the error goes
/// to the status line and the grid reloads.
public struct DashboardApp: Sendable {
    public enum Mode: Sendable {
        case grid
        /// Typing a `/` filter; the grid narrows with every key. Enter keeps it, Esc clears it.
        case filter(TextField)
        case command(CommandLineInput)
        case help(scroll: Int)
        case dialog(KillDialog)
        /// Detail, history and review, stacked over the grid (see `ScreenStack`).
        case screens(ScreenStack)
    }

    public let store: any FlagStore
    public let operations: Operations
    public let readOnly: Bool
    public var theme: Theme
    public var glyphs: Glyphs
    public var recentWindow: TimeInterval
    public var hint: GridData.HintProvider?
    let clock: @Sendable () -> Date

    public private(set) var model: GridModel
    public internal(set) var mode: Mode = .grid
    public internal(set) var status: StatusMessage?
    public private(set) var shouldQuit = false
    /// Set when the dashboard cannot go on; the terminal loop restores the terminal and exits.
    public private(set) var fatal: DashboardFatalError?
    /// Set by Ctrl-L: the terminal layer repaints everything (the screen may be garbled).
    public var wantsFullRepaint = false
    public private(set) var token: ChangeToken?
    public private(set) var lastRefresh: Date?
    public private(set) var live = true
    public private(set) var rows = 24
    public private(set) var cols = 80
    /// The screens `?` or `:` was pressed over, so leaving help or the command line goes back to them.
    var returnStack: ScreenStack?

    public init(store: any FlagStore, readOnly: Bool = false, theme: Theme = .default, glyphs: Glyphs = .unicode,
                actor: Actor = .current(), clock: @escaping @Sendable () -> Date = { Date() },
                recentWindow: TimeInterval = 86_400, hint: GridData.HintProvider? = nil) throws {
        self.store = store
        self.operations = Operations(store: store, actor: actor, clock: clock)
        self.readOnly = readOnly || store.isReadOnly
        self.theme = theme
        self.glyphs = glyphs
        self.clock = clock
        self.recentWindow = recentWindow
        self.hint = hint
        // Token first: a change landing between the two reads is then seen by the next poll.
        token = try store.changeToken()
        model = GridModel(data: try GridData.load(from: store, now: clock(), hint: hint))
        lastRefresh = clock()
    }

    /// Read-only for this operator: the flag, the file, or an access policy that lets
    /// them change nothing. Mutating keys are then hidden.
    public var effectiveReadOnly: Bool {
        readOnly || !model.data.policy.mayChangeSomething(as: operations.actor)
    }

    public var context: RenderContext {
        RenderContext(theme: theme, glyphs: glyphs, operatorName: operations.actor.name, now: clock(),
                      lastRefresh: lastRefresh, recentWindow: recentWindow, readOnly: effectiveReadOnly, live: live)
    }

    // MARK: size and live refresh

    public mutating func resize(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        fitView()
    }

    mutating func fitView() {
        let layout = GridLayout(rows: rows, cols: cols, data: model.data)
        model.scrollIntoView(pageRows: layout.pageRows, fittingEnvs: { _ in layout.fittingEnvs })
    }

    /// Checks the store's change token and reloads only if it moved. When the audit feed
    /// names the flags that changed, only those rows are re-read. Returns true if the data
    /// changed (the caller redraws).
    @discardableResult
    public mutating func poll(force: Bool = false) -> Bool {
        let now = clock()
        do {
            let fresh = try store.changeToken()
            if !live {
                // Recovered: drop the "cannot read" message and reload whatever was missed.
                live = true
                status = StatusMessage("database readable again", kind: .success)
                token = nil
            }
            lastRefresh = now
            guard force || fresh != token else { return false }
            let old = token
            token = fresh
            var data = model.data
            if !force, let old, fresh.headSeq > old.headSeq, fresh.headSeq - old.headSeq <= 500,
               let keys = try changedFlags(after: old.headSeq),
               try data.refresh(flags: keys, from: store, now: now, hint: hint) {
                // Incremental refresh done.
            } else {
                data = try GridData.load(from: store, now: now, hint: hint)
            }
            model.replace(data)
            fitView()
            refreshScreens()
            return true
        } catch {
            live = false
            status = StatusMessage("cannot read the database: \(Self.message(error))", kind: .error)
            return true
        }
    }

    /// Flags touched by events after `seq`, or nil if an event changed structure (new
    /// flag, environment, setting) and a full reload is needed.
    func changedFlags(after seq: Int64) throws -> Set<String>? {
        let events = try store.read { try $0.events(AuditQuery(afterCursor: seq, ascending: true)) }
        var keys: Set<String> = []
        for e in events {
            guard let flag = e.flag, e.action != AuditAction.flagCreate else { return nil }
            keys.insert(flag)
        }
        return keys
    }

    // MARK: keys

    public mutating func handle(_ key: Key) {
        switch mode {
        case .grid: handleGrid(key)
        case .filter(var field): handleFilter(key, &field)
        case .command(var cmd): handleCommand(key, &cmd)
        case .help(let scroll):
            switch key {
            case .escape, .char("?"), .char("q"), .enter: mode = returnStack.map { .screens($0) } ?? .grid
            case .down, .char("j"): mode = .help(scroll: min(scroll + 1, HelpScreen.entries.count))
            case .up, .char("k"): mode = .help(scroll: max(0, scroll - 1))
            default: break
            }
        case .screens(var stack): handleScreens(key, &stack)
        case .dialog(var dialog):
            switch dialog.handle(key) {
            case .pending: mode = .dialog(dialog)
            case .cancelled:
                mode = .grid
                status = StatusMessage("cancelled; nothing written")
            case .confirmed(let reason):
                mode = .grid
                perform(dialog, reason: reason)
            }
        }
        fitView()
    }

    mutating func handleGrid(_ key: Key) {
        let page = GridLayout(rows: rows, cols: cols, data: model.data).pageRows
        if key != .resize { status = nil }
        switch key {
        case .char("q"): shouldQuit = true
        case .up, .char("k"): model.moveRows(-1)
        case .down, .char("j"): model.moveRows(1)
        case .left, .char("h"): model.moveEnvs(-1)
        case .right, .char("l"): model.moveEnvs(1)
        case .char("g"), .home: model.moveToTop()
        case .char("G"), .end: model.moveToBottom()
        case .pageUp, .ctrl("b"): model.moveRows(-page)
        case .pageDown, .ctrl("f"), .char(" "): model.moveRows(page)
        case .char("/"): mode = .filter(TextField(model.filter))
        case .char("n"): model.nextMatch(forward: true)
        case .char("N"): model.nextMatch(forward: false)
        case .char("s"):
            model.setSort(model.sort.next)
            status = StatusMessage("sorted by \(model.sort.rawValue)")
        case .char(":"): mode = .command(CommandLineInput())
        case .char("?"): mode = .help(scroll: 0)
        case .enter:
            if let row = model.currentRow { openScreen(.detail(FlagDetailScreen(flag: row.flag.key, env: model.currentEnvironment?.id.path, services: services))) }
        case .escape:
            if !model.filter.isEmpty { model.setFilter("") }
            else if !model.envFilter.isEmpty { model.setEnvFilter("") }
        case .char("H"): openScreen(.history(HistoryScreen(flag: nil, services: services)))
        case .char("R"): openScreen(.review(ReviewScreen(services: services)))
        case .char("K"): openDialog(.kill)
        case .ctrl("k"): openDialog(.killAll)
        case .char("U"): openDialog(.unkill)
        case .ctrl("l"): wantsFullRepaint = true
        default: break
        }
    }

    mutating func handleFilter(_ key: Key, _ field: inout TextField) {
        switch key {
        case .enter:
            mode = .grid
            if !model.filter.isEmpty { status = StatusMessage("\(model.rowCount) flags match \"\(model.filter)\"; n/N next/previous, Esc clears") }
        case .escape:
            model.setFilter("")
            mode = .grid
        case .up, .down, .pageUp, .pageDown:
            mode = .grid
            handleGrid(key)
        default:
            if field.edit(key) { model.setFilter(field.text) }
            mode = .filter(field)
        }
    }

    mutating func handleCommand(_ key: Key, _ cmd: inout CommandLineInput) {
        switch key {
        case .escape: mode = returnStack.map { .screens($0) } ?? .grid
        case .enter:
            mode = .grid
            returnStack = nil
            run(CommandLineInput.parse(cmd.field.text))
        default:
            if key == .backspace && cmd.field.text.isEmpty { mode = returnStack.map { .screens($0) } ?? .grid; return }
            _ = cmd.field.edit(key)
            mode = .command(cmd)
        }
    }

    mutating func run(_ command: CommandLineInput.Command?) {
        guard let command else { return }
        switch command {
        case .quit: shouldQuit = true
        case .env(let f):
            model.setEnvFilter(f)
            status = StatusMessage(f.isEmpty ? "showing all environments"
                                   : "\(model.visibleEnvs.count) environments match \"\(f)\" (:env alone shows all)")
        case .flag(let k):
            status = model.jump(to: k) ? nil : StatusMessage("no flag matches \"\(k)\"", kind: .error)
        case .sort(let s):
            model.setSort(s)
            status = StatusMessage("sorted by \(s.rawValue)")
        case .help: mode = .help(scroll: 0)
        case .killAll: openDialog(.killAll)
        case .unkillAll: openDialog(.unkillAll)
        case .debugFatal: fatal = .debugCommand
        case .history(let k): openScreen(.history(HistoryScreen(flag: k, services: services)))
        case .review: openScreen(.review(ReviewScreen(services: services)))
        case .invalid(let m): status = StatusMessage(m, kind: .error)
        }
    }

    mutating func openDialog(_ kind: KillDialog.Kind) {
        guard !effectiveReadOnly else {
            status = StatusMessage(readOnly ? "read-only dashboard: changes are disabled"
                                   : "access policy: \(operations.actor.name) may not change any environment", kind: .error)
            return
        }
        guard let row = model.currentRow else { return }
        let envIndex = model.visibleEnvs.indices.contains(model.envCursor) ? model.visibleEnvs[model.envCursor] : nil
        switch KillDialog.make(kind, row: row, environments: model.data.environments, at: envIndex,
                               allFlags: model.data.allFlags) {
        case .success(let d):
            let policy = model.data.policy
            let denied = d.targets.map(\.env.id).filter { !policy.mayChange($0, as: operations.actor) }
            guard denied.isEmpty else {
                let who = Set(denied.flatMap { policy.whoMayChange($0) }).sorted()
                status = StatusMessage("access policy: \(operations.actor.name) may not change \(denied.map(\.path).joined(separator: ", "))"
                                       + (who.isEmpty ? "; nobody may" : "; allowed: \(who.joined(separator: ", "))"), kind: .error)
                return
            }
            mode = .dialog(d)
        case .failure(let r): status = StatusMessage(r.message, kind: .error)
        }
    }

    // MARK: writing

    /// The only place the dashboard writes, always through `Operations`, passing the
    /// versions it displayed so a concurrent change is reported instead of overwritten.
    mutating func perform(_ d: KillDialog, reason: String) {
        let key = d.flag.key
        do {
            let result: MutationResult
            var versions: [EnvironmentID: Int64] = [:]
            for t in d.targets { versions[t.env.id] = t.state.version }
            switch d.kind {
            case .kill:
                result = try operations.kill(flag: key, env: d.targets[0].env.id.path, reason: reason,
                                             expectedVersion: d.targets[0].state.version)
            case .unkill:
                result = try operations.unkill(flag: key, env: d.targets[0].env.id.path, reason: reason,
                                               expectedVersion: d.targets[0].state.version)
            case .killAll:
                result = try operations.killEverywhere(flag: key, reason: reason, expectedVersions: versions)
            case .unkillAll:
                result = try operations.unkillEverywhere(flag: key, reason: reason, expectedVersions: versions)
            }
            let verb = (d.kind == .kill || d.kind == .killAll) ? "killed" : "unkilled"
            let envs = result.states.map(\.env.path).joined(separator: ", ")
            let seq = result.lastSeq.map { " (audit seq \($0))" } ?? ""
            let skipped = result.skipped.isEmpty ? "" : "; skipped \(result.skipped.joined(separator: ", "))"
            status = StatusMessage("\(verb) \(key) in \(envs)\(seq)\(skipped)", kind: .success)
        } catch {
            status = StatusMessage(Self.message(error), kind: .error)
        }
        // Our own write (or the one that beat us to a conflict) moved the change token, so
        // a normal poll reloads just this flag's row through the audit feed.
        let keep = status
        poll()
        if live { status = keep }
    }

    static func message(_ error: any Error) -> String {
        (error as? FlagDeckError)?.description ?? String(describing: error)
    }

    // MARK: drawing

    public func render(on s: any Surface) {
        s.clear()
        let c = context
        if TooSmallScreen.applies(rows: s.rows, cols: s.cols) {
            TooSmallScreen.render(on: s, context: c)
            return
        }
        switch mode {
        case .help(let scroll):
            HelpScreen.render(on: s, context: c, scroll: scroll)
        case .screens(let stack):
            stack.render(on: s, context: c, status: status)
        case .grid, .filter, .command, .dialog:
            GridScreen.render(model, on: s, context: c)
            let position = model.rowCount == 0 ? "0/0" : "\(model.cursor + 1)/\(model.rowCount)"
            switch mode {
            case .filter(let field):
                s.fillRow(s.rows - 1, "/" + field.display(width: s.cols - 20, focused: true), style: c.theme[.status])
                s.draw("\(model.rowCount) match ", row: s.rows - 1, col: s.cols - 16, width: 16, style: c.theme[.status])
            case .command(let cmd):
                if let under = returnStack { s.clear(); under.render(on: s, context: c, status: nil) }
                cmd.render(on: s, context: c)
            default: StatusLine.render(status, position: position, on: s, context: c)
            }
            if case .dialog(let d) = mode { d.render(on: s, context: c) }
        }
    }
}
