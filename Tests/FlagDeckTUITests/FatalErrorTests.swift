import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

/// The dashboard's fatal-error path without a terminal: the hidden `:debug-fatal`
/// command records a `DashboardFatalError` (which `Dashboard.loop` throws, so `run`
/// restores the terminal before printing it) and writes nothing. The terminal side is
/// `TmuxTerminalTests.fatalErrorRestoresTheTerminalThenExplains`.
@Suite struct FatalErrorTests {
    @Test func debugFatalCommandRaisesTheFatalError() throws {
        let f = try Fixture()
        var app = try f.app()
        let events = try f.eventCount()
        #expect(app.fatal == nil)
        app.press(.char(":"))
        app.type("debug-fatal")
        #expect(app.fatal == nil, "nothing until Enter")
        app.press(.enter)
        #expect(app.fatal == DashboardFatalError.debugCommand)
        #expect(app.fatal?.description == "forced by the :debug-fatal command")
        #expect(try f.eventCount() == events)
    }

    @Test func debugFatalIsHiddenFromHelpAndOtherCommandsAreNotFatal() throws {
        #expect(CommandLineInput.parse("debug-fatal") == .debugFatal)
        let f = try Fixture()
        var app = try f.app()
        let help = HelpScreen(for: app.grid, context: app.context)
        #expect(!help.lines.contains { $0.contains("debug-fatal") })
        #expect(help.lines.contains { $0.contains(":env NAME") }, "the other commands are listed")
        for cmd in ["env prod", "flag dark-mode", "sort owner", "nonsense", "debug-fatal-not"] {
            app.press(.char(":"))
            app.type(cmd)
            app.press(.enter)
            #expect(app.fatal == nil, ":\(cmd)")
        }
    }
}
