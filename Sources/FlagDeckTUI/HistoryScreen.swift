import FlagDeckCore
import Foundation

/// A flag's audit trail (or everyone's, from `H` on the grid), newest first, with the
/// served percentage over time per environment above it. The log can hold hundreds of
/// thousands of events, so it is read in keyset pages: the next page is fetched only when
/// the cursor nears the end of what is loaded, and each fetch costs the same however deep
/// the operator has scrolled.
public struct HistoryScreen: Screen {
    public static let pageSize = 200

    /// Narrows the query; each part is index-backed in the store.
    public struct Filter: Sendable, Equatable {
        public var env: String?
        public var `operator`: String?
        public var action: String?
        /// Only in the all-flags view (`H`); a flag's own history is already narrowed.
        public var flag: String?

        public init(env: String? = nil, operator: String? = nil, action: String? = nil, flag: String? = nil) {
            self.flag = flag
            self.env = env
            self.operator = `operator`
            self.action = action
        }

        /// `env=acme/prod op=alice action=kill`; a bare word is taken as an action. An
        /// empty text clears every filter.
        public static func parse(_ text: String) -> Result<Filter, DialogRefusal> {
            var f = Filter()
            for word in text.split(separator: " ") {
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                let (name, value) = parts.count == 2 ? (parts[0], parts[1]) : ("action", parts[0])
                switch name {
                case "env", "e": f.env = value
                case "operator", "op", "o", "who": f.operator = value
                case "action", "a": f.action = value
                case "flag", "f": f.flag = value
                default: return .failure(DialogRefusal(message: "unknown filter \"\(name)\"; use env=, op=, action=, flag="))
                }
            }
            return .success(f)
        }

        public var text: String {
            [flag.map { "flag=\($0)" }, env.map { "env=\($0)" }, `operator`.map { "op=\($0)" }, action.map { "action=\($0)" }]
                .compactMap { $0 }.joined(separator: " ")
        }
    }

    public let flag: String?
    public private(set) var filter: Filter
    public private(set) var events: [AuditEvent] = []
    /// The chart's data: the flag's latest events whatever the filter, so filtering the
    /// list by operator or action does not bend the rollout curve. Bounded, so opening
    /// the screen costs the same at a million events.
    public private(set) var timeline = RolloutTimeline(events: [])
    public private(set) var timelineStart: Date?
    public static let timelineLimit = 2_000
    /// True once a page came back short: there is nothing older to fetch.
    public private(set) var exhausted = false
    public private(set) var cursor = 0
    public private(set) var top = 0
    public private(set) var pagesLoaded = 0
    public private(set) var problem: String?
    /// The filter prompt while it is open.
    public private(set) var editing: TextField?
    /// Enter shows the selected event's raw before/after snapshots, for audits that need
    /// more than the one-line diff.
    public private(set) var expanded = false
    var pageRows = 20

    public init(flag: String?, filter: Filter = Filter(), services: ScreenServices) {
        self.flag = flag
        self.filter = filter
        reload(services: services)
    }

    /// Starts again from the newest event (after a write or a new filter).
    public mutating func reload(services: ScreenServices) {
        events = []
        exhausted = false
        pagesLoaded = 0
        cursor = 0
        top = 0
        if let flag {
            let recent = (try? services.store.read { try $0.events(AuditQuery(flag: flag, limit: Self.timelineLimit)) }) ?? []
            timeline = RolloutTimeline(events: recent)
            timelineStart = recent.last?.date
        }
        loadMore(services: services)
    }

    mutating func loadMore(services: ScreenServices) {
        guard !exhausted else { return }
        let q = AuditQuery(flag: flag ?? filter.flag, env: filter.env, operator: filter.operator, action: filter.action,
                           afterCursor: events.last?.seq, limit: Self.pageSize)
        do {
            let page = try services.store.read { try $0.events(q) }
            events += page
            pagesLoaded += 1
            exhausted = page.count < Self.pageSize
            problem = nil
        } catch {
            problem = DashboardApp.message(error)
            exhausted = true
        }
    }

