import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

@Suite struct EvaluatePanelTests {
    @Test func explainsTheDecidingStepPerEnvironment() throws {
        let f = try Fixture()
        var app = try f.app(rows: 40, cols: 140)
        app.select(flag: "checkout-v2", env: "acme/dev")
        app.press(.enter, .char("e"))
        var s = app.screen(rows: 40, cols: 140)
        #expect(s.text.contains("EVALUATE checkout-v2 in acme/dev"))
        app.press(.enter)
        s = app.screen(rows: 40, cols: 140)
        #expect(s.text.contains("value: true"), "\(s.text)")
        #expect(s.text.contains("because: rollout 100%: on for every context"))

        // Tab walks the environments: globex/staging never enabled checkout-v2.
        while let d = app.top(FlagDetailScreen.self), d.evaluate?.env?.path != "globex/staging" {
            app.press(.tab)
        }
        s = app.screen(rows: 40, cols: 140)
        #expect(s.text.contains("EVALUATE checkout-v2 in globex/staging"))
        #expect(s.text.contains("value: false"))
        #expect(s.text.contains("because: disabled: serves the off value"))

        // Typing goes to the panel, not to the detail screen's keys.
        app.press(.ctrl("u"))
        app.type("{\"targetingKey\": ")
        app.press(.enter)
        s = app.screen(rows: 40, cols: 140)
        #expect(s.text.contains("bad JSON:"))
        guard let d = app.top(FlagDetailScreen.self) else { Issue.record("still detail"); return }
        #expect(d.evaluate != nil)
        app.press(.escape)
        guard let d2 = app.top(FlagDetailScreen.self) else { Issue.record("Esc closes only the panel"); return }
        #expect(d2.evaluate == nil)
    }

    @Test func partialRolloutNamesTheBucket() throws {
        let f = try Fixture()
        var app = try f.app(rows: 40, cols: 140)
        app.select(flag: "new-search", env: "globex/staging")
        app.press(.enter, .char("e"), .enter)
        let s = app.screen(rows: 40, cols: 140)
        #expect(s.text.contains("EVALUATE new-search in globex/staging"))
        #expect(s.text.contains("because: rollout: bucket "))
        #expect(s.text.contains("25%"))
    }
}
