import FlagDeckCore
import Foundation

/// The grid at the bottom and the screens opened over it. Enter → detail → `h` history
/// is a stack, so Esc walks back the way the operator came (the breadcrumb shows the
/// path). Screens are reached only through the `Screen` protocol: adding one never
/// touches this file.
public struct ScreenStack: Sendable {
    public internal(set) var grid: GridScreen
    public internal(set) var pushed: [any Screen] = []

    public init(grid: GridScreen) { self.grid = grid }

    public var top: any Screen { pushed.last ?? grid }

    public var breadcrumb: String { " grid › " + pushed.map(\.title).joined(separator: " › ") }

    mutating func push(_ s: any Screen) { pushed.append(s) }

    /// Back one screen; the grid stays.
    mutating func pop() { _ = pushed.popLast() }

    mutating func popToGrid() { pushed.removeAll() }

    /// A key for the top screen's open dialog, panel or text field.
    mutating func handleTyping(_ key: Key, services: ScreenServices) -> ScreenAction {
        guard var s = pushed.popLast() else { return grid.handleTyping(key, services: services) }
        defer { pushed.append(s) }
        return s.handleTyping(key, services: services)
    }

    /// A key for the top screen's table; nil when the table does not bind it.
    mutating func dispatch(_ key: Key, services: ScreenServices) -> Dispatched? {
        guard var s = pushed.popLast() else { return grid.dispatch(key, services: services) }
        defer { pushed.append(s) }
        return s.dispatch(key, services: services)
    }

    /// After a write from this dashboard, every screen re-reads what it shows.
    mutating func reload(services: ScreenServices) {
        for i in pushed.indices { pushed[i].reload(services: services) }
    }

    /// After someone else's change; each screen decides what that means for it.
    mutating func refresh(services: ScreenServices) {
        for i in pushed.indices { pushed[i].refresh(services: services) }
    }

    public func render(on s: any Surface, context c: RenderContext) -> StatusBar {
        let top = top
        if top.showsBreadcrumb { s.fillRow(0, breadcrumb, style: c.theme[.header]) }
        return top.render(on: s, context: c)
    }
}