    public enum Action: Hashable, Sendable { case back, down, up, pageDown, pageUp, top, bottom, filter, expand }

    public static let bindings: [KeyBinding<Action>] = [
        KeyBinding([.escape, .char("q")], .back, "back to the previous screen", hint: "back"),
        KeyBinding([.down, .char("j")], .down, "move", hint: "move"),
        KeyBinding([.up, .char("k")], .up, "move"),
        KeyBinding([.pageDown, .ctrl("f"), .char(" ")], .pageDown, "page down / up"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, "page down / up"),
        KeyBinding([.char("g"), .home], .top, "newest / end of what is loaded", hint: "top/end"),
        KeyBinding([.char("G"), .end], .bottom, "newest / end of what is loaded"),
        KeyBinding([.enter], .expand, "show / hide the event's raw before and after", hint: "before/after"),
        KeyBinding([.char("f"), .char("/")], .filter, "filter: env=ACCOUNT/ENV op=NAME action=NAME flag=KEY", hint: "filter"),
    ]

    public var title: String { flag.map { "history \($0)" } ?? "history (all flags)" }
    public var isTyping: Bool { editing != nil }

    public mutating func handleTyping(_ key: Key, services: ScreenServices) -> ScreenAction {
        guard var field = editing else { return .none }
        switch key {
        case .escape: editing = nil
        case .enter:
            editing = nil
            switch Filter.parse(field.text) {
            case .success(let f):
                filter = f
                reload(services: services)
                return .status(StatusMessage(f.text.isEmpty ? "showing all events" : "filtered: \(f.text)"))
            case .failure(let r): return .status(StatusMessage(r.message, kind: .error))
            }
        default:
            _ = field.edit(key)
            editing = field
        }
        return .none
    }

    public mutating func perform(_ action: Action, services: ScreenServices) -> ScreenAction {
        switch action {
        case .back: return .back
        case .down: move(1, services)
        case .up: move(-1, services)
        case .pageDown: move(pageRows, services)
        case .pageUp: move(-pageRows, services)
        case .top: move(-cursor, services)
        case .bottom: move(events.count, services)
        case .filter: editing = TextField(filter.text)
        case .expand: expanded.toggle()
        }
        return .none
    }

    /// Live refresh leaves the list where it is: the operator may be deep in it, and
    /// reopening the screen shows the new events.
    public mutating func refresh(services: ScreenServices) {}

    /// Moves the selection; nearing the end of what is loaded fetches the next page.
    mutating func move(_ delta: Int, _ services: ScreenServices) {
        cursor = max(0, min(cursor + delta, events.count - 1))
        if !exhausted && cursor >= events.count - pageRows { loadMore(services: services) }
        if cursor < top { top = cursor }
        if cursor >= top + pageRows { top = cursor - pageRows + 1 }
    }

    /// One event as a row: when, who, action, environment, what changed, why.
    static func row(_ e: AuditEvent, showFlag: Bool, ellipsis: String) -> String {
        col(when(e), 20) + name(e.operator, 11, ellipsis) + col(e.action, 12)
            + (showFlag ? name(e.flag ?? "-", 20, ellipsis) : "") + name(e.env ?? "-", 17, ellipsis) + change(e)
    }

    /// A column that keeps a space before the next even when its text is cut.
    static func col(_ text: String, _ width: Int) -> String { DisplayWidth.fit(text, to: width - 1) + " " }

    /// A column for a name (flag, environment, operator), cut in the middle like the
    /// grid's keys: `payments-prod/prod-eu` and `…/prod-us` must not both read `payments-prod/pr`.
    static func name(_ text: String, _ width: Int, _ ellipsis: String) -> String {
        col(DisplayWidth.truncate(text, to: width - 1, ellipsis: ellipsis), width)
    }

