/// Shown instead of the grid below the minimum size, because a clipped grid could hide a
/// killed cell or a protected marker. Growing the window brings the grid back.
public enum TooSmallScreen {
    public static let minRows = 15
    public static let minCols = 60

    public static func applies(rows: Int, cols: Int) -> Bool { rows < minRows || cols < minCols }

    public static func render(on s: any Surface, context c: RenderContext) {
        let lines = [
            "Terminal too small",
            "\(s.cols)x\(s.rows), need \(minCols)x\(minRows)",
            "Enlarge the window, or q to quit",
        ]
        let top = max(0, (s.rows - lines.count) / 2)
        for (i, l) in lines.enumerated() where top + i < s.rows {
            let w = DisplayWidth.of(l)
            s.draw(l, row: top + i, col: max(0, (s.cols - w) / 2), style: i == 0 ? c.theme[.danger] : c.theme[.grid])
        }
    }
}
