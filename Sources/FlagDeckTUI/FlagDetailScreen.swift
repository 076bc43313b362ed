import FlagDeckCore
import Foundation

/// Enter on a flag: everything needed to decide what to do with it on one scrollable
/// page — where it is on, what it needs and what needs it, and whether it is ready to
/// retire with the measured reason for each rule — so the reviewer does not have to
/// trust a one-word verdict. `h` opens its history.
public struct FlagDetailScreen: Screen {
    public let flagKey: String
    /// The environment under the grid cursor, so panels opened from here start there.
    public var envPath: String?
    public private(set) var lines: [(String, ThemeRole)] = []
    public private(set) var scroll = 0
    public private(set) var loadError: String?
    /// Open while the operator is trying contexts (`e`).
    public private(set) var evaluate: EvaluatePanel?
    public private(set) var overrides: [Override] = []
    public private(set) var overrideDialog: OverrideDialog?
    /// `r`: rules as the stored JSON instead of readable lines.
    public private(set) var rawRules = false
    /// The jobs of a table-bound cell, page by page (`JobsPanel`); nil when the flag lives in no table.
    public private(set) var jobs: JobsPanel?

    public init(flag: String, env: String? = nil, services: ScreenServices) {
        flagKey = flag
        envPath = env
        jobs = JobsPanel.open(flag: flag, env: env, services: services)
        reload(services: services)
    }

    public mutating func reload(services: ScreenServices) {
        do {
            (lines, overrides) = try Self.load(flag: flagKey, rawRules: rawRules, services: services)
            loadError = nil
        } catch {
            lines = []
            overrides = []
            loadError = DashboardApp.message(error)
        }
        scroll = min(scroll, max(0, lines.count - 1))
        jobs?.load(services.operations)
    }

    public enum Action: Hashable, Sendable {
        case back, down, up, pageDown, pageUp, top, bottom
        case history, evaluate, rawRules, addOverride, removeOverride
        case nextJobs, previousJobs, filterJobs, jobsValue
    }

    static let scroll = "scroll"
    public static let bindings: [KeyBinding<Action>] = [
        KeyBinding([.escape, .char("q")], .back, "back to the previous screen", hint: "back"),
        KeyBinding([.down, .char("j")], .down, scroll, hint: "scroll"),
        KeyBinding([.up, .char("k")], .up, scroll),
        KeyBinding([.pageDown, .ctrl("f"), .char(" ")], .pageDown, "page down / up"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, "page down / up"),
        KeyBinding([.char("g"), .home], .top, "top / bottom"),
        KeyBinding([.char("G"), .end], .bottom, "top / bottom"),
        KeyBinding([.char("h")], .history, "this flag's history (:history KEY anywhere)", hint: "history"),
        KeyBinding([.char("e")], .evaluate, "evaluate a context JSON: value and why (Tab: next environment)", hint: "evaluate a context"),
        KeyBinding([.char("r")], .rawRules, "rules as stored JSON / as readable lines", hint: "raw rules"),
        KeyBinding([.char("o")], .addOverride, "add an override (env, key, equals, serve, reason)", hint: "add override", mutating: true),
        KeyBinding([.char("x"), .char("d")], .removeOverride, "remove an override (↑↓ choose, reason)", hint: "remove override",
                   mutating: true),
        KeyBinding([.char("n")], .nextJobs, "jobs of a DynamoDB-bound flag: next / previous page", hint: "jobs page"),
        KeyBinding([.char("p")], .previousJobs, "jobs of a DynamoDB-bound flag: next / previous page"),
        KeyBinding([.char("f")], .filterJobs, "jobs: filter by job id (Enter keeps, Esc clears)", hint: "filter jobs"),
        KeyBinding([.char("v")], .jobsValue, "jobs: cycle the value filter (all, on, off, absent)", hint: "jobs value"),
    ]

    public var title: String { "flag \(flagKey)" }
    public var isTyping: Bool { evaluate != nil || overrideDialog != nil || jobs?.field != nil }

    public mutating func handleTyping(_ key: Key, services: ScreenServices) -> ScreenAction {
        if var panel = jobs, panel.field != nil {
            panel.handleTyping(key, services.operations)
            jobs = panel
            return .none
        }
        if var d = overrideDialog {
            switch d.handle(key) {
            case .pending:
                overrideDialog = d
                return .none
            case .cancelled:
                overrideDialog = nil
                return .status(StatusMessage("cancelled; nothing written"))
            case .confirmed(let request):
                overrideDialog = nil
                return perform(request, services: services)
            }
        }
        if var panel = evaluate {
            evaluate = panel.handle(key, services: services) == .close ? nil : panel
        }
        return .none
    }

