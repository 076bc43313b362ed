import FlagDeckTUI
import FlagDeckTestSupport
import Foundation

/// The real `flagdeck` dashboard in tmux, driven by what an operator means: "kill this
/// flag in that environment", "open the history". Keys are looked up in the screens' key
/// tables (and commands in the command table), so renaming a key changes the dashboard
/// and its help, never these tests. Every wait polls the screen against a deadline.
final class DashboardDriver {
    let tmux: TmuxSession
    /// The dashboard's pid, written by the wrapper script before it execs the binary.
    let pidFile: String

    /// Runs `flagdeck --db DB ARGS` (after `prefix`, e.g. `env TERM=vt100`) in a fresh tmux
    /// server. Afterwards the script prints `EXIT=<status>` and `stty -a`, so a test can see
    /// the terminal the dashboard left behind. The outer shell traps INT/HUP/TERM so that a
    /// Ctrl-C typed at the terminal (which reaches the whole foreground process group) does
    /// not stop it before it reports; exec resets a caught trap, so the dashboard still
    /// sees the signal.
    convenience init(db: String, dir: String, prefix: String = "", args: String = "", width: Int = 160, height: Int = 45) throws {
        try self.init(shell: "exec \(prefix) \"\(Flagdeck.binary)\" --db \"\(db)\" \(args)", dir: dir, width: width, height: height)
    }

    /// Runs `shell` (which should end by exec-ing flagdeck) in place of the dashboard.
    init(shell: String, dir: String, width: Int = 160, height: Int = 45) throws {
        pidFile = dir + "/dashboard.pid"
        let script = dir + "/run-dashboard.sh"
        try """
            trap : INT HUP TERM
            sh -c 'echo $$ > \(pidFile); \(shell)'
            echo EXIT=$?
            stty -a
            sleep 30
            """.write(toFile: script, atomically: true, encoding: .utf8)
        tmux = try TmuxSession(command: "sh \(script)", width: width, height: height)
    }

    convenience init(_ f: TerminalFixture, prefix: String = "", args: String = "", width: Int = 160, height: Int = 45) throws {
        try self.init(db: f.db, dir: f.dir, prefix: prefix, args: args, width: width, height: height)
    }

    func close() { tmux.close() }

    var pid: Int32 {
        get throws {
            let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let pid = Int32(text) else { throw TerminalTestError("no pid in \(pidFile): \(text)") }
            return pid
        }
    }

    // MARK: keys, from the tables

    func press(_ key: Key, times: Int = 1) throws {
        guard times > 0 else { return }
        if case .char(let c) = key {
            try tmux.type(String(repeating: String(c), count: times))
        } else {
            try tmux.tmux(["send-keys"] + Array(repeating: Self.tmuxName(key), count: times))
        }
    }

    /// The first key the table binds to `action`.
    static func key<A>(_ action: A, in table: [KeyBinding<A>]) throws -> Key {
        guard let b = table.first(where: { $0.action == action }) else { throw TerminalTestError("nothing bound to \(action)") }
        return b.keys[0]
    }

    func grid(_ a: GridScreen.Action, times: Int = 1) throws { try press(Self.key(a, in: GridScreen.bindings), times: times) }
    func detail(_ a: FlagDetailScreen.Action) throws { try press(Self.key(a, in: FlagDetailScreen.bindings)) }
    func history(_ a: HistoryScreen.Action) throws { try press(Self.key(a, in: HistoryScreen.bindings)) }
    func review(_ a: ReviewScreen.Action) throws { try press(Self.key(a, in: ReviewScreen.bindings)) }
    func global(_ a: GlobalBindings.Action) throws { try press(Self.key(a, in: GlobalBindings.bindings)) }

    static func tmuxName(_ key: Key) -> String {
        switch key {
        case .char(let c): String(c)
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .pageUp: "PPage"
        case .pageDown: "NPage"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Escape"
        case .backspace: "BSpace"
        case .tab: "Tab"
        case .delete: "DC"
        case .ctrl(let c): "C-\(c)"
        case .resize, .unknown: ""
        }
    }

    /// Text typed into whatever field has focus.
    func type(_ text: String) throws { try tmux.type(text) }

    /// Esc, the universal "back / cancel".
    func back() throws { try press(.escape) }

    // MARK: intents

    @discardableResult
    func waitForGrid(timeout: TimeInterval = 10) throws -> GridReading {
        var reading: GridReading?
        try expect("the grid", timeout: timeout) { s in
            reading = GridReading(ScreenText(plain: s))
            return reading.map { !$0.columns.isEmpty } ?? false
        }
        return reading!
    }

    /// `:` LINE Enter. The verb is the command table's for `command` (its first word).
    func command(_ command: CommandLineInput.Command, _ argument: String = "") throws {
        guard let spec = CommandLineInput.commands.first(where: { $0.make(argument) == command }) else {
            throw TerminalTestError("no command makes \(command)")
        }
        try global(.command)
        try type(spec.verbs[0] + (argument.isEmpty ? "" : " " + argument))
        try press(.enter)
    }

    /// The grid's `/` filter, kept with Enter.
    func filter(_ text: String) throws {
        try grid(.filter)
        try type(text)
        try press(.enter)
    }

