import CNcursesw
import Foundation

/// Why the terminal could not be used; `description` is what the operator reads.
public struct TerminalError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// The real terminal. Frames are drawn with `werase` + puts + `wrefresh`: ncurses keeps
/// the previous frame and sends only the cells that differ, so moving the cursor one row
/// costs a few bytes, not a repaint. Never `clear()` per frame (that forces a full
/// repaint); `forceFullRepaint()` exists for Ctrl-L and benchmarks.
///
/// Output can go to any `FILE*` (`init(termName:output:input:rows:cols:color:)`), which
/// is how `flagdeck-bench` counts the bytes a frame costs.
public final class NcursesSurface: Surface {
    let screen: OpaquePointer
    public let colorCount: Int
    let resolver: ColorResolver
    var pairs: [Int64: Int16] = [:]
    var nextPair: Int16 = 1
    let maxPairs: Int
    private var ended = false

    /// Opens a terminal on `output`/`input` with `newterm`, which, unlike `initscr`,
    /// returns an error instead of exiting the process when the terminal type is unusable.
    /// `rows`/`cols`, when given, override the size (for output that is not a tty).
    public init(termName: String, output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>,
                rows: Int? = nil, cols: Int? = nil, color: Bool) throws(TerminalError) {
        guard let scr = newterm(termName, output, input) else {
            throw TerminalError(description: "cannot use terminal type \"\(termName)\"")
        }
        screen = scr
        set_term(scr)
        if let rows, let cols { resizeterm(Int32(rows), Int32(cols)) }
        cbreak()
        noecho()
        nonl()
        keypad(fd_stdscr(), true)
        intrflush(fd_stdscr(), false)
        set_escdelay(25)
        curs_set(0)
        wtimeout(fd_stdscr(), 100)
        var count = 0
        var pairLimit = 0
        if color && has_colors() {
            start_color()
            use_default_colors()
            count = Int(fd_COLORS())
            pairLimit = Int(min(fd_COLOR_PAIRS(), 32_767))
        }
        colorCount = count
        maxPairs = pairLimit
        resolver = ColorResolver(colors: count)
    }

    public var rows: Int { Int(fd_getmaxy(fd_stdscr())) }
    public var cols: Int { Int(fd_getmaxx(fd_stdscr())) }

    public func clear() { werase(fd_stdscr()) }

    public func put(_ text: String, row: Int, col: Int, style: Style) {
        var w: [wchar_t] = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        let n = Int32(w.count)
        w.append(0)
        let (attrs, pair) = attributes(style)
        _ = fd_put(fd_stdscr(), Int32(row), Int32(col), &w, n, attrs, pair)
    }

    public func flush() { wrefresh(fd_stdscr()) }

    /// Makes the next `flush` repaint every cell (Ctrl-L, or measuring a full repaint).
    public func forceFullRepaint() { clearok(fd_curscr(), true) }

    /// Waits up to the input timeout (100 ms) for a key; nil on timeout.
    public func readKey() -> Key? {
        var ch: wint_t = 0
        let rc = wget_wch(fd_stdscr(), &ch)
        return KeyDecoder.decode(status: rc, value: UInt32(ch))
    }

    /// Restores the terminal. Safe to call twice.
    public func end() {
        guard !ended else { return }
        ended = true
        curs_set(1)
        endwin()
        delscreen(screen)
    }

    func attributes(_ s: Style) -> (attr_t, Int16) {
        var a = fd_A_NORMAL()
        if s.bold { a |= fd_A_BOLD() }
        if s.reverse { a |= fd_A_REVERSE() }
        if s.underline { a |= fd_A_UNDERLINE() }
        if s.dim { a |= fd_A_DIM() }
        return (a, pair(fg: resolver.resolve(s.fg), bg: resolver.resolve(s.bg)))
    }

    /// Colour pairs are allocated on first use; a theme needs a dozen or so.
    func pair(fg: Int, bg: Int) -> Int16 {
        guard colorCount > 0, fg != -1 || bg != -1 else { return 0 }
        let key = Int64(fg + 1) << 32 | Int64(bg + 1)
        if let p = pairs[key] { return p }
        guard Int(nextPair) < maxPairs else { return 0 }
        let p = nextPair
        init_pair(p, Int16(fg), Int16(bg))
        pairs[key] = p
        nextPair += 1
        return p
    }
}
