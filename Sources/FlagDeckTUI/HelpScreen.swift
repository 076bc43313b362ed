/// `?`: the keys of the screen it was opened over, then the global keys and the commands,
/// all generated from the same tables that dispatch the keys, so help cannot drift from
/// what the keys do. Mutating keys and commands are left out in read-only mode, because
/// they are refused there.
public struct HelpScreen: Screen {
    public enum Action: Hashable, Sendable { case close, down, up }

    public static let bindings: [KeyBinding<Action>] = [
        KeyBinding([.escape, .char("?"), .char("q"), .enter], .close, "back to the screen help was opened over", hint: "back"),
        KeyBinding([.down, .char("j")], .down, "scroll", hint: "scroll"),
        KeyBinding([.up, .char("k")], .up, "scroll"),
    ]

    /// Title of the screen the help is about (`grid`, `flag checkout.v2`).
    public let about: String
    public let readOnly: Bool
    public let lines: [String]
    public private(set) var scroll = 0

    /// Help for `screen`, as this operator may use it.
    public init(for screen: any Screen, context c: RenderContext) {
        about = screen.title
        readOnly = c.readOnly
        lines = Self.lines(screenKeys: screen.keyTable, notes: screen.helpNotes(context: c), readOnly: c.readOnly)
    }

    /// The screen's rows, the global rows, the commands, then the screen's notes.
    static func lines(screenKeys: [BindingInfo], notes: [String], readOnly: Bool) -> [String] {
        let screen = KeyTable.rows(screenKeys, readOnly: readOnly)
        let global = KeyTable.rows(GlobalBindings.bindingInfo, readOnly: readOnly)
        let commands = CommandLineInput.commands.filter { !$0.hidden && !(readOnly && $0.mutating) }
        let width = min(40, ((screen + global).map { DisplayWidth.of($0.keyText) } + commands.map { DisplayWidth.of($0.usage) }).max() ?? 0) + 2
        func row(_ keys: String, _ text: String) -> String { "  " + DisplayWidth.fit(keys, to: width) + text }
        var out = screen.map { row($0.keyText, $0.help) }
        out.append("")
        out.append(" On every screen")
        out += global.map { row($0.keyText, $0.help) }
        out.append("")
        out.append(" Commands (: then Enter; Esc or Backspace on an empty line closes)")
        out += commands.map { row($0.usage, $0.help) }
        if !notes.isEmpty {
            out.append("")
            out += notes.map { "  " + $0 }
        }
        return out
    }

    public var title: String { "help" }
    public var showsBreadcrumb: Bool { false }
    public var isTyping: Bool { false }

    public mutating func handleTyping(_ key: Key, services: ScreenServices) -> ScreenAction { .none }

    public mutating func perform(_ action: Action, services: ScreenServices) -> ScreenAction {
        switch action {
        case .close: return .back
        case .down: scroll = min(scroll + 1, max(0, lines.count - 1))
        case .up: scroll = max(0, scroll - 1)
        }
        return .none
    }

    public mutating func reload(services: ScreenServices) {}

    public func render(on s: any Surface, context c: RenderContext) -> StatusBar {
        let t = c.theme
        s.fillRow(0, " flagdeck help: \(about)" + (readOnly ? " (read-only: changing keys are disabled)" : ""), style: t[.header])
        for (i, line) in lines.dropFirst(scroll).prefix(max(0, s.rows - 2)).enumerated() {
            s.draw(line, row: 1 + i, col: 0, width: s.cols, style: t[.help])
        }
        return .hints(position: "\(min(scroll + 1, lines.count))/\(lines.count)")
    }
}