    public mutating func perform(_ action: Action, services: ScreenServices) -> ScreenAction {
        let last = max(0, lines.count - 1)
        switch action {
        case .back: return .back
        case .down: scroll = min(scroll + 1, last)
        case .up: scroll = max(0, scroll - 1)
        case .pageDown: scroll = min(scroll + 10, last)
        case .pageUp: scroll = max(0, scroll - 10)
        case .top: scroll = 0
        case .bottom: scroll = last
        case .history: return .push(HistoryScreen(flag: flagKey, services: services))
        case .evaluate:
            evaluate = EvaluatePanel(flag: flagKey, environments: services.data.environments.map(\.id), start: envPath)
        case .rawRules:
            rawRules.toggle()
            reload(services: services)
        case .addOverride: overrideDialog = .add(flag: flagKey, env: envPath)
        case .removeOverride:
            guard !overrides.isEmpty else { return .status(StatusMessage("\(flagKey) has no overrides", kind: .error)) }
            overrideDialog = .remove(flag: flagKey, overrides: overrides)
        case .nextJobs, .previousJobs, .filterJobs, .jobsValue:
            return performJobs(action, services: services)
        }
        return .none
    }

    /// The jobs panel's keys; a flag that lives in no table says so instead.
    mutating func performJobs(_ action: Action, services sv: ScreenServices) -> ScreenAction {
        guard var panel = jobs else {
            return .status(StatusMessage("\(flagKey) is not bound to a DynamoDB table in any environment; it has no jobs to list",
                                         kind: .error))
        }
        defer { jobs = panel }
        switch action {
        case .nextJobs:
            if !panel.turn(forward: true, sv.operations) { return .status(StatusMessage("last page of jobs")) }
        case .previousJobs:
            if !panel.turn(forward: false, sv.operations) { return .status(StatusMessage("first page of jobs")) }
        case .filterJobs: panel.startFilter()
        case .jobsValue: panel.cycleValue(sv.operations)
        default: break
        }
        return .none
    }

    static var jobsKeys: (next: String, previous: String, filter: String, value: String) {
        (key(.nextJobs), key(.previousJobs), key(.filterJobs), key(.jobsValue))
    }

    /// The only writes of this screen, through `Operations` (audited as override.set /
    /// override.remove). The access policy is checked first, like the grid's kill, so a
    /// forbidden environment is explained instead of recorded as a denial.
    func perform(_ request: OverrideDialog.Request, services sv: ScreenServices) -> ScreenAction {
        let ops = sv.operations
        do {
            switch request {
            case .set(let env, let key, let equals, let serve, let expires, let reason):
                if let e = sv.data.environments.first(where: { $0.id.path == env }),
                   let refusal = sv.access.refusal(changing: [e.id]) {
                    return .status(refusal)
                }
                let o = try ops.setOverride(flag: flagKey, env: env, key: key, equals: equals, serve: serve,
                                            expires: expires, reason: reason)
                return .wrote(StatusMessage("override \(o.id) set: \(Self.describe(o))", kind: .success))
            case .remove(let id, let reason):
                if let o = overrides.first(where: { $0.id == id }), let refusal = sv.access.refusal(changing: [o.env]) {
                    return .status(refusal)
                }
                let o = try ops.removeOverride(id: id, reason: reason)
                return .wrote(StatusMessage("override \(o.id) removed from \(o.env.path)", kind: .success))
            }
        } catch {
            return .status(StatusMessage(DashboardApp.message(error), kind: .error))
        }
    }

    /// "#3 acme/dev: when user_id = "u-1" serve true, expires 2030-01-01, by alice".
    static func describe(_ o: Override) -> String {
        "#\(o.id) \(o.env.path): when \(o.contextKey) = \(JSONWriter.compact(o.matchValue)) serve \(o.serve)"
            + (o.expiresAt.map { ", expires \(UTC.format($0))" } ?? "") + ", by \(o.createdBy)"
    }