    /// Puts the grid cursor on `flag` (`:flag`) and `env` (moving column by column, reading
    /// the cell under the cursor), as an operator would.
    func select(flag: String, env: String) throws {
        try command(.flag(flag), flag)
        try expect("\(flag) under the cursor") { s in
            ScreenText(plain: s).lines.dropFirst(GridReading.headerRows).contains { line in
                let text = String(line.map(\.char))
                return text.hasPrefix("▶ ") && looksLike(String(text.dropFirst(2).prefix { $0 != " " }), flag)
            }
        }
        let count = try styledGrid().environmentCount ?? 50
        try grid(.left, times: count)
        // The first column, scrolled fully left, before reading anything else.
        var reading = try poll("the cursor on the first environment") { r in
            r.cursorColumn != nil && r.cursorColumn == r.columns.first && !r.scrolledRight
        }
        for _ in 0...count {
            guard let cur = reading.cursorColumn else { break }
            if cur.matches(env) { return }
            try grid(.right)
            reading = try poll("the cursor to move right of \(cur.path)") { $0.cursorColumn != nil && $0.cursorColumn != cur }
        }
        throw TerminalTestError("cannot put the cursor on \(env); screen:\n\(try tmux.screen())")
    }

    /// Polls the styled grid until `condition` holds.
    func poll(_ what: String, timeout: TimeInterval = 5, _ condition: (GridReading) -> Bool) throws -> GridReading {
        var last: GridReading?
        let found = try Deadline.poll(timeout) { () throws -> GridReading? in
            last = try? styledGrid()
            return last.flatMap { condition($0) ? $0 : nil }
        }
        guard let found else { throw TerminalTestError("timed out waiting for \(what); screen:\n\(try tmux.screen())") }
        return found
    }

    func styledGrid() throws -> GridReading {
        guard let g = GridReading(ScreenText(styled: try tmux.tmux(["capture-pane", "-p", "-e"]))) else {
            throw TerminalTestError("not on the grid:\n\(try tmux.screen())")
        }
        return g
    }

    /// Opens the kill dialog for `flag` in `env` and returns the dialog as shown.
    @discardableResult
    func openKillDialog(_ flag: String, env: String) throws -> String {
        try select(flag: flag, env: env)
        try grid(.kill)
        return try expectDialog(title: "KILL \(flag)")
    }

    /// Types the reason and confirms; in a protected environment, types the flag key too.
    /// Returns the status line the dashboard answered with.
    @discardableResult
    func confirm(reason: String, flag: String) throws -> String {
        try type(reason)
        try press(.enter)
        let after = try expect("the kill to finish or ask for the key") { s in
            s.contains("Type \"\(flag)\" to confirm") || self.status(s).contains(flag)
        }
        if after.contains("Type \"\(flag)\" to confirm") {
            try type(flag)
            try press(.enter)
        }
        return status(try expect("the outcome on the status line") { self.status($0).contains(flag) })
    }

    /// Kills `flag` in `env` through the dialog and returns the status line.
    @discardableResult
    func kill(_ flag: String, env: String, reason: String) throws -> String {
        try openKillDialog(flag, env: env)
        return try confirm(reason: reason, flag: flag)
    }

    enum Target {
        case detail(String)
        case history(String?)
        case review
        case help
    }

    /// Opens a screen the way the grid offers it and waits for its breadcrumb or title.
    @discardableResult
    func open(_ target: Target) throws -> String {
        switch target {
        case .detail(let flag):
            try command(.flag(flag), flag)
            try grid(.detail)
            return try expect(text: "grid › flag \(flag)")
        case .history(nil):
            try grid(.history)
            return try expect(text: "grid › history (all flags)")
        case .history(let flag?):
            try command(.history(flag), flag)
            return try expect(text: "history \(flag)")
        case .review:
            try grid(.review)
            return try expect(text: "grid › review")
        case .help:
            try global(.help)
            return try expect(text: "flagdeck help")
        }
    }

    /// `q` on the grid, then the wrapper's report.
    @discardableResult
    func quit() throws -> String {
        try grid(.quit)
        return try expectExit(0)
    }

    /// Waits for the wrapper script's `EXIT=N` and `stty -a` output.
    @discardableResult
    func expectExit(_ code: Int, timeout: TimeInterval = 10) throws -> String {
        // Not EXIT=1 for EXIT=130; vt100 has no alternate screen, so the grid's last line may follow on the same row.
        try expect("exit \(code) and stty", timeout: timeout) { s in
            s.range(of: "EXIT=\(code)(\\D|$)", options: .regularExpression) != nil && s.contains("icanon")
        }
    }

    // MARK: expectations

    @discardableResult
    func expect(_ what: String, timeout: TimeInterval = 10, _ condition: @escaping (String) -> Bool) throws -> String {
        try tmux.waitFor(what, timeout: timeout, condition)
    }

    @discardableResult
    func expect(text: String, timeout: TimeInterval = 10) throws -> String {
        try tmux.waitFor(text: text, timeout: timeout)
    }

    /// A dialog whose first line is `title` (`KILL checkout.v2`); returns the screen.
    @discardableResult
    func expectDialog(title: String, timeout: TimeInterval = 10) throws -> String {
        try expect("the dialog \"\(title)\"", timeout: timeout) { s in
            s.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(title) }
        }
    }

    /// Waits until the grid cell of `flag` in `env` (`ACCOUNT/ENV`) starts with `shows`.
    @discardableResult
    func expectCell(flag: String, env: String, shows: String, timeout: TimeInterval = 10) throws -> String {
        var last: String?
        do {
            return try expect("\(flag) in \(env) to show \(shows)", timeout: timeout) { s in
                last = GridReading(ScreenText(plain: s))?.cell(flag: flag, env: env)
                return last?.hasPrefix(shows) == true
            }
        } catch {
            throw TerminalTestError("\(error) (the cell showed \(last.map { "\"\($0)\"" } ?? "nothing"))")
        }
    }

    /// The bottom line of a screen.
    func status(_ screen: String) -> String {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        // capture-pane ends with a newline: the last line is the one before it.
        return String(lines.last(where: { !$0.isEmpty }) ?? "")
    }

    func screen() throws -> String { try tmux.screen() }
}
