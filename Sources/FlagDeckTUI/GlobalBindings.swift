/// Keys that work on every screen, checked after the screen's own table (so help can
/// bind `?` to "close"). Ctrl-L works even while a dialog is open: a garbled screen must
/// be repairable mid-kill.
public enum GlobalBindings {
    public enum Action: Hashable, Sendable { case help, command, redraw }

    public static let bindings: [KeyBinding<Action>] = [
        KeyBinding([.char("?")], .help, "help for this screen (Esc returns)", hint: "help"),
        KeyBinding([.char(":")], .command, "command line (see below)", hint: "command"),
        KeyBinding([.ctrl("l")], .redraw, "redraw the screen"),
    ]

    public static var bindingInfo: [BindingInfo] { bindings.map(\.info) }

    static func result(_ a: Action) -> ScreenAction {
        switch a {
        case .help: .help
        case .command: .commandLine
        case .redraw: .redraw
        }
    }

    /// Keys that reach the global table even while the screen is typing.
    static func worksWhileTyping(_ key: Key) -> Bool { key == .ctrl("l") }
}
