/// The semantic parts of the screen a theme can style. Themes talk about meaning
/// ("killed", "danger"), never about widgets, so a new screen reuses existing keys.
public enum ThemeRole: String, CaseIterable, Sendable {
    case header, grid, on, off, killed, partial, recent, protected, dialog, danger, status, help
}

/// A complete mapping from role to style. Loaded themes are merged onto `.default`, so
/// every role always has a style.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var styles: [ThemeRole: Style]

    public init(name: String, styles: [ThemeRole: Style]) {
        self.name = name
        self.styles = styles
    }

    public subscript(_ role: ThemeRole) -> Style {
        styles[role] ?? Theme.default.styles[role] ?? .plain
    }

    /// Built in so the dashboard works even if the `themes/` directory is missing;
    /// `themes/default.toml` mirrors it for people who want to copy and edit.
    public static let `default` = Theme(name: "default", styles: [
        .header: Style(fg: .ansi(15), bg: .ansi(4), bold: true),
        .grid: Style(),
        .on: Style(fg: .ansi(2), bold: true),
        .off: Style(fg: .ansi(8), dim: true),
        .killed: Style(fg: .ansi(15), bg: .ansi(1), bold: true),
        .partial: Style(fg: .ansi(3)),
        .recent: Style(fg: .ansi(14), underline: true),
        .protected: Style(fg: .ansi(9), bold: true, underline: true),
        .dialog: Style(fg: .ansi(15), bg: .ansi(0)),
        .danger: Style(fg: .ansi(15), bg: .ansi(1), bold: true),
        .status: Style(fg: .ansi(0), bg: .ansi(7)),
        .help: Style(fg: .ansi(7)),
    ])

    /// What `NO_COLOR` and colourless terminals get: meaning carried by attributes and glyphs.
    public static let monochrome = Theme(name: "mono", styles: [
        .header: Style(reverse: true),
        .grid: Style(),
        .on: Style(bold: true),
        .off: Style(dim: true),
        .killed: Style(bold: true, reverse: true),
        .partial: Style(),
        .recent: Style(underline: true),
        .protected: Style(bold: true, underline: true),
        .dialog: Style(),
        .danger: Style(bold: true, reverse: true),
        .status: Style(reverse: true),
        .help: Style(),
    ])

    /// Keeps attributes, drops colours: used when the terminal or the user says no colour.
    public var withoutColors: Theme {
        var t = self
        for (role, var s) in styles {
            s.fg = .terminalDefault
            s.bg = .terminalDefault
            // A coloured background was the only marker for these; make them reverse instead.
            if role == .killed || role == .danger || role == .header || role == .status { s.reverse = true }
            t.styles[role] = s
        }
        return t
    }
}
