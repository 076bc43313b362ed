import FlagDeckCore
import Foundation

/// What a screen pushed over the grid may need from the dashboard. Passed in on every key
/// rather than stored, so a screen never holds a stale grid after a reload.
public struct ScreenServices: Sendable {
    public var store: any FlagStore
    public var operations: Operations
    public var data: GridData
    public var readOnly: Bool
    public var glyphs: Glyphs
    public var now: Date
}

/// What a screen asks of the dashboard after a key.
public enum ScreenAction: Sendable {
    case none
    case back
    case push(PushedScreen)
    case status(StatusMessage)
    /// Something was written through `Operations`: the grid reloads and the status shows.
    case wrote(StatusMessage)
    case help
}

/// The screens that open over the grid. Enter → detail → `h` history is a stack, so Esc
/// walks back the way the operator came (the breadcrumb shows the path).
public enum PushedScreen: Sendable {
    case detail(FlagDetailScreen)
    case history(HistoryScreen)
    case review(ReviewScreen)

    var title: String {
        switch self {
        case .detail(let d): "flag \(d.flagKey)"
        case .history(let h): h.flag.map { "history \($0)" } ?? "history (all flags)"
        case .review: "review"
        }
    }
}

public struct ScreenStack: Sendable {
    public private(set) var screens: [PushedScreen]

    public init(_ first: PushedScreen) { screens = [first] }

    public var top: PushedScreen? { screens.last }

    /// Routes a key to the top screen. Returns the action for the dashboard; `.back` from
    /// the last screen reaches the dashboard, which returns to the grid.
    public mutating func handle(_ key: Key, services: ScreenServices) -> ScreenAction {
        guard var s = screens.popLast() else { return .back }
        let action: ScreenAction
        switch s {
        case .detail(var d):
            action = d.handle(key, services: services)
            s = .detail(d)
        case .history(var h):
            action = h.handle(key, services: services)
            s = .history(h)
        case .review(var r):
            action = r.handle(key, services: services)
            s = .review(r)
        }
        screens.append(s)
        switch action {
        case .back:
            screens.removeLast()
            return screens.isEmpty ? .back : .none
        case .push(let next):
            screens.append(next)
            return .none
        default:
            return action
        }
    }

    /// After a write, screens re-read what they show.
    public mutating func reload(services: ScreenServices) {
        screens = screens.map { s in
            switch s {
            case .detail(var d): d.reload(services: services); return .detail(d)
            case .history(var h): h.reload(services: services); return .history(h)
            case .review(var r): r.reload(services: services); return .review(r)
            }
        }
    }

    /// Live refresh: like `reload`, but history keeps its position.
    public mutating func refresh(services: ScreenServices) {
        screens = screens.map { s in
            switch s {
            case .detail(var d): d.reload(services: services); return .detail(d)
            case .review(var r): r.reload(services: services); return .review(r)
            case .history: return s
            }
        }
    }

    /// True while the top screen has a text field, dialog or panel open: keys are typing.
    public var isTyping: Bool {
        switch top {
        case .detail(let d): d.evaluate != nil || d.overrideDialog != nil
        case .history(let h): h.editing != nil
        case .review(let r): r.dialog != nil || r.editing != nil
        case nil: false
        }
    }

    public var breadcrumb: String { " grid › " + screens.map(\.title).joined(separator: " › ") }

    public func render(on s: any Surface, context c: RenderContext, status: StatusMessage?) {
        guard let top else { return }
        s.fillRow(0, breadcrumb, style: c.theme[.header])
        let hints: String
        switch top {
        case .detail(let d): hints = d.render(on: s, context: c)
        case .history(let h): hints = h.render(on: s, context: c)
        case .review(let r): hints = r.render(on: s, context: c)
        }
        if let status {
            s.fillRow(s.rows - 1, " " + status.text, style: status.kind == .error ? c.theme[.danger] : c.theme[.status])
        } else {
            s.fillRow(s.rows - 1, hints, style: c.theme[.status])
        }
    }
}
