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
    /// The judging clock: ages, hints, recent markers and the refresh time shown. `--now`
    /// pins it (for reproducible screens); it never reaches a write.
    let now: @Sendable () -> Date

    public internal(set) var stack: ScreenStack
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
    /// Reads the whole grid after a first frame of the first rows (`background`), and
    /// after a change of structure.
    let loader = GridLoader()
    let background: Bool
    /// Syncs the bound documents off the event loop (`syncSources`), so an edit made to a
    /// bound file by another program shows up without a keypress.
    let watcher: SourceWatcher?
    var shownSyncFailure: String?
    /// The AppConfig deployment states the last frame showed (the watcher's change nothing
    /// commits: a deployment moving from 40 % to complete).
    var shownDeployments: [EnvironmentID: BindingDeployment] = [:]
    /// How commits are heard of: the change token, or a team database's notifications.
    let feed: CommitFeed
    /// Why the team database is unreachable, while it is.
    public private(set) var reconnecting: String?
    var lastSourcesRead = Date.distantPast
    /// Re-reads the jobs counts of table-bound cells off the event loop after commits.
    let jobsLoader = JobsSummaryLoader()

    /// `background: true` (the terminal dashboard) reads only the first `firstRows` flags
    /// (a screenful) for the first frame, and the rest on a thread once `startLoading` is
    /// called after that frame; `false` (tests) reads everything first.
    public init(store: any FlagStore, readOnly: Bool = false, theme: Theme = .default, glyphs: Glyphs = .unicode,
                actor: Actor = .current(), now: @escaping @Sendable () -> Date = { Date() },
                recentWindow: TimeInterval = 86_400, background: Bool = false,
                firstRows: Int = GridData.firstPageFlags, syncSources: Bool = false, databaseURL: String? = nil,
                sources: SourceDrivers = .shared) throws {
        self.store = store
        self.operations = Operations(store: store, actor: actor, sources: sources)
        self.readOnly = readOnly || store.isReadOnly
        self.theme = theme
        self.glyphs = glyphs
        self.now = now
        self.recentWindow = recentWindow
        self.background = background
        // The token first: a change landing in between is then seen by the next poll,
        // which reads the events after the data's own seq.
        feed = CommitFeed(store: store, url: databaseURL)
        token = try store.changeToken()
        let data = background ? try GridData.firstPage(from: store, now: now(), limit: max(1, firstRows))
            : try GridData.load(from: store, now: now())
        stack = ScreenStack(grid: GridScreen(data: data))
        lastRefresh = now()
        // Bulk DynamoDB progress goes to the dashboard's bars, never to stderr under the screen.
        JobsProgressBoard.shared.install()
        watcher = syncSources && !self.readOnly ? SourceWatcher(operations: operations) : nil
        watcher?.start()
    }

    /// Stops the background sync (the dashboard is quitting).
    public func stop() { watcher?.stop() }

    /// Starts reading the rest of the grid, once the first frame is out: the load must
    /// not compete with drawing it.
    public func startLoading() {
        if !model.data.complete && !loader.isRunning { loader.start(store: store, now: now()) }
        startJobsOnce()
    }

    /// The rest of the grid is still being read (or will be, once `startLoading` runs).
    public var loading: Bool { loader.isRunning || !model.data.complete }

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
        var c = RenderContext(theme: theme, glyphs: glyphs, operatorName: operations.actor.name, now: now(),
                      lastRefresh: lastRefresh, recentWindow: recentWindow, readOnly: effectiveReadOnly, live: live,
                      loading: loading)
        c.reconnecting = reconnecting != nil
        c.deployments = shownDeployments
        return c
    }

    var services: ScreenServices {
        ScreenServices(store: store, operations: operations, data: model.data, access: access, glyphs: glyphs, now: now())
    }

    // MARK: size and live refresh

    public mutating func resize(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        stack.grid.resize(rows: rows, cols: cols, now: now())
    }

    /// Checks the store's change token; if it moved, applies the audit events after the
    /// data's seq (only the flags they name are re-read, never the whole log). Also picks
    /// up a finished background load. Returns true if anything changed (the caller redraws).
    ///
    /// On a team database the commit feed listens instead: the store is read when a commit
    /// was announced (or `announced`: our own write), the bindings now and then, and not
    /// at all while the server is away ("reconnecting" on the status line, the last grid
    /// kept); when it is back, everything is read again.
    @discardableResult
    public mutating func poll(force: Bool = false, announced: Bool = false) -> Bool {
        let now = now()
        var changed = takeLoaded()
        if pollJobs() { changed = true }
        if let d = watcher?.deployments, d != shownDeployments {
            shownDeployments = d
            changed = true
        }
        var force = force
        switch feed.check() {
        case .askStore, .announced: break
        case .quiet:
            // Nothing committed; the bindings' bookkeeping writes no event: read it at times.
            if !force && !announced && live && now.timeIntervalSince(lastSourcesRead) < Self.sourcesEvery {
                lastRefresh = now
                return changed
            }
        case .resumed:
            reconnecting = nil
            status = StatusMessage("reconnected to \(store.location); reading what changed meanwhile", kind: .success)
            force = true
        case .reconnecting(let why):
            let text = "reconnecting to \(store.location): \(why) — the grid shows what was last read"
            guard reconnecting != why || status?.text != text else { return changed }
            reconnecting = why
            status = StatusMessage(text, kind: .error)
            return true
        }
        do {
            let fresh = try store.changeToken()
            if !live {
                // Recovered: drop the "cannot read" message and read everything again.
                live = true
                status = StatusMessage("database readable again", kind: .success)
                reload()
                changed = true
            }
            lastRefresh = now
            // A sync's bookkeeping (a document's version, its error) writes no audit event.
            let sources = GridData.bySource(try store.read { try $0.sourceBindings() })
            lastSourcesRead = now
            if sources != model.data.sources {
                stack.grid.setSources(sources)
                changed = true
            }
            let failure = watcher?.lastFailure
            if failure != shownSyncFailure {
                shownSyncFailure = failure
                if let failure { status = StatusMessage("background sync: \(failure)", kind: .error) }
                changed = true
            }
            guard force || fresh != token else { return changed }
            token = fresh
            refreshJobs()
            // A load under way catches up from its own snapshot when it lands.
            guard !loader.isRunning else { return changed }
            guard !force else { reload(); return true }
            switch try store.read({ try stack.grid.catchUp(from: $0, now: now) }) {
            case .upToDate: return changed
            case .applied: stack.refresh(services: services)
            case .reload: reload()
            }
            return true
        } catch {
            live = false
            status = StatusMessage("cannot read the database: \(Self.message(error))", kind: .error)
            return true
        }
    }

    /// How often a listening dashboard re-reads the bindings when nothing was announced.
    static let sourcesEvery: TimeInterval = 1

    /// How often the event loop should poll: a listener's check costs no round trip, so a
    /// team dashboard checks often enough to redraw another operator's change in well
    /// under 200 ms; SQLite's change token is a query, asked four times a second.
    public var pollInterval: TimeInterval { feed.listens ? 0.03 : 0.25 }

    /// Swaps a background load in, once it is done; true if it was. The event loop asks on
    /// every turn, so the rest of the grid appears as soon as it is read.
    @discardableResult
    public mutating func takeLoaded() -> Bool {
        guard let result = loader.take() else { return false }
        do {
            var data = try result.get()
            // Changes made while it was reading: the events after its snapshot.
            if try store.read({ try data.catchUp(from: $0, now: now()) }) == .reload { loader.start(store: store, now: now()) }
            show(data)
        } catch {
            live = false
            status = StatusMessage("cannot read the database: \(Self.message(error))", kind: .error)
        }
        return true
    }

    /// Reads the whole grid again: on a thread when the dashboard runs in a terminal (the
    /// current data stays on screen meanwhile), at once otherwise.
    mutating func reload() {
        if background {
            loader.start(store: store, now: now())
            return
        }
        do { show(try GridData.load(from: store, now: now())) } catch {
            live = false
            status = StatusMessage("cannot read the database: \(Self.message(error))", kind: .error)
        }
    }

    mutating func show(_ data: GridData) {
        var data = data
        // What was seen to come from outside stays marked across a reload.
        data.external.formUnion(model.data.external)
        stack.grid.replace(data, now: now())
        stack.refresh(services: services)
    }

    // MARK: keys

    /// Where a key goes: an open command line; else, Ctrl-L aside, an open dialog, panel
    /// or text field of the top screen; else the top screen's key table; else the global one.
    public mutating func handle(_ key: Key) {
        defer { stack.grid.fit(now: now()) }
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
            // A write to AppConfig started a deployment: poll it now, not at its next turn.
            watcher?.pollSoon()
            poll(announced: true)
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
