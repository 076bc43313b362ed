/// One entry of a screen's key table. The table is the single source for what a key
/// does on that screen, what `?` lists and what the status line hints, so the three
/// cannot drift apart (k9s keeps `KeyActions` per view the same way).
public struct KeyBinding<Action: Hashable & Sendable>: Sendable {
    /// The first key is the one hints show; the others are alternatives (arrows and vim keys).
    public let keys: [Key]
    public let action: Action
    /// What the key does, as help lists it. Consecutive bindings with the same text share
    /// one help row (`g / G  Home / End  first / last flag`).
    public let help: String
    /// The status line's word for it; nil keeps the key out of the status line.
    public let hint: String?
    /// Changes something: hidden from help and hints and refused in read-only mode.
    public let mutating: Bool

    public init(_ keys: [Key], _ action: Action, _ help: String, hint: String? = nil, mutating: Bool = false) {
        self.keys = keys
        self.action = action
        self.help = help
        self.hint = hint
        self.mutating = mutating
    }

    /// The binding without its action type, for help, hints, docs and tests.
    public var info: BindingInfo {
        BindingInfo(keys: keys, action: String(describing: action), help: help, hint: hint, mutating: mutating)
    }
}

/// A binding as help, hints and the key reference see it: the action by name only.
public struct BindingInfo: Sendable, Equatable {
    public var keys: [Key]
    public var action: String
    public var help: String
    public var hint: String?
    public var mutating: Bool
}

extension Array {
    /// The binding a key reaches, first match wins.
    func binding<A>(for key: Key) -> KeyBinding<A>? where Element == KeyBinding<A> {
        first { $0.keys.contains(key) }
    }
}

/// How keys are written in help, hints and the docs.
extension Key {
    public var label: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .tab: "Tab"
        case .delete: "Del"
        case .ctrl(let c): "Ctrl-" + c.uppercased()
        case .resize: "resize"
        case .unknown(let n): "key \(n)"
        }
    }
}

/// Help rows and status-line hints, computed from tables only.
public enum KeyTable {
    /// One line of help: keys written together, what they do.
    public struct Row: Sendable, Equatable {
        public var keys: [Key]
        public var keyText: String
        public var help: String
        public var mutating: Bool
    }

    /// Consecutive bindings with the same help text become one row. Read-only mode leaves
    /// out the mutating ones, because they are refused there.
    public static func rows(_ bindings: [BindingInfo], readOnly: Bool) -> [Row] {
        groups(bindings, readOnly: readOnly).map { g in
            Row(keys: g.flatMap(\.keys), keyText: keyText(g.map(\.keys)), help: g[0].help, mutating: g.contains(where: \.mutating))
        }
    }

    /// Consecutive bindings with the same help text, minus what read-only mode refuses.
    static func groups(_ bindings: [BindingInfo], readOnly: Bool) -> [[BindingInfo]] {
        var groups: [[BindingInfo]] = []
        for b in bindings where !(readOnly && b.mutating) {
            if let last = groups.last?.last, last.help == b.help { groups[groups.count - 1].append(b) } else { groups.append([b]) }
        }
        return groups
    }

    /// One binding: its keys side by side (`f /`). Several: column by column, the first
    /// keys together, then the alternatives (`← ↓ ↑ →  h j k l`, `g / G  Home / End`).
    static func keyText(_ keys: [[Key]]) -> String {
        guard keys.count > 1 else { return (keys.first ?? []).map(\.label).joined(separator: " ") }
        let depth = keys.map(\.count).max() ?? 0
        let joiner = keys.count == 2 ? " / " : " "
        return (0..<depth).map { j in
            keys.compactMap { $0.indices.contains(j) ? $0[j].label : nil }.joined(separator: joiner)
        }.joined(separator: "  ")
    }

    /// A status-line hint: the group's first keys, compact (`↓↑/jk scroll`, `K kill`).
    public struct Hint: Sendable, Equatable {
        public var keys: [Key]
        public var text: String
    }

    public static func hints(_ bindings: [BindingInfo], readOnly: Bool) -> [Hint] {
        var out: [Hint] = []
        for g in groups(bindings, readOnly: readOnly) {
            guard let word = g.first(where: { $0.hint != nil })?.hint else { continue }
            out.append(Hint(keys: g.flatMap(\.keys), text: compactKeys(g.map(\.keys)) + " " + word))
        }
        return out
    }

    static func compactKeys(_ keys: [[Key]]) -> String {
        guard keys.count > 1 else { return keys.first?.first?.label ?? "" }
        func column(_ j: Int) -> String? {
            let labels = keys.compactMap { $0.indices.contains(j) ? $0[j].label : nil }
            guard labels.count == keys.count else { return nil }
            return labels.allSatisfy { $0.count == 1 } ? labels.joined() : labels.joined(separator: "/")
        }
        return [column(0), column(1)].compactMap { $0 }.joined(separator: "/")
    }

    /// The status line's hint text, in table order.
    public static func hintLine(_ hints: [Hint]) -> String {
        " " + hints.map(\.text).joined(separator: "  ")
    }
}
