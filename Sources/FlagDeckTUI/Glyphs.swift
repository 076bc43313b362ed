/// Markers that carry meaning without colour, so killed cells, protected environments
/// and recent changes survive `NO_COLOR`, a monochrome terminal, or colour blindness.
/// The ASCII set is used when the locale cannot show Unicode.
public struct Glyphs: Sendable, Equatable {
    public var killed: String
    public var protected: String
    public var recent: String
    public var barFull: String
    public var barEmpty: String
    public var barHalf: String
    public var separator: String
    public var cursor: String
    public var live: String
    /// Marks where a too-long key or owner was cut.
    public var ellipsis: String
    /// After an environment's name: it is bound to a source (file, AppConfig, DynamoDB).
    public var source: String = "⇄"
    /// After an environment's name: its last sync failed (the header says why).
    public var syncError: String = "!"
    /// After a cell: its last change was made outside flagdeck, in the source.
    public var external: String = "↓"

    public static let unicode = Glyphs(killed: "✖", protected: "▲", recent: "•", barFull: "█", barEmpty: "░",
                                       barHalf: "▌", separator: "│", cursor: "▶", live: "●", ellipsis: "…")
    public static let ascii = Glyphs(killed: "X", protected: "!", recent: "*", barFull: "#", barEmpty: ".",
                                     barHalf: "+", separator: "|", cursor: ">", live: "*", ellipsis: "~",
                                     source: "=", syncError: "!", external: "<")
}
