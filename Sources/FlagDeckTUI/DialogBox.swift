/// A centred box of themed lines with a blank row above and below: the frame every
/// small dialog (override, review mark) shares, so they all look and clip alike.
enum DialogBox {
    static func draw(_ lines: [(String, ThemeRole)], width: Int, on s: any Surface, context c: RenderContext) {
        let top = max(0, (s.rows - lines.count - 2) / 2)
        let left = max(0, (s.cols - width) / 2)
        s.draw("", row: top, col: left, width: width, style: c.theme[.dialog])
        for (i, (text, role)) in lines.enumerated() {
            s.draw(text, row: top + 1 + i, col: left, width: width, style: c.theme[role])
        }
        s.draw("", row: top + lines.count + 1, col: left, width: width, style: c.theme[.dialog])
    }
}
