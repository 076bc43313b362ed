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
            ? " ? help  / filter  s sort  : command  Enter detail  q quit"
            : " ? help  / filter  s sort  K kill  U unkill  : command  Enter detail  q quit"
        s.fillRow(row, message.map { " " + $0.text } ?? hints, style: style)
        let w = DisplayWidth.of(position) + 1
        if message == nil || DisplayWidth.of(message!.text) + w + 2 < s.cols {
            s.draw(position + " ", row: row, col: s.cols - w, style: style)
        }
    }
}
