import FlagDeckCore
import Foundation

/// Recording a review decision from the review screen. Same rhythm as the kill dialog so
/// it needs no new habits: the reason has focus first, Enter moves on (to the "until"
/// date where the kind has one), Enter again confirms, Esc cancels and writes nothing.
/// Tab cycles keep → retire → snooze. The dialog never writes; `ReviewScreen` calls
/// `Operations.markForReview`.
public struct ReviewMarkDialog: Sendable {
    public enum Field: Sendable, Equatable { case reason, until }

    public enum Outcome: Sendable, Equatable {
        case pending
        case cancelled
        case confirmed(kind: ReviewMarkKind, reason: String, until: Date?)
    }

    public let flag: String
    public private(set) var kind: ReviewMarkKind
    public private(set) var reason = TextField()
    public private(set) var until = TextField()
    public private(set) var focus: Field = .reason
    public private(set) var problem: String?

    public init(flag: String, kind: ReviewMarkKind) {
        self.flag = flag
        self.kind = kind
    }

    var hasUntil: Bool { kind != .retire }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape: return .cancelled
        case .tab:
            let all = ReviewMarkKind.allCases
            kind = all[(all.firstIndex(of: kind)! + 1) % all.count]
            if !hasUntil { focus = .reason }
            return .pending
        case .up, .down:
            if hasUntil { focus = focus == .reason ? .until : .reason }
            return .pending
        case .enter:
            let why = reason.text.trimmingCharacters(in: .whitespaces)
            guard !why.isEmpty else {
                focus = .reason
                problem = "A reason is required: the next review reads it."
                return .pending
            }
            if focus == .reason && hasUntil {
                problem = nil
                focus = .until
                return .pending
            }
            let text = until.text.trimmingCharacters(in: .whitespaces)
            guard hasUntil, !text.isEmpty else { return .confirmed(kind: kind, reason: why, until: nil) }
            do {
                return .confirmed(kind: kind, reason: why, until: try UTC.parseUserDate(text))
            } catch {
                problem = "until: \(error.description)"
                return .pending
            }
        default:
            problem = nil
            if focus == .reason { _ = reason.edit(key) } else { _ = until.edit(key) }
            return .pending
        }
    }

    public func render(on s: any Surface, context c: RenderContext) {
        let width = min(s.cols - 4, 76)
        var lines: [(String, ThemeRole)] = [
            (" MARK \(flag) for review", .header),
            (" kind: " + ReviewMarkKind.allCases.map { $0 == kind ? "[\($0.rawValue)]" : $0.rawValue }.joined(separator: " ")
             + "   (Tab changes)", .dialog),
            ("", .dialog),
            (" Reason: " + reason.display(width: width - 12, focused: focus == .reason), .dialog),
        ]
        if hasUntil {
            let optional = kind == .keep ? "optional, e.g. 2027-03-01" : "empty = the snooze period"
            lines.append((" Until (\(optional)): " + until.display(width: max(8, width - 46), focused: focus == .until), .dialog))
        }
        lines.append(("", .dialog))
        let enter = focus == .reason && hasUntil ? "Enter: next field" : "Enter: record the mark"
        lines.append((" \(enter)   Esc: cancel, nothing is written", .dialog))
        if let problem { lines.append((" " + problem, .danger)) }
        DialogBox.draw(lines, width: width, on: s, context: c)
    }
}
