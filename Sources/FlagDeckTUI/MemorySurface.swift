/// An in-memory terminal for tests: a grid of cells that records text and style, so tests
/// can assert on what an operator would see (including colours and attributes) without
/// a terminal.
public final class MemorySurface: Surface {
    public struct Cell: Equatable, Sendable {
        /// One scalar-run occupying this column; "" for the right half of a wide character.
        public var text: String
        public var style: Style
    }

    public private(set) var rows: Int
    public private(set) var cols: Int
    public private(set) var cells: [[Cell]]
    public private(set) var flushCount = 0

    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        cells = Array(repeating: Array(repeating: Cell(text: " ", style: .plain), count: cols), count: rows)
    }

    public func resize(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        clear()
    }

    public func clear() {
        cells = Array(repeating: Array(repeating: Cell(text: " ", style: .plain), count: cols), count: rows)
    }

    public func put(_ text: String, row: Int, col: Int, style: Style) {
        guard row >= 0, row < rows else { return }
        var c = col
        for s in text.unicodeScalars {
            let w = DisplayWidth.of(s)
            if w == 0 {
                // Combining marks join the previous cell, as on a real terminal.
                if c > 0, c - 1 < cols { cells[row][c - 1].text.unicodeScalars.append(s) }
                continue
            }
            if c + w > cols { break }
            cells[row][c] = Cell(text: String(s), style: style)
            if w == 2 { cells[row][c + 1] = Cell(text: "", style: style) }
            c += w
        }
    }

    public func flush() { flushCount += 1 }

    /// The visible text of a row, wide characters counted once.
    public func row(_ n: Int) -> String {
        cells[n].map(\.text).joined()
    }

    /// Every row joined with newlines; handy for `#expect(screen.contains(...))`.
    public var text: String {
        (0..<rows).map { row($0) }.joined(separator: "\n")
    }

    public func style(at row: Int, _ col: Int) -> Style {
        cells[row][col].style
    }

    /// Row and column of the first occurrence of `needle`, in display columns.
    public func find(_ needle: String) -> (row: Int, col: Int)? {
        for r in 0..<rows {
            let line = row(r)
            if let range = line.range(of: needle) {
                return (r, DisplayWidth.of(String(line[..<range.lowerBound])))
            }
        }
        return nil
    }
}
