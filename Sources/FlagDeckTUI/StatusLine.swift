/// The bottom line: the result of the last action if there is one, else the keys.
/// Results stay until the next key so an operator cannot miss a conflict.
public struct StatusMessage: Sendable, Equatable {
    public enum Kind: Sendable { case info, success, error }
    public var text: String
    public var kind: Kind

    public init(_ text: String, kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}

public enum StatusLine {
    /// The hints for a screen: the global keys it does not rebind, then its own, in
    /// table order. Mutating keys are left out in read-only mode.
    public static func hints(for screenKeys: [BindingInfo], readOnly: Bool) -> [KeyTable.Hint] {
        KeyTable.hints(globalKeys(besides: screenKeys), readOnly: readOnly) + KeyTable.hints(screenKeys, readOnly: readOnly)
    }

    /// The global bindings a screen has not taken over (help binds `?` to "close").
    public static func globalKeys(besides screenKeys: [BindingInfo]) -> [BindingInfo] {
        let taken = Set(screenKeys.flatMap(\.keys))
        return GlobalBindings.bindingInfo.filter { !$0.keys.contains(where: taken.contains) }
    }

    public static func render(_ message: StatusMessage?, bar: StatusBar, screenKeys: [BindingInfo],
                              on s: any Surface, context c: RenderContext) {
        let row = s.rows - 1
        if case .drawn = bar { return }
        let style = message?.kind == .error ? c.theme[.danger] : c.theme[.status]
        var position = ""
        let text: String
        switch bar {
        case .hints(let p):
            position = p ?? ""
            text = message.map { " " + $0.text } ?? KeyTable.hintLine(hints(for: screenKeys, readOnly: c.readOnly))
        case .modal(let keys):
            text = message.map { " " + $0.text } ?? keys
        case .drawn:
            return
        }
        s.fillRow(row, style: style)
        guard !position.isEmpty else {
            s.draw(text, row: row, col: 0, style: style)
            return
        }
        // The text gives way to the position only when there is room for both.
        let w = DisplayWidth.of(position) + 1
        if DisplayWidth.of(text) + w + 1 <= s.cols {
            s.draw(text, row: row, col: 0, style: style)
            s.draw(position + " ", row: row, col: s.cols - w, style: style)
        } else if message == nil {
            s.draw(text, row: row, col: 0, width: s.cols - w - 1, style: style)
            s.draw(position + " ", row: row, col: s.cols - w, style: style)
        } else {
            s.draw(text, row: row, col: 0, style: style)
        }
    }
}
