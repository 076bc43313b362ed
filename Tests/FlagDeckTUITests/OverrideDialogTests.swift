import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

@Suite struct OverrideDialogTests {
    func detail(_ app: inout DashboardApp) -> FlagDetailScreen? {
        guard let d = app.top(FlagDetailScreen.self) else { return nil }
        return d
    }

    @Test func addEvaluateAndRemoveAnOverride() throws {
        let f = try Fixture()
        var app = try f.app(rows: 50, cols: 140)
        app.select(flag: "checkout-v2", env: "acme/dev")
        app.press(.enter)
        #expect(app.screen(rows: 50, cols: 140).text.contains("OVERRIDES   (o add, x remove)"))

        // Esc cancels and writes nothing.
        let before = try f.eventCount()
        app.press(.char("o"))
        app.type("x")
        app.press(.escape)
        #expect(try f.eventCount() == before)
        #expect(app.status?.text == "cancelled; nothing written")

        app.press(.char("o"))
        #expect(app.screen(rows: 50, cols: 140).text.contains("ADD an override to checkout-v2"))
        app.press(.enter)                       // environment prefilled from the grid cursor
        app.press(.enter)                       // empty key is refused on the last field, see below
        app.type("\"u-1\"")
        app.press(.enter, .enter, .enter)       // serve true (prefilled), no expiry
        app.type("beta tester")
        app.press(.enter)
        #expect(app.screen(rows: 50, cols: 140).text.contains("the context key is required"))
        app.type("user_id")
        app.press(.down, .down, .down, .down, .enter)
        let set = try f.store.read { try $0.overrides(flag: "checkout-v2", env: nil) }
        #expect(set.count == 1)
        #expect(set.first?.contextKey == "user_id")
        #expect(set.first?.matchValue == .string("u-1"))
        #expect(app.status?.text.contains("override \(set[0].id) set") == true)
        #expect(app.screen(rows: 50, cols: 140).text.contains("acme/dev: when user_id = \"u-1\" serve true, by alice"))
        let events = try f.store.read { try $0.events(AuditQuery(flag: "checkout-v2", limit: 1)) }
        #expect(events.first?.action == AuditAction.overrideSet)
        #expect(events.first?.reason == "beta tester")

        // acme/dev is on at 100%, but the override decides first.
        app.press(.char("e"), .ctrl("u"))
        app.type("{\"user_id\": \"u-1\"}")
        app.press(.enter)
        #expect(app.screen(rows: 50, cols: 140).text.contains("because: override: context user_id equals"))
        app.press(.escape)

        app.press(.char("x"))
        #expect(app.screen(rows: 50, cols: 140).text.contains("REMOVE an override of checkout-v2"))
        app.type("beta over")
        app.press(.enter)
        #expect(try f.store.read { try $0.overrides(flag: "checkout-v2", env: nil) }.isEmpty)
        let removed = try f.store.read { try $0.events(AuditQuery(flag: "checkout-v2", limit: 1)) }
        #expect(removed.first?.action == AuditAction.overrideRemove)
        #expect(removed.first?.reason == "beta over")
        #expect(detail(&app)?.overrides.isEmpty == true)
    }

    @Test func readOnlyHidesOverrideKeys() throws {
        let f = try Fixture()
        var app = try f.app(readOnly: true, rows: 50, cols: 140)
        app.run(.flag("checkout-v2"))
        app.press(.enter)
        let s = app.screen(rows: 50, cols: 140)
        #expect(!s.text.contains("o add"))
        #expect(!s.row(49).contains("override"))
        let before = try f.eventCount()
        app.press(.char("o"))
        #expect(app.status?.kind == .error)
        #expect(detail(&app)?.overrideDialog == nil)
        #expect(try f.eventCount() == before)
    }
}
