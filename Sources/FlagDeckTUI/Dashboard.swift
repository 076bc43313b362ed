import CNcursesw
import FlagDeckCore
import Foundation

/// The terminal event loop around `DashboardApp`.
public enum Dashboard {
    /// Runs the dashboard until `q` or a signal. Returns the process exit code: 0 on `q`,
    /// 1 when it cannot start (no TTY, unusable `TERM`, bad theme, database error — each
    /// explained on stderr), 128+N after signal N. The terminal is restored on every path.
    public static func run(_ options: DashboardOptions) -> Int32 {
        let env = ProcessInfo.processInfo.environment
        // The theme is validated before anything else, so a bad theme file is reported
        // the same way with or without a terminal (and nothing else is touched).
        var theme: Theme
        do { theme = try ThemeLoader.load(options.theme, environment: env) } catch { return fail(error.description) }
        guard isatty(0) == 1, isatty(1) == 1 else {
            return fail("flagdeck's dashboard needs a terminal; use the CLI: flagdeck list / kill ... (see flagdeck --help)")
        }
        guard let term = env["TERM"], !term.isEmpty else {
            return fail("TERM is not set, so flagdeck cannot drive this terminal. Set it (e.g. TERM=xterm-256color) or use the CLI: flagdeck list / kill ...")
        }
        let glyphs = setUpLocale()
        switch fd_probe_term(term) {
        case 1: break
        case 2:
            return fail("TERM=\(term) cannot move the cursor, which a full-screen dashboard needs. Use a full terminal, or the CLI: flagdeck list / kill ...")
        case -1:
            return fail("no terminfo database found for TERM=\(term). Install ncurses-base/ncurses-term, or use the CLI: flagdeck list / kill ...")
        default:
            return fail("unknown terminal type TERM=\(term). Try TERM=xterm-256color, or use the CLI: flagdeck list / kill ...")
        }
        let noColor = !(env["NO_COLOR"] ?? "").isEmpty

        var app: DashboardApp
        let warnings = PublishWarnings()
        do {
            let store = try DashboardStore.open(path: options.dbPath, warnings: warnings)
            // `--now` judges ages and hints only; changes are recorded at the real time.
            // The first frame needs only a screenful of rows; the rest is read on a thread.
            app = try DashboardApp(store: store, readOnly: options.readOnly, theme: theme, glyphs: glyphs,
                                   actor: DashboardStore.actor(for: store), now: judgingClock(options.now),
                                   recentWindow: options.recentWindow, background: true, firstRows: terminalRows(),
                                   syncSources: true, databaseURL: options.dbPath)
        } catch {
            return fail(DashboardApp.message(error))
        }

        let surface: NcursesSurface
        do {
            surface = try NcursesSurface(termName: term, output: fd_stdout(), input: fd_stdin(), color: !noColor)
        } catch {
            return fail(error.description + ". Use the CLI: flagdeck list / kill ...")
        }
        if surface.colorCount == 0 { theme = theme.withoutColors; app.theme = theme }

        TerminalSignals.install()
        let code: Int32
        defer { app.stop() }
        do {
            code = try loop(&app, surface, warnings)
        } catch {
            // The fatal-error path: restore the terminal first, then explain on stderr,
            // so the message lands on the operator's normal screen and stays readable.
            surface.end()
            TerminalSignals.uninstall()
            return fail("fatal error, the dashboard stopped: \(error.description). "
                        + "The terminal was restored. "
                        + "Re-run flagdeck, or use the CLI: flagdeck list / kill ...")
        }
        surface.end()
        TerminalSignals.uninstall()
        return code
    }

    /// Runs until `q` (0) or a signal (128+N). Throws `DashboardFatalError` when the
    /// dashboard cannot go on; `run` then restores the terminal before reporting it.
    static func loop(_ app: inout DashboardApp, _ surface: NcursesSurface, _ warnings: PublishWarnings) throws(DashboardFatalError) -> Int32 {
        app.resize(rows: surface.rows, cols: surface.cols)
        // Fault injection for the reliability tests: crash after the first frame to prove
        // the terminal is restored even then.
        let forcedFatal = ProcessInfo.processInfo.environment["FLAGDECK_TEST_FATAL"] == "1"
        var dirty = true
        var lastPoll = Date()
        var shownSecond = Int(Date().timeIntervalSince1970)
        while !app.shouldQuit {
            let sig = TerminalSignals.pending
            if sig != 0 { return 128 + sig }
            if dirty {
                app.render(on: surface)
                if app.wantsFullRepaint {
                    surface.forceFullRepaint()
                    app.wantsFullRepaint = false
                }
                surface.flush()
                dirty = false
                app.startLoading()
                if forcedFatal { fatalError("forced by FLAGDECK_TEST_FATAL=1") }
            }
            if app.takeLoaded() { dirty = true }
            if let key = surface.readKey() {
                if key == .resize { app.resize(rows: surface.rows, cols: surface.cols) }
                app.handle(key)
                if let fatal = app.fatal { throw fatal }
                if let w = warnings.take() { app.status = StatusMessage(w, kind: .error) }
                dirty = true
            }
            let now = Date()
            if now.timeIntervalSince(lastPoll) >= app.pollInterval {
                lastPoll = now
                if app.poll() { dirty = true }
                // The header shows the refresh time to the second; redraw when it ticks.
                let second = Int(now.timeIntervalSince1970)
                if second != shownSecond { shownSecond = second; dirty = true }
            }
        }
        return 0
    }

    /// The clock ages and hints are judged by: pinned by `--now`, else real.
    static func judgingClock(_ now: Date?) -> @Sendable () -> Date {
        if let now { return { now } }
        return { Date() }
    }

    /// The terminal's height before ncurses starts, for sizing the first frame's read.
    static func terminalRows() -> Int {
        var ws = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0 else { return GridData.firstPageFlags }
        return Int(ws.ws_row)
    }

    /// Wide characters need a UTF-8 locale; without one, ASCII markers keep the grid legible.
    static func setUpLocale() -> Glyphs {
        setlocale(LC_ALL, "")
        if fd_codeset_is_utf8() == 0 { setlocale(LC_CTYPE, "C.UTF-8") }
        return fd_codeset_is_utf8() != 0 ? .unicode : .ascii
    }

    static func fail(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data(("flagdeck: " + message + "\n").utf8))
        return 1
    }
}
