/// A colour as a theme names it. Resolution to what the terminal actually has happens
/// late (in `ColorResolver`), so one theme works on 256, 8 and 0 colours.
public enum ThemeColor: Hashable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 16 ANSI colours (0 black … 7 white, 8–15 bright).
    case ansi(Int)
    case rgb(UInt8, UInt8, UInt8)

    static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "gray": 8, "grey": 8, "bright-black": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Parses `default`, a colour name, or `#rrggbb`; nil when it is none of those.
    public init?(parsing text: String) {
        let t = text.lowercased()
        if t == "default" { self = .terminalDefault; return }
        if let n = ThemeColor.names[t] { self = .ansi(n); return }
        let u = Array(t.utf8)
        // Every digit checked: UInt32(_:radix:) alone would accept "#+12345".
        guard u.count == 7, u[0] == UInt8(ascii: "#"), u.dropFirst().allSatisfy({ $0.isHexDigitASCII }),
              let v = UInt32(String(t.dropFirst()), radix: 16) else { return nil }
        self = .rgb(UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
    }
}

/// How one piece of text looks: colours plus attributes. Attributes matter on their own
/// because a monochrome terminal (or `NO_COLOR`) sees only them.
public struct Style: Hashable, Sendable {
    public var fg: ThemeColor
    public var bg: ThemeColor
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool

    public init(fg: ThemeColor = .terminalDefault, bg: ThemeColor = .terminalDefault, bold: Bool = false,
                reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    public static let plain = Style()

    /// The cursor is drawn by flipping reverse, so it stays visible in any theme and in mono.
    public var toggledReverse: Style {
        var s = self
        s.reverse.toggle()
        return s
    }
}

extension UInt8 {
    var isHexDigitASCII: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
