/// Maps theme colours onto what the terminal has: 256-colour terminals get the nearest
/// xterm cube or grey, 8/16-colour terminals the nearest ANSI colour, and monochrome
/// terminals none (attributes carry the meaning there).
public struct ColorResolver: Sendable {
    /// Number of colours the terminal reports; 0 means draw without colour.
    public let colors: Int

    public init(colors: Int) { self.colors = colors }

    /// Approximate sRGB of the 16 ANSI colours (xterm defaults), for nearest-colour search.
    static let ansiRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    /// The terminal colour number, or -1 for the terminal's default.
    public func resolve(_ c: ThemeColor) -> Int {
        guard colors > 0 else { return -1 }
        switch c {
        case .terminalDefault: return -1
        case .ansi(let n): return colors >= 16 ? n : n % 8
        case .rgb(let r, let g, let b):
            let rgb = (Int(r), Int(g), Int(b))
            if colors >= 256 { return nearest256(rgb) }
            return nearestANSI(rgb, count: colors >= 16 ? 16 : 8)
        }
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }

    func nearestANSI(_ rgb: (Int, Int, Int), count: Int) -> Int {
        var best = 0, bestD = Int.max
        for i in 0..<count {
            let d = Self.distance(rgb, Self.ansiRGB[i])
            if d < bestD { best = i; bestD = d }
        }
        return best
    }

    func nearest256(_ rgb: (Int, Int, Int)) -> Int {
        func level(_ v: Int) -> Int {
            var best = 0
            for (i, l) in Self.cubeLevels.enumerated() where abs(l - v) < abs(Self.cubeLevels[best] - v) { best = i }
            return best
        }
        let (ri, gi, bi) = (level(rgb.0), level(rgb.1), level(rgb.2))
        let cube = (Self.cubeLevels[ri], Self.cubeLevels[gi], Self.cubeLevels[bi])
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi
        let avg = (rgb.0 + rgb.1 + rgb.2) / 3
        let grayStep = min(23, max(0, (avg - 8 + 5) / 10))
        let gv = 8 + 10 * grayStep
        let gray = (gv, gv, gv)
        return Self.distance(rgb, gray) < Self.distance(rgb, cube) ? 232 + grayStep : cubeIndex
    }
}
