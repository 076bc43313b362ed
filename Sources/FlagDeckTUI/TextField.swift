/// A one-line text input shared by the filter, the command line and the dialogs, so
/// editing keys behave the same everywhere.
public struct TextField: Sendable, Equatable {
    public var text: String = ""
    public var maxLength = 500

    public init(_ text: String = "") { self.text = text }

    /// Applies an editing key; returns false for keys that are not editing (Enter, Esc, arrows).
    public mutating func edit(_ key: Key) -> Bool {
        switch key {
        case .char(let c):
            guard !c.unicodeScalars.contains(where: { $0.value < 0x20 }), text.count < maxLength else { return true }
            text.append(c)
            return true
        case .backspace:
            if !text.isEmpty { text.removeLast() }
            return true
        case .ctrl("u"):
            text = ""
            return true
        case .ctrl("w"):
            while text.last == " " { text.removeLast() }
            while let l = text.last, l != " " { text.removeLast() }
            return true
        default:
            return false
        }
    }

    /// The field as drawn: the tail that fits, with a cursor block when focused.
    public func display(width: Int, focused: Bool) -> String {
        let shown = focused ? text + "_" : text
        var tail = shown
        while DisplayWidth.of(tail) > width, !tail.isEmpty { tail.removeFirst() }
        return tail
    }
}
