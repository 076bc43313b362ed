import CNcursesw
import FlagDeckCore
import Foundation

/// The real dashboard rendering (ncurses, diffing and all) driven programmatically, with
/// terminal output going to any `FILE*`. This is the public hook for `flagdeck-bench`:
///
/// ```swift
/// let out = fopen("/tmp/frames", "w")!        // or a counting fopencookie stream
/// let r = try DashboardRenderer(options: .init(dbPath: db), output: out, rows: 45, cols: 160)
/// r.renderFrame()                             // first frame: the first rows, full paint
/// r.finishLoading(timeout: 60)                // the rest of the grid, read on a thread
/// fflush(out); let before = ftell(out)
/// r.press(.down); r.renderFrame()             // one-row cursor move: only changed cells
/// r.forceFullRepaint(); r.renderFrame()       // a full repaint, for comparison
/// r.close()
/// ```
///
/// It never reads keys from a terminal, so it runs without a TTY.
public final class DashboardRenderer {
    public private(set) var app: DashboardApp
    let surface: NcursesSurface
    let input: UnsafeMutablePointer<FILE>

    /// The locale, set once per process: `setlocale` is not thread-safe (glibc frees the
    /// old locale's data while other threads may be reading it), and a renderer is made
    /// in processes — the benchmark, the tests — where other threads run.
    static let utf8Locale: Void = {
        setlocale(LC_ALL, "")
        if fd_codeset_is_utf8() == 0 { setlocale(LC_CTYPE, "C.UTF-8") }
    }()

    public init(options: DashboardOptions, output: UnsafeMutablePointer<FILE>, rows: Int, cols: Int,
                termName: String = "xterm-256color", color: Bool = true) throws {
        _ = Self.utf8Locale
        guard let devNull = fopen("/dev/null", "r") else { throw TerminalError(description: "cannot open /dev/null") }
        input = devNull
        let store = try DashboardStore.open(path: options.dbPath, warnings: PublishWarnings())
        var theme = try ThemeLoader.load(options.theme)
        app = try DashboardApp(store: store, readOnly: options.readOnly, theme: theme,
                               now: Dashboard.judgingClock(options.now), recentWindow: options.recentWindow, background: true,
                               firstRows: rows)
        surface = try NcursesSurface(termName: termName, output: output, input: devNull, rows: rows, cols: cols, color: color)
        if surface.colorCount == 0 { theme = theme.withoutColors; app.theme = theme }
        app.resize(rows: surface.rows, cols: surface.cols)
    }

    /// Draws the current state and writes the difference from the previous frame.
    public func renderFrame() {
        app.render(on: surface)
        surface.flush()
        app.startLoading()
    }

    public func press(_ key: Key) { app.handle(key) }

    /// Waits for the rest of the grid (the first frame shows only the first rows) and
    /// swaps it in; false if it is not there within `timeout`.
    public func finishLoading(timeout: TimeInterval) -> Bool {
        app.startLoading()
        guard app.loader.wait(timeout: timeout) else { return false }
        app.takeLoaded()
        return !app.loading && app.model.data.complete
    }

    /// Polls the store like the live loop does; true if the data changed.
    @discardableResult
    public func pollChanges() -> Bool { app.poll() }

    /// The next `renderFrame` repaints every cell.
    public func forceFullRepaint() { surface.forceFullRepaint() }

    /// Ends the screen once no load is still reading on its thread: nothing of this
    /// renderer outlives it.
    public func close() {
        _ = app.loader.wait(timeout: 30)
        app.stop()
        surface.end()
        fclose(input)
    }
}
