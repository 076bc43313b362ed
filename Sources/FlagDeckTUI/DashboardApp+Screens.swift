import FlagDeckCore
import Foundation

/// Routing for the screens stacked over the grid, kept out of `DashboardApp.swift` so the
/// grid's own key handling stays readable.
extension DashboardApp {
    var services: ScreenServices {
        ScreenServices(store: store, operations: operations, data: model.data, readOnly: effectiveReadOnly,
                       glyphs: glyphs, now: clock())
    }

    mutating func openScreen(_ screen: PushedScreen) {
        status = nil
        returnStack = nil
        mode = .screens(ScreenStack(screen))
    }

    mutating func handleScreens(_ key: Key, _ stack: inout ScreenStack) {
        if key != .resize { status = nil }
        if key == .ctrl("l") { wantsFullRepaint = true; return }
        // `:` works over any screen that is not taking typed text.
        if key == .char(":"), !stack.isTyping {
            returnStack = stack
            mode = .command(CommandLineInput())
            return
        }
        switch stack.handle(key, services: services) {
        case .none: mode = .screens(stack)
        case .back:
            returnStack = nil
            mode = .grid
        case .push:
            // `ScreenStack.handle` performs pushes itself and never returns one.
            mode = .screens(stack)
        case .status(let m):
            status = m
            mode = .screens(stack)
        case .wrote(let m):
            // Our write moved the change token; reload the grid, then what the screens show.
            poll()
            status = m
            stack.reload(services: services)
            mode = .screens(stack)
        case .help:
            returnStack = stack
            mode = .help(scroll: 0)
        }
    }
}

extension DashboardApp {
    /// Someone else changed the data: the detail and review screens re-read it so they
    /// never show a state the grid no longer shows. History is left where it is (the
    /// operator may be deep in it); reopening it shows the new events.
    mutating func refreshScreens() {
        guard case .screens(var stack) = mode else { return }
        stack.refresh(services: services)
        mode = .screens(stack)
    }
}
