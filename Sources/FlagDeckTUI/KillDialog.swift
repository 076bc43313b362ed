import FlagDeckCore
import Foundation

/// The kill and unkill confirmation. It always runs in the same order so it can be done
/// half-asleep: the reason has focus first; Enter moves on; in a protected environment a
/// second field asks for the flag key and Enter there confirms; Esc cancels at any point.
/// The dialog itself never writes: it returns `.confirmed` and `GridScreen` hands it to
/// `KillSwitch.apply`.
public struct KillDialog: Sendable {
    public enum Kind: Sendable, Equatable {
        case kill, killAll, unkill, unkillAll

        var verb: String {
            switch self {
            case .kill, .killAll: "KILL"
            case .unkill, .unkillAll: "UNKILL"
            }
        }
        var isAll: Bool { self == .killAll || self == .unkillAll }
        var direction: KillRequest.Direction { self == .kill || self == .killAll ? .kill : .unkill }
    }

    public enum Field: Sendable, Equatable { case reason, typedKey }

    public enum Outcome: Sendable, Equatable {
        case pending
        case cancelled
        case confirmed(reason: String)
    }

    public let kind: Kind
    public let flag: Flag
    /// The cells this dialog acts on, as the grid displayed them: their versions become
    /// `expectedVersion`, so a change made meanwhile by someone else is a conflict, not
    /// an overwrite.
    public let targets: [(env: Environment, state: FlagState)]
    /// Cells the operation will leave alone (already killed, or not killed for unkill).
    public let skipped: [Environment]
    public let dependents: [String]
    public private(set) var reason = TextField()
    public private(set) var typedKey = TextField()
    public private(set) var focus: Field = .reason
    /// Why the last Enter was refused, or why the write failed, shown in the dialog.
    public private(set) var problem: String?
    /// Where each target's change goes (`writes sample/…/features.json`), for bound
    /// environments: a kill is worth only what reaches the place applications read.
    public internal(set) var destinations: [EnvironmentID: String] = [:]
    /// The deployment strategy each AppConfig target's change deploys with, on a line of
    /// its own (the destination line is cut at the dialog's edge, and how fast the kill
    /// reaches applications depends on it): `flagdeck-immediate, stopping any deployment
    /// in progress`.
    public internal(set) var strategies: [EnvironmentID: String] = [:]

    /// The write failed: the dialog stays, saying why; Enter tries again.
    mutating func failed(_ message: String) { problem = message }

    public var requiresTypedKey: Bool { targets.contains { $0.env.isProtected } }

    /// Builds the dialog for a cell (or, for the all-environments kinds, for every cell of
    /// the row). Returns a message instead when there is nothing to do.
    public static func make(_ kind: Kind, row: GridRow, environments: [Environment], at envIndex: Int?,
                            allFlags: [Flag]) -> Result<KillDialog, DialogRefusal> {
        let wantKilled = kind == .unkill || kind == .unkillAll
        var targets: [(Environment, FlagState)] = []
        var skipped: [Environment] = []
        let indices = kind.isAll ? Array(environments.indices) : (envIndex.map { [$0] } ?? [])
        for i in indices {
            guard let s = row.cells[i] else { continue }
            if s.killed == wantKilled { targets.append((environments[i], s)) } else { skipped.append(environments[i]) }
        }
        guard !targets.isEmpty else {
            let whereText = kind.isAll ? "any environment" : (envIndex.map { environments[$0].id.path } ?? "this environment")
            return .failure(DialogRefusal(message: wantKilled
                ? "\(row.flag.key) is not killed in \(whereText); nothing to unkill"
                : "\(row.flag.key) is already killed in \(whereText)"))
        }
        return .success(KillDialog(kind: kind, flag: row.flag, targets: targets, skipped: skipped,
                                   dependents: DependencyGraph.dependents(of: row.flag.key, in: allFlags)))
    }