    static func load(flag key: String, rawRules: Bool = false, services sv: ScreenServices) throws -> ([(String, ThemeRole)], [Override]) {
        let (flag, states, lifecycle, overrides) = try sv.store.read { r in
            (try r.flag(key: key), try r.states(flag: key), try LifecycleContext.load(flags: [key], from: r),
             try r.overrides(flag: key, env: nil))
        }
        guard let flag else { throw FlagDeckError.unknownFlag(key) }
        let envs = sv.data.environments
        let byEnv = Dictionary(states.map { ($0.env, $0) }, uniquingKeysWith: { a, _ in a })
        let cells = envs.compactMap { byEnv[$0.id] }
        let now = sv.now
        var out: [(String, ThemeRole)] = [
            ("  key:         \(flag.key)", .grid),
            ("  owner:       \(flag.owner ?? "(none)")", .grid),
            ("  type:        \(flag.type.rawValue)", .grid),
            ("  description: \(flag.description.isEmpty ? "(none)" : flag.description)", .grid),
            ("  tags:        \(flag.tags.isEmpty ? "(none)" : flag.tags.joined(separator: ", "))", .grid),
            ("  created:     \(UTC.format(flag.createdAt)) (\(Age.compact(now.timeIntervalSince(flag.createdAt))) ago)", .grid),
            ("  expires:     \(flag.expiresAt.map(UTC.formatDay) ?? "(never)")", .grid),
            ("", .grid),
            ("  DEPENDENCIES", .header),
            ("  depends on:  \(flag.dependsOn.isEmpty ? "(nothing)" : flag.dependsOn.joined(separator: ", "))", .grid),
        ]
        let needed = DependencyGraph.dependents(of: flag.key, in: sv.allFlags())
        out.append(("  needed by:   \(needed.isEmpty ? "(nothing)" : needed.joined(separator: ", "))", needed.isEmpty ? .grid : .partial))
        out.append(("", .grid))
        out.append(("  ENVIRONMENT                 STATE                      VERSION  DEFAULT       RULES", .header))
        for env in envs {
            guard let s = byEnv[env.id] else { continue }
            let recent = now.timeIntervalSince(s.changedAt) < 86_400
            let name = (env.isProtected ? sv.glyphs.protected : " ") + env.id.path
            let rules = rawRules ? RuleText.rawLines(s.rules) : RuleText.lines(s.rules)
            let count = RuleText.count(s.rules)
            let line = "  " + DisplayWidth.fit(DisplayWidth.truncate(name, to: 27, ellipsis: sv.glyphs.ellipsis), to: 28)
                + DisplayWidth.fit(CellFormat.summary(s), to: 27)
                + DisplayWidth.fit("v\(s.version)", to: 9) + DisplayWidth.fit(Self.compact(s.defaultValue), to: 14)
                + (count == 0 ? "(none)" : count == 1 ? "1 rule" : "\(count) rules")
            out.append((line, CellFormat.role(s, recent: recent)))
            // One readable line per rule, in evaluation order (`r` shows the stored JSON).
            for r in rules { out.append(("      " + (rawRules ? "" : "rule ") + r, .grid)) }
            out.append(("      changed \(UTC.format(s.changedAt)) by \(s.changedBy)", .grid))
        }
        out.append(("", .grid))
        let hints = lifecycle.hints(for: flag, cells: cells, now: now)
        out.append(("  HINTS", .header))
        if hints.hints.isEmpty { out.append(("  (none)", .grid)) }
        for h in hints.hints {
            out.append(("  [\(h.severity.name)] \(h.kind.rawValue): \(h.facts)", hints.silenced ? .grid : .partial))
            out.append(("      \(h.advice)", .grid))
        }
        if let m = hints.mark {
            out.append(("  review mark: \(m.summary) — \(m.reason) (\(m.by), \(UTC.formatDay(m.at)))\(hints.silenced ? "; silences the hints" : "")", .grid))
        }
        out.append(("", .grid))
        out.append(("  OVERRIDES" + (sv.readOnly ? "" : "   (\(Self.key(.addOverride)) add, \(Self.key(.removeOverride)) remove)"), .header))
        if overrides.isEmpty { out.append(("  (none)", .grid)) }
        for o in overrides { out.append(("  " + describe(o), o.isExpired(at: now) ? .off : .grid)) }
        out.append(("", .grid))
        out.append(("  RETIREMENT CHECKLIST", .header))
        for item in RetirementChecklist.items(flag: flag, cells: cells, activity: lifecycle.activity(of: flag.key),
                                              settings: lifecycle.settings, now: now) {
            out.append(("  " + item.line, item.passed ? .on : .danger))
        }
        return (out, overrides)
    }

    /// JSON on one line with runs of whitespace squeezed, for the state table.
    static func compact(_ json: String) -> String {
        json.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    public func render(on s: any Surface, context c: RenderContext) -> StatusBar {
        if let loadError {
            s.draw("  " + loadError, row: 2, col: 0, width: s.cols, style: c.theme[.danger])
        }
        let panel = (jobs?.lines(width: s.cols, keys: Self.jobsKeys) ?? []) + (evaluate?.lines(width: s.cols) ?? [])
        for (i, (text, role)) in lines.dropFirst(scroll).prefix(max(0, s.rows - 2 - panel.count)).enumerated() {
            s.draw(text, row: 1 + i, col: 0, width: s.cols, style: c.theme[role])
        }
        for (i, (text, role)) in panel.enumerated() {
            s.fillRow(s.rows - 1 - panel.count + i, text, style: c.theme[role])
        }
        overrideDialog?.render(on: s, context: c)
        if overrideDialog != nil { return .modal(" Enter next/confirm   ↑↓ move   Esc cancel") }
        if evaluate != nil { return .modal(" type a context JSON   Enter evaluate   Tab next environment   Esc close panel") }
        if jobs?.field != nil { return .modal(" type part of a job id   Enter keep the filter   Esc clear it") }
        return .hints(position: "\(min(scroll + 1, lines.count))/\(lines.count)")
    }
}
