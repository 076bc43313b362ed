import Foundation

/// The `:` command line. Commands are a table like the keys, so help, the docs and the
/// "unknown command" message list the same commands that parse. Parsing is separate from
/// running so tests can check what a command means without a store.
public struct CommandLineInput: Sendable, Equatable {
    public var field = TextField()

    public init() {}

    public enum Command: Sendable, Equatable {
        case quit
        case env(String)
        case flag(String)
        case sort(GridSort)
        case help
        case killAll
        case unkillAll
        /// Hidden (not in help): raises `DashboardFatalError.debugCommand`.
        case debugFatal
        case history(String?)
        case review
        case invalid(String)
    }

    /// One command: the words that name it, how help writes it, whether it changes anything.
    public struct Spec: Sendable {
        public var verbs: [String]
        public var usage: String
        public var help: String
        public var mutating: Bool
        /// Left out of help and docs (`:debug-fatal`, for the reliability tests).
        public var hidden: Bool
        public let make: @Sendable (String) -> Command

        init(_ verbs: [String], _ usage: String, _ help: String, mutating: Bool = false, hidden: Bool = false,
             _ make: @escaping @Sendable (String) -> Command) {
            self.verbs = verbs
            self.usage = usage
            self.help = help
            self.mutating = mutating
            self.hidden = hidden
            self.make = make
        }
    }

    public static let commands: [Spec] = [
        Spec(["env", "e"], ":env NAME", "only environments whose ACCOUNT/ENV contains NAME; :env alone shows all") { .env($0) },
        Spec(["flag", "f"], ":flag KEY", "jump to a flag (clears a filter that hides it)") {
            $0.isEmpty ? .invalid(":flag needs a key, e.g. :flag checkout-v2") : .flag($0)
        },
        Spec(["sort"], ":sort KEY", "sort by \(GridSort.allCases.map(\.rawValue).joined(separator: ", "))") { arg in
            GridSort(rawValue: arg).map { .sort($0) }
                ?? .invalid(":sort takes one of \(GridSort.allCases.map(\.rawValue).joined(separator: ", "))")
        },
        Spec(["history"], ":history [KEY]", "history of one flag, or of all flags") { .history($0.isEmpty ? nil : $0) },
        Spec(["review"], ":review", "review candidates, most pressing first") { _ in .review },
        Spec(["kill-all"], ":kill-all", "kill the selected flag in every environment", mutating: true) { _ in .killAll },
        Spec(["unkill-all"], ":unkill-all", "unkill the selected flag in every environment", mutating: true) { _ in .unkillAll },
        Spec(["help", "h"], ":help", "this help") { _ in .help },
        Spec(["q", "quit", "q!"], ":q", "quit") { _ in .quit },
        Spec(["debug-fatal"], ":debug-fatal", "raise a fatal error (reliability tests)", hidden: true) { _ in .debugFatal },
    ]

    /// The command and the table entry it came from; nil for an empty line.
    public static func lookup(_ text: String) -> (Command, Spec?)? {
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let verb = words.first else { return nil }
        let arg = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        guard let spec = commands.first(where: { $0.verbs.contains(verb) }) else {
            let known = commands.filter { !$0.hidden }.map { ":" + $0.verbs[0] }.joined(separator: ", ")
            return (.invalid("unknown command :\(verb) (try \(known); ? lists keys)"), nil)
        }
        return (spec.make(arg), spec)
    }

    public static func parse(_ text: String) -> Command? { lookup(text)?.0 }

    public func render(on s: any Surface, context c: RenderContext) {
        s.fillRow(s.rows - 1, ":" + field.display(width: s.cols - 2, focused: true), style: c.theme[.status])
    }
}
