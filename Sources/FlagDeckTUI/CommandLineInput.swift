import Foundation

/// The `:` command line. Parsing is separate from running so tests can check what a
/// command means without a store.
public struct CommandLineInput: Sendable, Equatable {
    public var field = TextField()

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

    public static func parse(_ text: String) -> Command? {
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let verb = words.first else { return nil }
        let arg = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        switch verb {
        case "q", "quit", "q!": return .quit
        case "env", "e": return .env(arg)
        case "flag", "f":
            return arg.isEmpty ? .invalid(":flag needs a key, e.g. :flag checkout-v2") : .flag(arg)
        case "sort":
            guard let s = GridSort(rawValue: arg) else {
                return .invalid(":sort takes one of \(GridSort.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .sort(s)
        case "help", "h": return .help
        case "kill-all": return .killAll
        case "unkill-all": return .unkillAll
        case "debug-fatal": return .debugFatal
        case "history": return .history(arg.isEmpty ? nil : arg)
        case "review": return .review
        default: return .invalid("unknown command :\(verb) (try :env, :flag, :sort, :history, :review, :kill-all, :q; ? lists keys)")
        }
    }

    public func render(on s: any Surface, context c: RenderContext) {
        s.fillRow(s.rows - 1, ":" + field.display(width: s.cols - 2, focused: true), style: c.theme[.status])
    }
}
