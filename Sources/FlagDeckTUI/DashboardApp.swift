import FlagDeckCore
import Foundation

/// The dashboard's behaviour, independent of ncurses: the stack of screens, where each
/// key goes, and the live refresh. What a key does belongs to the screen showing (see
/// `Screen`); `Dashboard` feeds this keys and ticks from the terminal, tests feed it
/// keys and render it on a `MemorySurface`.
///
/// A kill, traced: `K` on the grid reaches `GridScreen.perform(.kill)` through the grid's
/// key table, which opens a `KillDialog` for the cell under the cursor; its
/// `.confirmed(reason)` goes to `KillSwitch.apply`, which calls `Operations` with the
/// versions the grid displayed; the `.wrote` result reloads the grid and shows the
/// outcome on the status line.
public struct DashboardApp: Sendable {
    public let store: any FlagStore
    /// Always on the real clock: changes are recorded as made now, whatever `now` says.
    public let operations: Operations
    public let readOnly: Bool
    public var theme: Theme
    public var glyphs: Glyphs
    public var recentWindow: TimeInterval
    public var hint: GridData.HintProvider?
    /// The judging clock: ages, hints, recent markers and the refresh time shown. `--now`
    /// pins it (for reproducible screens); it never reaches a write.
    let now: @Sendable () -> Date

    public private(set) var stack: ScreenStack
    /// The `:` line while it is open, over whatever screen is showing.
    public private(set) var commandLine: CommandLineInput?
    public internal(set) var status: StatusMessage?
    public private(set) var shouldQuit = false
    /// Set when the dashboard cannot go on; the terminal loop restores the terminal and exits.
    public private(set) var fatal: DashboardFatalError?
    /// Set by Ctrl-L: the terminal layer repaints everything (the screen may be garbled).
    public var wantsFullRepaint = false
    /// The table action the last key reached (`GridScreen.kill`), for tests and debugging.
    public private(set) var lastAction: String?
    public private(set) var token: ChangeToken?
    public private(set) var lastRefresh: Date?
    public private(set) var live = true
    public private(set) var rows = 24
    public private(set) var cols = 80

    public init(store: any FlagStore, readOnly: Bool = false, theme: Theme = .default, glyphs: Glyphs = .unicode,
                actor: Actor = .current(), now: @escaping @Sendable () -> Date = { Date() },
                recentWindow: TimeInterval = 86_400, hint: GridData.HintProvider? = nil) throws {
        self.store = store
        self.operations = Operations(store: store, actor: actor)
        self.readOnly = readOnly || store.isReadOnly
        self.theme = theme
        self.glyphs = glyphs
        self.now = now
        self.recentWindow = recentWindow
        self.hint = hint
        // Token first: a change landing between the two reads is then seen by the next poll.
        token = try store.changeToken()
        stack = ScreenStack(grid: GridScreen(data: try GridData.load(from: store, now: now(), hint: hint)))
        lastRefresh = now()
    }

    public var grid: GridScreen { stack.grid }
    public var model: GridModel { stack.grid.model }
    public var top: any Screen { stack.top }

    public var access: WriteAccess {
        WriteAccess(readOnly: readOnly, policy: model.data.policy, actor: operations.actor)
    }

    /// Read-only for this operator: the flag, the file, or an access policy that lets
    /// them change nothing. Mutating keys are then hidden.
    public var effectiveReadOnly: Bool { !access.mayChangeSomething }

    public var context: RenderContext {
        RenderContext(theme: theme, glyphs: glyphs, operatorName: operations.actor.name, now: now(),
                      lastRefresh: lastRefresh, recentWindow: recentWindow, readOnly: effectiveReadOnly, live: live)
    }

    var services: ScreenServices {
        ScreenServices(store: store, operations: operations, data: model.data, access: access, glyphs: glyphs, now: now())
    }

    // MARK: size and live refresh

    public mutating func resize(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        stack.grid.resize(rows: rows, cols: cols)
    }

    /// Checks the store's change token and reloads only if it moved. When the audit feed
    /// names the flags that changed, only those rows are re-read. Returns true if the data
    /// changed (the caller redraws).
    @discardableResult
    public mutating func poll(force: Bool = false) -> Bool {
        let now = now()
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
            stack.grid.replace(data)
            stack.refresh(services: services)
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

    /// Where a key goes: an open command line; else, Ctrl-L aside, an open dialog, panel
    /// or text field of the top screen; else the top screen's key table; else the global one.
    public mutating func handle(_ key: Key) {
        defer { stack.grid.fit() }
        guard key != .resize else { return }
        status = nil
        lastAction = nil
        if commandLine != nil { return handleCommandLine(key) }
        let sv = services
        let typing = stack.top.isTyping
        let result: ScreenAction
        if typing && !GlobalBindings.worksWhileTyping(key) {
            result = stack.handleTyping(key, services: sv)
        } else if !typing, let d = stack.dispatch(key, services: sv) {
            lastAction = d.action
            result = d.result
        } else if let g = GlobalBindings.bindings.binding(for: key) {
            lastAction = "GlobalBindings.\(g.action)"
            result = GlobalBindings.result(g.action)
        } else {
            result = .none
        }
        apply(result)
    }

    mutating func apply(_ result: ScreenAction) {
        switch result {
        case .none: break
        case .back: stack.pop()
        case .push(let s): stack.push(s)
        case .status(let m): status = m
        case .wrote(let m):
            // Our write moved the change token: reload the grid, then what the screens show.
            poll()
            if live { status = m }
            stack.reload(services: services)
        case .help: stack.push(HelpScreen(for: stack.top, context: context))
        case .commandLine: commandLine = CommandLineInput()
        case .redraw: wantsFullRepaint = true
        case .quit: shouldQuit = true
        }
    }

    mutating func handleCommandLine(_ key: Key) {
        guard var cmd = commandLine else { return }
        switch key {
        case .escape: commandLine = nil
        case .enter:
            commandLine = nil
            run(line: cmd.field.text)
        default:
            if key == .backspace && cmd.field.text.isEmpty { commandLine = nil; return }
            _ = cmd.field.edit(key)
            commandLine = cmd
        }
    }

    /// A command runs from the grid: the screens over it close first, as if the operator
    /// had walked back. Mutating commands meet the same `WriteAccess` refusal as keys.
    mutating func run(line: String) {
        guard let (command, spec) = CommandLineInput.lookup(line) else { return }
        if spec?.mutating == true, let refusal = access.refusal() {
            stack.popToGrid()
            status = refusal
            return
        }
        run(command)
    }

    mutating func run(_ command: CommandLineInput.Command) {
        stack.popToGrid()
        switch command {
        case .quit: shouldQuit = true
        case .help: apply(.help)
        case .debugFatal: fatal = .debugCommand
        case .history(let k): apply(.push(HistoryScreen(flag: k, services: services)))
        case .review: apply(.push(ReviewScreen(services: services)))
        case .invalid(let m): status = StatusMessage(m, kind: .error)
        case .env, .flag, .sort, .killAll, .unkillAll:
            let sv = services
            apply(stack.grid.run(command, services: sv))
        }
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
        let bar = stack.render(on: s, context: c)
        if let commandLine {
            commandLine.render(on: s, context: c)
        } else {
            StatusLine.render(status, bar: bar, screenKeys: stack.top.keyTable, on: s, context: c)
        }
    }
}
