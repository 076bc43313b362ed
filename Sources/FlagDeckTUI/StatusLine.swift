/// The bottom line: the result of the last action if there is one, else the main keys.
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
    public static func render(_ message: StatusMessage?, position: String, on s: any Surface, context c: RenderContext) {
        let row = s.rows - 1
        let style = message?.kind == .error ? c.theme[.danger] : c.theme[.status]
        let hints = c.readOnly
            ? " ? help  / filter  s sort  : command  Enter detail  H history  R review  q quit"
            : " ? help  / filter  s sort  K kill  U unkill  : command  Enter detail  H history  R review  q quit"
        let w = DisplayWidth.of(position) + 1
        s.fillRow(row, style: style)
        // The text gives way to the position only when there is room for both.
        let text = message.map { " " + $0.text } ?? hints
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
