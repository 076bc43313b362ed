/// Column geometry of the grid for a given width. Computed from the data once per frame
/// (cheap) so resizing just means a new layout.
public struct GridLayout: Sendable, Equatable {
    public static let headerRows = 3
    public static let ageWidth = 4
    public static let hintWidth = 9 // "long-kill"

    public var cols: Int
    public var rows: Int
    public var keyWidth: Int
    public var cellWidth: Int
    /// Narrow terminals give the owner less room so at least a few environments fit.
    public var ownerWidth: Int { cols >= 120 ? 12 : 8 }

    public init(rows: Int, cols: Int, data: GridData) {
        self.rows = rows
        self.cols = cols
        var longestKey = 3
        // Sampling the first 2,000 keys keeps the layout O(1)-ish for huge databases.
        for r in data.rows.prefix(2_000) { longestKey = max(longestKey, DisplayWidth.of(r.flag.key)) }
        keyWidth = min(max(longestKey, 12), max(12, cols / 4), 40)
        var longestEnv = 3
        for e in data.environments { longestEnv = max(longestEnv, DisplayWidth.of(e.id.name)) }
        cellWidth = min(max(longestEnv + 2, 10), 16)
    }

    /// cursor glyph + key + owner + age + hint, each followed by one space, then the separator.
    public var keyCol: Int { 2 }
    public var ownerCol: Int { keyCol + keyWidth + 1 }
    public var ageCol: Int { ownerCol + ownerWidth + 1 }
    public var hintCol: Int { ageCol + GridLayout.ageWidth + 1 }
    public var separatorCol: Int { hintCol + GridLayout.hintWidth + 1 }
    public var firstCellCol: Int { separatorCol + 1 }

    /// Flag rows that fit between the headers and the status line.
    public var pageRows: Int { max(1, rows - GridLayout.headerRows - 1) }

    /// How many environment columns fit, whatever the first one is (cells are uniform).
    public var fittingEnvs: Int { max(1, (cols - firstCellCol) / cellWidth) }
}
