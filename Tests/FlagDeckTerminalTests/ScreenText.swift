import FlagDeckTUI
import Foundation

/// A captured pane read by display column, so a grid cell is found where the terminal
/// shows it. With `capture-pane -e` input it also knows which columns
/// are reversed (the grid reverses the cell under the cursor).
struct ScreenText {
    struct Cell: Equatable {
        var char: Character
        var reverse = false
    }

    let lines: [[Cell]]

    /// Plain `capture-pane -p` output.
    init(plain: String) {
        lines = plain.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            Self.columns(line.map { Cell(char: $0) })
        }
    }

    /// `capture-pane -p -e` output: SGR sequences set and clear reverse video.
    init(styled: String) {
        lines = styled.split(separator: "\n", omittingEmptySubsequences: false).map { Self.columns(Self.parse(Substring($0))) }
    }

    /// One entry per display column: a wide character is followed by a blank filler.
    static func columns(_ cells: [Cell]) -> [Cell] {
        var out: [Cell] = []
        for c in cells {
            out.append(c)
            if DisplayWidth.of(String(c.char)) == 2 { out.append(Cell(char: " ", reverse: c.reverse)) }
        }
        return out
    }

    static func parse(_ line: Substring) -> [Cell] {
        var out: [Cell] = []
        var reverse = false
        var rest = line[...]
        while let c = rest.first {
            guard c == "\u{1b}", rest.dropFirst().first == "[" else {
                out.append(Cell(char: c, reverse: reverse))
                rest = rest.dropFirst()
                continue
            }
            rest = rest.dropFirst(2)
            let params = rest.prefix { $0.isNumber || $0 == ";" }
            rest = rest.dropFirst(params.count)
            guard let final = rest.first else { break }
            rest = rest.dropFirst()
            guard final == "m" else { continue }
            var codes = params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
            if codes.isEmpty { codes = [0] }
            var i = 0
            while i < codes.count {
                switch codes[i] {
                case 0: reverse = false
                case 7: reverse = true
                case 27: reverse = false
                // Extended colours carry their own parameters: skip them.
                case 38, 48, 58: i += codes.indices.contains(i + 1) && codes[i + 1] == 2 ? 4 : 2
                default: break
                }
                i += 1
            }
        }
        return out
    }

    func line(_ row: Int) -> String { lines.indices.contains(row) ? String(lines[row].map(\.char)) : "" }

    func char(_ row: Int, _ col: Int) -> Character {
        lines.indices.contains(row) && lines[row].indices.contains(col) ? lines[row][col].char : " "
    }

    /// Columns `from..<to` of a row, as text.
    func text(_ row: Int, from: Int, to: Int? = nil) -> String {
        guard lines.indices.contains(row) else { return "" }
        let cells = lines[row]
        let end = min(to ?? cells.count, cells.count)
        return from < end ? String(cells[from..<end].map(\.char)) : ""
    }
}

/// How a long name reads once cut in the middle: `payments…od-eu` is `payments-prod/prod-eu`.
func looksLike(_ shown: String, _ full: String) -> Bool {
    if shown == full { return true }
    let parts = shown.split(separator: "…", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else { return false }
    return full.hasPrefix(parts[0]) && full.hasSuffix(parts[1]) && parts[0].count + parts[1].count < full.count
}