    /// To the second: the milliseconds matter to nobody reading a history.
    static func when(_ e: AuditEvent) -> String {
        guard e.date != .distantPast else { return e.at }
        return String(UTC.format(e.date).prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    static func change(_ e: AuditEvent) -> String {
        EventDiff.describe(before: e.before, after: e.after) + (e.reason.isEmpty ? "" : " — \"\(e.reason)\"")
    }

    public func render(on s: any Surface, context c: RenderContext) -> StatusBar {
        var row = 1
        let what = (flag.map { "events of \($0)" } ?? "events of all flags")
            + (filter.text.isEmpty ? "" : " [\(filter.text)]")
            + "  \(events.count)\(exhausted ? "" : "+") loaded, \(pagesLoaded) page\(pagesLoaded == 1 ? "" : "s")"
        s.draw(" " + what, row: row, col: 0, width: s.cols, style: c.theme[.grid])
        row += 1
        if let problem {
            s.draw(" " + problem, row: row, col: 0, width: s.cols, style: c.theme[.danger])
            row += 1
        }
        if flag != nil, let from = timelineStart {
            let to = c.now
            let envs = timeline.steps.keys.sorted().prefix(max(1, (s.rows - 8) / 3))
            if !envs.isEmpty {
                s.draw(" served % \(UTC.formatDay(from)) → now", row: row, col: 0, width: s.cols, style: c.theme[.header])
                row += 1
            }
            for env in envs {
                let pct = timeline.value(env: env, at: to).map { Percent.format($0) + "%" } ?? "-"
                let label = " " + Self.name(env, 21, c.glyphs.ellipsis) + DisplayWidth.fitRight(pct, to: 6) + " "
                let width = max(1, s.cols - DisplayWidth.of(label) - 1)
                s.draw(label + timeline.sparkline(env: env, from: from, to: to, width: width), row: row, col: 0,
                       width: s.cols, style: c.theme[.partial])
                row += 1
            }
        }
        s.fillRow(row, " " + Self.col("WHEN (UTC)", 20) + Self.col("WHO", 11) + Self.col("ACTION", 12)
                  + (flag == nil ? Self.col("FLAG", 20) : "") + Self.col("ENV", 17) + "CHANGE — REASON",
                  style: c.theme[.header])
        row += 1
        // The selected event in full below the list, for terminals too narrow for the row.
        let selected = events.indices.contains(cursor) ? events[cursor] : nil
        var footer: [String] = []
        if let e = selected {
            footer.append(" #\(e.seq) \(Self.when(e)) \(e.operator)@\(e.host) \(e.action) \(e.flag ?? "") \(e.env ?? ""): "
                          + Self.change(e))
            if expanded {
                footer.append(" before: \(e.before ?? "(none)")")
                footer.append(" after:  \(e.after ?? "(none)")")
            }
        }
        for (i, line) in footer.enumerated() {
            s.fillRow(s.rows - 1 - footer.count + i, line, style: c.theme[.help])
        }
        let visible = max(1, s.rows - 1 - footer.count - row)
        let first = min(top, max(0, events.count - 1))
        let start = cursor >= first + visible ? cursor - visible + 1 : first
        if events.isEmpty {
            s.draw(" no events" + (filter.text.isEmpty ? "" : " match the filter (\(Self.key(.filter)) to change it)"), row: row, col: 0,
                   width: s.cols, style: c.theme[.grid])
        }
        for (i, e) in events.dropFirst(start).prefix(visible).enumerated() {
            let selected = start + i == cursor
            let style = selected ? c.theme[.grid].toggledReverse : c.theme[.grid]
            s.fillRow(row + i, " " + Self.row(e, showFlag: flag == nil, ellipsis: c.glyphs.ellipsis), style: style)
        }
        if let field = editing {
            s.fillRow(s.rows - 2, " filter (env=ACCOUNT/ENV op=NAME action=NAME; empty clears): "
                      + field.display(width: max(10, s.cols - 64), focused: true), style: c.theme[.dialog])
            return .modal(" type a filter   Enter apply   Esc cancel")
        }
        return .hints(position: events.isEmpty ? "0/0" : "\(cursor + 1)/\(events.count)\(exhausted ? "" : "+")")
    }
}
