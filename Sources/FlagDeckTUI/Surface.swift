/// Where screens draw. Screens only ever talk to this protocol, so the same drawing code
/// runs on ncurses in production and on `MemorySurface` in tests.
public protocol Surface: AnyObject {
    var rows: Int { get }
    var cols: Int { get }
    /// Blanks the whole surface. For ncurses this is `erase`, not `clear`: the terminal is
    /// only sent what differs from the previous frame.
    func clear()
    /// Draws `text` starting at (row, col), clipped at the right edge. Text is expected to
    /// be sanitised (no control characters); use `draw` rather than calling this directly.
    func put(_ text: String, row: Int, col: Int, style: Style)
    func flush()
}

extension Surface {
    /// Draws text in exactly `width` columns (clipped and padded), or to the right edge
    /// when `width` is nil. Control characters from stored data become `?` so a hostile
    /// flag description cannot move the cursor.
    public func draw(_ text: String, row: Int, col: Int, width: Int? = nil, style: Style = .plain) {
        guard row >= 0, row < rows, col < cols else { return }
        let avail = cols - max(col, 0)
        let w = min(width ?? avail, avail)
        guard w > 0 else { return }
        let clean = Self.sanitize(text)
        put(width == nil ? DisplayWidth.clip(clean, to: w) : DisplayWidth.fit(clean, to: w), row: row, col: max(col, 0), style: style)
    }

    /// Fills a whole row with the style's background, then draws text on it.
    public func fillRow(_ row: Int, _ text: String = "", style: Style) {
        draw(text, row: row, col: 0, width: cols, style: style)
    }

    static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            out.append(s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) ? "?" : s)
        }
        return String(out)
    }
}
