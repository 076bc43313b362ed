import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

/// Issue 12 item 8: screen defects seen on the demo, each pinned by the screen an
/// operator would have misread.
@Suite struct ScreenDefectsTests {
    /// Two environments of one account whose names differ only at the end.
    static func euAndUs() throws -> Fixture {
        let f = try Fixture()
        for name in ["prod-eu", "prod-us"] {
            try f.ops.createEnvironment(EnvironmentID(account: "payments-prod", name: name), protected: false)
            try f.ops.setEnabled(true, flag: "dark-mode", env: "payments-prod/\(name)", reason: "launch")
        }
        return f
    }

    @Test func historyCutsEnvironmentNamesInTheMiddle() throws {
        let f = try Self.euAndUs()
        var app = try f.app(rows: 40, cols: 160)
        app.press(.char("H"))
        let s = app.screen(rows: 40, cols: 160)
        // The list rows of the two enables (the footer repeats the selected one in full, after "#seq").
        let rows = s.text.split(separator: "\n").map(String.init)
            .filter { $0.contains(" enable ") && $0.contains("payments") && !$0.hasPrefix(" #") }
        #expect(rows.count == 2, "\(s.text)")
        #expect(Set(rows).count == 2, "prod-eu and prod-us must not look the same:\n\(rows.joined(separator: "\n"))")
        #expect(rows.contains { $0.contains("…") && $0.contains("od-eu ") })
        #expect(rows.contains { $0.contains("…") && $0.contains("od-us ") })
    }

    @Test func singleEnvironmentFilterKeepsTheWholeAccountName() throws {
        let f = try Self.euAndUs()
        var app = try f.app(rows: 30, cols: 120)
        app.press(.char(":"))
        app.type("env prod-eu")
        app.press(.enter)
        #expect(app.model.visibleEnvs.count == 1)
        let s = app.screen(rows: 30, cols: 120)
        #expect(s.row(1).contains("│payments-prod"), "account header: \(s.row(1))")
        #expect(s.row(2).contains("prod-eu"))
    }

    @Test func accountNamesTooLongForTheirColumnsAreCutInTheMiddle() throws {
        let f = try Self.euAndUs()
        try f.ops.createEnvironment(EnvironmentID(account: "payments-test", name: "qa"), protected: false)
        try f.ops.createEnvironment(EnvironmentID(account: "zz", name: "x"), protected: false)
        let app = try f.app(rows: 30, cols: 200)
        let header = app.screen(rows: 30, cols: 200).row(1)
        // payments-test has one column and another account follows, so it cannot run on:
        // its end stays visible instead of reading like any other "payments-…" account.
        #expect(header.contains("│payments-prod"), "\(header)")
        #expect(header.contains("…st│zz"), "\(header)")
    }

    static let rules = #"[{"name":"internal staff","when_match":true,"conditions":[{"action":"ENDSWITH","key":"email","value":"@example.com"}]},"#
        + #"{"name":"eu beta","when_match":true,"conditions":[{"action":"IN","key":"region","value":["EU","UK"]},{"action":"EQUALS","key":"tier","value":"beta"}]}]"#

    @Test func detailShowsEachRuleAsOneReadableLineAndTheRawJSONOneKeyAway() throws {
        let f = try Fixture()
        try f.ops.setRules(flag: "dark-mode", env: "acme/dev", rules: Self.rules, defaultValue: "false", reason: "staff first")
        var app = try f.app(rows: 60, cols: 140)
        app.select(flag: "dark-mode", env: "acme/dev")
        app.press(.enter)
        var s = app.screen(rows: 60, cols: 140).text
        #expect(s.contains("rule internal staff: email ENDSWITH \"@example.com\" → on"), "\(s)")
        #expect(s.contains("rule eu beta: region IN [\"EU\",\"UK\"] and tier EQUALS \"beta\" → on"))
        #expect(s.contains("2 rules"))
        #expect(!s.contains("\"conditions\""), "no raw JSON by default")

        let raw = try #require(FlagDetailScreen.bindings.first { $0.action == .rawRules })
        app.press(raw.keys[0])
        s = app.screen(rows: 60, cols: 140).text
        // The stored JSON, pretty-printed so nothing runs off the edge.
        #expect(s.contains(#""name": "internal staff","#), "\(s)")
        #expect(s.contains(#""action": "ENDSWITH","#))
        #expect(!s.contains("rule internal staff:"))
        app.press(raw.keys[0])
        #expect(app.screen(rows: 60, cols: 140).text.contains("rule internal staff: email ENDSWITH"))
    }

