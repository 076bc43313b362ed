import FlagDeckCore
import Foundation

/// A screen of the dashboard: the grid, detail, history, review, help. Each owns its
/// state, its dialogs and its key table (lazygit's controllers own their bindings the
/// same way); `DashboardApp` only stacks screens, routes keys and refreshes data.
///
/// A key reaches a screen like this: an open dialog, panel or text field takes it
/// (`handleTyping`); otherwise the screen's table decides (`perform` with the bound
/// action, after `WriteAccess` for mutating keys); a key not in the table falls through to
/// `GlobalBindings`.
public protocol Screen: Sendable {
    associatedtype Action: Hashable & Sendable
    /// Every key of this screen, in help order.
    static var bindings: [KeyBinding<Action>] { get }
    /// The breadcrumb segment (`flag checkout.v2`).
    var title: String { get }
    /// False for screens that draw their own top row (the grid's header, help's title).
    var showsBreadcrumb: Bool { get }
    /// True while a dialog, panel or text field is open: keys are typing, not commands.
    var isTyping: Bool { get }
    mutating func handleTyping(_ key: Key, services: ScreenServices) -> ScreenAction
    mutating func perform(_ action: Action, services: ScreenServices) -> ScreenAction
    /// Draws everything but the status line and says what the status line shows.
    func render(on s: any Surface, context c: RenderContext) -> StatusBar
    /// After a write from this dashboard: re-read what the screen shows.
    mutating func reload(services: ScreenServices)
    /// After a change by someone else (live refresh); history keeps its place instead.
    mutating func refresh(services: ScreenServices)
    /// Lines help shows below this screen's keys (what the cells mean, for the grid).
    func helpNotes(context c: RenderContext) -> [String]
}

extension Screen {
    public var showsBreadcrumb: Bool { true }
    public mutating func refresh(services: ScreenServices) { reload(services: services) }
    public func helpNotes(context c: RenderContext) -> [String] { [] }

    public static var bindingInfo: [BindingInfo] { bindings.map(\.info) }

    /// The first key bound to `action`, as help writes it, so on-screen text that names a
    /// key takes it from the table.
    public static func key(_ action: Action) -> String {
        bindings.first { $0.action == action }?.keys.first?.label ?? "?"
    }
    public var keyTable: [BindingInfo] { Self.bindingInfo }

    /// The table's action for `key`, performed; nil when the table does not bind it. A
    /// mutating binding is refused here, in one place, when this operator may change nothing.
    mutating func dispatch(_ key: Key, services: ScreenServices) -> Dispatched? {
        guard let b = Self.bindings.binding(for: key) else { return nil }
        let name = "\(Self.self).\(b.action)"
        if b.mutating, let refusal = services.access.refusal() { return Dispatched(action: name, result: .status(refusal)) }
        return Dispatched(action: name, result: perform(b.action, services: services))
    }

    /// Performs the action bound to `key` as if it had been pressed (a filter prompt
    /// hands the arrow keys back to the screen this way).
    mutating func performBinding(for key: Key, services: ScreenServices) -> ScreenAction {
        dispatch(key, services: services)?.result ?? .none
    }
}

/// Which action a key reached, by name (`GridScreen.kill`), and what the dashboard does next.
public struct Dispatched: Sendable {
    public var action: String
    public var result: ScreenAction
}

/// What a screen needs from the dashboard. Passed in on every key rather than stored, so
/// a screen never holds a stale grid after a reload.
public struct ScreenServices: Sendable {
    public var store: any FlagStore
    /// Writes use the real clock, always: a dashboard opened with `--now` judges ages by
    /// that time but records its changes as made now.
    public var operations: Operations
    public var data: GridData
    public var access: WriteAccess
    public var glyphs: Glyphs
    /// The judging clock: ages, hints, recent markers, expiry.
    public var now: Date

    /// Mutating keys are hidden and refused.
    public var readOnly: Bool { !access.mayChangeSomething }

    /// Every flag, for what must see them all (the dependents a kill also switches off)
    /// even while the grid is still loading.
    public func allFlags() -> [Flag] {
        data.complete ? data.allFlags : ((try? store.read { try $0.flags() }) ?? data.allFlags)
    }
}

/// What a screen asks of the dashboard after a key.
public enum ScreenAction: Sendable {
    case none
    case back
    case push(any Screen)
    case status(StatusMessage)
    /// Something was (or may have been) written through `Operations`: the grid reloads,
    /// the screens re-read, then the message shows. Also used for a refused write such
    /// as a conflict, so the screen shows what beat it.
    case wrote(StatusMessage)
    case help
    case commandLine
    case redraw
    case quit
}

/// What the bottom line shows when there is no status message.
public enum StatusBar: Sendable, Equatable {
    /// The screen's and the global hints from the key tables, and the position (`3/10`).
    case hints(position: String?)
    /// A dialog or panel is open: its own keys.
    case modal(String)
    /// The screen drew the bottom line itself (a prompt being typed).
    case drawn
}