    init(kind: Kind, flag: Flag, targets: [(Environment, FlagState)], skipped: [Environment], dependents: [String]) {
        self.kind = kind
        self.flag = flag
        self.targets = targets.map { (env: $0.0, state: $0.1) }
        self.skipped = skipped
        self.dependents = dependents
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape:
            return .cancelled
        case .enter:
            switch focus {
            case .reason:
                guard !reason.text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    problem = "A reason is required: the next on-call engineer will need it."
                    return .pending
                }
                problem = nil
                if requiresTypedKey {
                    focus = .typedKey
                    return .pending
                }
                return .confirmed(reason: reason.text.trimmingCharacters(in: .whitespaces))
            case .typedKey:
                guard typedKey.text == flag.key else {
                    problem = "The typed key does not match \(flag.key); nothing written."
                    return .pending
                }
                return .confirmed(reason: reason.text.trimmingCharacters(in: .whitespaces))
            }
        case .tab, .up, .down:
            // Moving back to the reason is allowed; skipping ahead past it is not.
            if focus == .typedKey { focus = .reason }
            return .pending
        default:
            problem = nil
            if focus == .reason { _ = reason.edit(key) } else { _ = typedKey.edit(key) }
            return .pending
        }
    }

    /// The state a cell will return to on unkill: what the kill left underneath.
    static func restoredDescription(_ s: FlagState) -> String {
        var u = s
        u.killed = false
        return CellFormat.summary(u) + (u.enabled ? "" : " (disabled)")
    }

    static func currentDescription(_ s: FlagState) -> String {
        let pct = Percent.format(s.rolloutBasisPoints) + "%"
        switch s.cell {
        case .killed: return "KILLED (underneath \(s.enabled ? "enabled" : "disabled") at \(pct))"
        case .on: return "ON at 100%"
        case .off: return "OFF (rollout \(pct) when enabled)"
        case .partial where CellFormat.isRuleOnly(s): return "ON for rule matches only (rollout 0% otherwise)"
        case .partial: return "ON at \(pct)"
        }
    }

    public func render(on s: any Surface, context c: RenderContext) {
        let t = c.theme
        let width = min(s.cols - 4, 76)
        var head: [(String, ThemeRole)] = []
        var envLines: [(String, ThemeRole)] = []
        var tail: [(String, ThemeRole)] = []
        let protectedCount = targets.filter { $0.env.isProtected }.count
        let title = " \(kind.verb) \(flag.key)"
            + (kind.isAll ? " in ALL \(targets.count) environments" + (protectedCount > 0 ? " (\(protectedCount) protected)" : "") : "")
        head.append((title, .danger))
        if kind.isAll {
            for (env, st) in targets {
                let mark = env.isProtected ? c.glyphs.protected + " protected" : ""
                let goes = destinations[env.id].map { " → " + $0 } ?? ""
                envLines.append((" \(env.id.path): \(kind == .unkillAll ? "restores " + Self.restoredDescription(st) : Self.currentDescription(st)) \(mark)\(goes)", env.isProtected ? .protected : .dialog))
            }
            if !skipped.isEmpty {
                envLines.append((" skipped (\(kind == .killAll ? "already killed" : "not killed")): \(skipped.map(\.id.path).joined(separator: ", "))", .dialog))
            }
        } else if let (env, st) = targets.first {
            head.append((" account: \(env.id.account)   environment: \(env.id.name)" + (env.isProtected ? "   \(c.glyphs.protected) PROTECTED" : ""),
                         env.isProtected ? .protected : .dialog))
            head.append((" current: \(Self.currentDescription(st))", .dialog))
            if kind == .unkill { head.append((" will restore: \(Self.restoredDescription(st))", .dialog)) }
            if let goes = destinations[env.id] { head.append((" goes to the source: \(goes)", .dialog)) }
            if let how = strategies[env.id] { head.append((" deploys with: \(how)", .dialog)) }
        }
        if kind == .kill || kind == .killAll {
            tail.append((" dependents also affected: " + (dependents.isEmpty ? "none" : dependents.joined(separator: ", ")), dependents.isEmpty ? .dialog : .danger))
        }
        tail.append(("", .dialog))
        let fieldWidth = width - 32
        tail.append((" Reason: " + reason.display(width: fieldWidth, focused: focus == .reason), .dialog))
        if requiresTypedKey {
            // Prompt and field on separate lines, so a long key never pushes the typing off screen.
            tail.append((" Type \"\(flag.key)\" to confirm:", .protected))
            tail.append(("   > " + typedKey.display(width: width - 6, focused: focus == .typedKey), .protected))
        }
        tail.append(("", .dialog))
        let enterHelp = focus == .reason && requiresTypedKey ? "Enter: next field" : "Enter: confirm \(kind.verb.lowercased())"
        tail.append((" \(enterHelp)   Esc: cancel, nothing is written", .dialog))
        if let problem { tail.append((" " + problem, .danger)) }

        // The input fields must always be visible: with many environments, the list is
        // shortened to what fits and summarised.
        let room = max(1, s.rows - 2 - head.count - tail.count)
        if envLines.count > room {
            let hidden = envLines.count - (room - 1)
            envLines = Array(envLines.prefix(room - 1)) + [(" … and \(hidden) more", .dialog)]
        }
        let lines = head + envLines + tail
        let height = lines.count + 2
        let top = max(0, (s.rows - height) / 2)
        let left = max(0, (s.cols - width) / 2)
        s.draw("", row: top, col: left, width: width, style: t[.dialog])
        for (i, (text, role)) in lines.enumerated() {
            s.draw(text, row: top + 1 + i, col: left, width: width, style: t[role])
        }
        s.draw("", row: top + height - 1, col: left, width: width, style: t[.dialog])
    }
}

/// Why a dialog did not open; shown on the status line.
public struct DialogRefusal: Error, Sendable, Equatable {
    public var message: String
}