    @Test func ruleTextCoversOddRules() {
        #expect(RuleText.lines("[]") == [])
        #expect(RuleText.lines("") == [])
        #expect(RuleText.lines(#"[{"name":"all","when_match":false,"conditions":[]}]"#) == ["all: always → off"])
        #expect(RuleText.lines(#"[{"name":"half","when_match":{"v":2},"conditions":[{"action":"MODULO_RANGE","key":"user_id","value":{"BASE":100,"START":0,"END":49}}]}]"#)
                == [#"half: user_id MODULO_RANGE {"BASE":100,"START":0,"END":49} → {"v":2}"#])
        #expect(RuleText.lines("not json") == ["not json"], "what is stored is never hidden")
    }

    /// A Powertools flag with default false and rules is stored enabled at 0 % with
    /// rules; "0%" reads as off during an incident, and it is not off.
    @Test func ruleOnlyCellsReadRulesNotZeroPercent() throws {
        let f = try Fixture()
        try f.ops.setEnabled(true, flag: "dark-mode", env: "acme/dev")
        try f.ops.setRollout(flag: "dark-mode", env: "acme/dev", basisPoints: 0)
        try f.ops.setRules(flag: "dark-mode", env: "acme/dev", rules: Self.rules, defaultValue: "false")
        var app = try f.app()
        let s = app.screen()
        let row = s.row(try #require(s.find("dark-mode")).row)
        #expect(row.contains("│RULES"), "\(row)")
        #expect(!row.contains("0%"), "\(row)")

        let state = try #require(try f.state("dark-mode", "acme/dev"))
        #expect(CellFormat.text(state, width: 9, recent: false, glyphs: .ascii) == "RULES    ")
        var plain = state
        plain.rules = "[]"
        #expect(CellFormat.text(plain, width: 9, recent: false, glyphs: .ascii).hasPrefix("0%"), "0 % without rules is 0 %")

        app.select(flag: "dark-mode", env: "acme/dev")
        app.press(.char("K"))
        #expect(app.screen().text.contains("current: ON for rule matches only"))
        app.press(.escape, .char("?"))
        #expect(app.screen(rows: 60, cols: 120).text.contains("RULES: enabled at 0 % with rules"), "help explains RULES")
    }
}

/// Issue 12 item 1, the dashboard half: `--now` judges ages and hints; what the
/// dashboard writes is recorded at the real time.
@Suite struct ClockSeparationTests {
    @Test func aDashboardPinnedTo2020RecordsItsKillAtTheRealTime() throws {
        let f = try Fixture()
        let pinned = try UTC.parseUserDate("2020-01-01")
        var app = try DashboardApp(store: f.store, theme: .default, glyphs: .unicode, actor: Fixture.actor, now: { pinned })
        app.resize(rows: 30, cols: 120)
        #expect(app.context.now == pinned, "ages and hints are judged in 2020")
        app.select(flag: "checkout-v2", env: "acme/dev")
        let before = Date()
        app.press(.char("K"))
        app.type("clock check")
        app.press(.enter)
        let after = Date()
        let event = try #require(try f.store.read { try $0.events(AuditQuery(flag: "checkout-v2", action: AuditAction.kill, limit: 1)) }.first)
        #expect(event.reason == "clock check")
        #expect(event.date >= before.addingTimeInterval(-1) && event.date <= after.addingTimeInterval(1),
                "recorded at \(event.at), not in 2020")
        #expect(try f.state("checkout-v2", "acme/dev")?.changedAt ?? .distantPast >= before.addingTimeInterval(-1))
    }
}
