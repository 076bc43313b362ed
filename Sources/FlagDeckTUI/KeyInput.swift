import CNcursesw

/// A key as the screens understand it. Screens take `Key`s, never raw ncurses codes, so
/// tests can type at a screen exactly as an operator would.
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab, delete
    /// Control plus a letter, lowercase (`Ctrl-K` is `.ctrl("k")`).
    case ctrl(Character)
    case resize
    case unknown(Int32)

    /// Keys for a string, one per character; convenient in tests.
    public static func typing(_ s: String) -> [Key] { s.map { .char($0) } }
}

/// Turns what `get_wch` returned into a `Key`.
public enum KeyDecoder {
    public static func decode(status: Int32, value: UInt32) -> Key? {
        if status == ERR { return nil }
        if status == KEY_CODE_YES {
            switch Int32(value) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_RESIZE: return .resize
            default: return .unknown(Int32(value))
            }
        }
        return decodeCharacter(value)
    }

    /// Plain characters, including the control codes terminals send for Enter, Esc,
    /// Backspace and Ctrl-letter.
    public static func decodeCharacter(_ value: UInt32) -> Key {
        switch value {
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 9: return .tab
        case 1...26: return .ctrl(Character(Unicode.Scalar(value + 96)!))
        default:
            guard let s = Unicode.Scalar(value) else { return .unknown(Int32(bitPattern: value)) }
            return .char(Character(s))
        }
    }
}
