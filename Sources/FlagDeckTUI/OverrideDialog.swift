import FlagDeckCore
import Foundation

/// Adding or removing a per-environment override from the detail screen. Fields are
/// filled top to bottom: Enter moves to the next field and confirms on the last (the
/// reason), ↑/↓ move between fields, Esc cancels and writes nothing. Values are read the
/// way `flagdeck override set` reads them (equals: JSON, bare words are strings; serve:
/// JSON), so the dashboard and the CLI accept the same input. The dialog never writes;
/// `FlagDetailScreen` calls `Operations.setOverride` / `removeOverride`.
public struct OverrideDialog: Sendable {
    public enum Field: Int, Sendable, CaseIterable { case env, key, equals, serve, expires, reason }

    public enum Request: Sendable, Equatable {
        case set(env: String, key: String, equals: JSONValue, serve: JSONValue, expires: Date?, reason: String)
        case remove(id: Int64, reason: String)
    }

    public enum Outcome: Sendable, Equatable { case pending, cancelled, confirmed(Request) }

    public let flag: String
    /// Non-nil when removing: the flag's overrides, one of which is chosen with ↑/↓.
    public let removing: [Override]?
    public private(set) var chosen = 0
    public private(set) var fields: [Field: TextField]
    public private(set) var focus: Field
    public private(set) var problem: String?

    public static func add(flag: String, env: String?) -> OverrideDialog {
        OverrideDialog(flag: flag, removing: nil, fields: [.env: TextField(env ?? ""), .serve: TextField("true")], focus: .env)
    }

    public static func remove(flag: String, overrides: [Override]) -> OverrideDialog {
        OverrideDialog(flag: flag, removing: overrides, fields: [:], focus: .reason)
    }

    init(flag: String, removing: [Override]?, fields: [Field: TextField], focus: Field) {
        self.flag = flag
        self.removing = removing
        self.fields = fields
        self.focus = focus
    }

    public func text(_ f: Field) -> String { (fields[f]?.text ?? "").trimmingCharacters(in: .whitespaces) }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape: return .cancelled
        case .up, .down:
            let delta = key == .down ? 1 : -1
            if let removing {
                chosen = max(0, min(chosen + delta, removing.count - 1))
            } else {
                let all = Field.allCases
                focus = all[max(0, min(focus.rawValue + delta, all.count - 1))]
            }
            return .pending
        case .enter:
            problem = nil
            if let removing {
                guard removing.indices.contains(chosen) else { return .cancelled }
                return .confirmed(.remove(id: removing[chosen].id, reason: text(.reason)))
            }
            if focus != .reason {
                focus = Field(rawValue: focus.rawValue + 1)!
                return .pending
            }
            return validated()
        default:
            problem = nil
            var f = fields[focus] ?? TextField()
            _ = f.edit(key)
            fields[focus] = f
            return .pending
        }
    }

    mutating func validated() -> Outcome {
        guard !text(.env).isEmpty else { return refuse("environment is required (ACCOUNT/ENV)", at: .env) }
        guard !text(.key).isEmpty else { return refuse("the context key is required, e.g. user_id", at: .key) }
        guard !text(.equals).isEmpty else { return refuse("the value to match is required", at: .equals) }
        let equals = (try? JSONParser.parse(text(.equals))) ?? .string(text(.equals))
        let serve: JSONValue
        do { serve = try JSONParser.parse(text(.serve)) } catch {
            return refuse("serve is not JSON: \(error.description)", at: .serve)
        }
        var expires: Date?
        if !text(.expires).isEmpty {
            do { expires = try UTC.parseUserDate(text(.expires)) } catch {
                return refuse("expires: \(error.description)", at: .expires)
            }
        }
        return .confirmed(.set(env: text(.env), key: text(.key), equals: equals, serve: serve, expires: expires,
                               reason: text(.reason)))
    }

    /// A refused Enter keeps the dialog open on the field at fault.
    mutating func refuse(_ message: String, at field: Field) -> Outcome {
        problem = message
        focus = field
        return .pending
    }

    static let labels: [Field: String] = [.env: "Environment", .key: "Context key", .equals: "Equals", .serve: "Serve",
                                          .expires: "Expires (optional)", .reason: "Reason"]

    public func render(on s: any Surface, context c: RenderContext) {
        let width = min(s.cols - 4, 80)
        var lines: [(String, ThemeRole)] = []
        if let removing {
            lines.append((" REMOVE an override of \(flag)   (↑↓ choose)", .danger))
            for (i, o) in removing.enumerated() {
                lines.append(((i == chosen ? " > " : "   ") + FlagDetailScreen.describe(o), i == chosen ? .header : .dialog))
            }
            lines.append(("", .dialog))
            lines.append((" Reason: " + (fields[.reason] ?? TextField()).display(width: width - 12, focused: true), .dialog))
            lines.append(("", .dialog))
            lines.append((" Enter: remove   Esc: cancel, nothing is written", .dialog))
        } else {
            lines.append((" ADD an override to \(flag): when KEY equals VALUE, serve SERVE", .header))
            for f in Field.allCases {
                let label = DisplayWidth.fit(Self.labels[f]! + ":", to: 20)
                lines.append((" " + label + (fields[f] ?? TextField()).display(width: width - 24, focused: f == focus), .dialog))
            }
            lines.append(("", .dialog))
            let enter = focus == .reason ? "Enter: add the override" : "Enter: next field"
            lines.append((" \(enter)   ↑↓ fields   Esc: cancel, nothing is written", .dialog))
        }
        if let problem { lines.append((" " + problem, .danger)) }
        DialogBox.draw(lines, width: width, on: s, context: c)
    }
}
