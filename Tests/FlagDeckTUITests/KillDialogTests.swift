import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

@Suite struct KillDialogTests {
    @Test func unprotectedKillConfirmsOnReasonEnter() throws {
        let f = try Fixture()
        var app = try f.app()
        app.select(flag: "checkout-v2", env: "acme/dev")
        app.press(.char("K"))
        let s = app.screen()
        #expect(s.text.contains("KILL checkout-v2"))
        #expect(s.text.contains("account: acme   environment: dev"))
        #expect(s.text.contains("current: ON at 100%"))
        #expect(s.text.contains("dependents also affected: none"))
        #expect(!s.text.contains("to confirm:"), "no typed-key field outside protected environments")
        app.type("bad deploy")
        app.press(.enter)
        #expect(try f.state("checkout-v2", "acme/dev")?.killed == true)
        let status = app.screen().row(29)
        let seq = try f.store.read { try $0.head()?.seq }
        #expect(status.contains("killed checkout-v2 in acme/dev (audit seq \(seq!))"))
        let event = try f.store.read { try $0.events(AuditQuery(flag: "checkout-v2", limit: 1)).first }
        #expect(event?.action == "kill")
        #expect(event?.reason == "bad deploy")
        #expect(event?.operator == "alice")
        #expect(app.screen().text.contains("✖KILL"), "the grid reloads after the kill")
    }

    @Test func escapeCancelsAtEveryStepAndWritesNothing() throws {
        let f = try Fixture()
        var app = try f.app()
        let before = try f.eventCount()
        app.select(flag: "checkout-v2", env: "acme/prod")
        app.press(.char("K"))
        app.press(.escape)
        #expect(app.screen().row(29).contains("cancelled; nothing written"))
        app.press(.char("K"))
        app.type("reason")
        app.press(.enter)
        app.type("checkout")
        app.press(.escape)
        #expect(try f.eventCount() == before)
        #expect(try f.state("checkout-v2", "acme/prod")?.killed == false)
        #expect(!app.screen().text.contains("KILL checkout-v2"))
    }

    @Test func protectedKillRequiresTypingTheKey() throws {
        let f = try Fixture()
        var app = try f.app()
        app.select(flag: "checkout-v2", env: "acme/prod")
        app.press(.char("K"))
        #expect(app.screen().text.contains("▲ PROTECTED"))
        app.type("incident 7")
        app.press(.enter)
        #expect(try f.state("checkout-v2", "acme/prod")?.killed == false, "Enter on the reason only moves on")
        #expect(app.screen().text.contains("Type \"checkout-v2\" to confirm"))
        app.type("checkout-v1")
        app.press(.enter)
        #expect(app.screen().text.contains("does not match"))
        #expect(try f.state("checkout-v2", "acme/prod")?.killed == false, "a mismatch is refused")
        app.press(.backspace)
        app.type("2")
        app.press(.enter)
        #expect(try f.state("checkout-v2", "acme/prod")?.killed == true)
        let event = try f.store.read { try $0.events(AuditQuery(flag: "checkout-v2", limit: 1)).first }
        #expect(event?.reason == "incident 7")
    }

    @Test func missingReasonIsRefused() throws {
        let f = try Fixture()
        var app = try f.app()
        let before = try f.eventCount()
        app.select(flag: "dark-mode", env: "acme/dev")
        app.press(.char("K"))
        app.press(.enter)
        #expect(app.screen().text.contains("A reason is required"))
        app.type("   ")
        app.press(.enter)
        #expect(app.screen().text.contains("A reason is required"))
        #expect(try f.eventCount() == before)
        app.press(.escape)
    }

    @Test func dependentsAreListed() throws {
        let f = try Fixture()
        try f.ops.createFlag(Flag(key: "checkout-upsell", owner: "payments", createdAt: Fixture.now, dependsOn: ["checkout-v2"]))
        try f.ops.createFlag(Flag(key: "upsell-banner", owner: "web", createdAt: Fixture.now, dependsOn: ["checkout-upsell"]))
        var app = try f.app()
        app.poll()
        app.select(flag: "checkout-v2", env: "acme/dev")
        app.press(.char("K"))
        #expect(app.screen().text.contains("dependents also affected: checkout-upsell, upsell-banner"))
    }

    @Test func killEverywhereWithOneConfirmation() throws {
        let f = try Fixture()
        try f.ops.kill(flag: "checkout-v2", env: "globex/staging", reason: "earlier")
        var app = try f.app()
        app.select(flag: "checkout-v2", env: "acme/dev")
        app.press(.ctrl("k"))
        let s = app.screen()
        #expect(s.text.contains("KILL checkout-v2 in ALL 3 environments (2 protected)"))
        #expect(s.text.contains("skipped (already killed): globex/staging"))
        app.type("global outage")
        app.press(.enter)
        #expect(app.screen().text.contains("to confirm"), "a protected environment among them asks for the key")
        app.type("checkout-v2")
        app.press(.enter)
        for env in ["acme/dev", "acme/prod", "globex/prod"] {
            #expect(try f.state("checkout-v2", env)?.killed == true)
        }
        #expect(app.screen().row(29).contains("skipped globex/staging"))
    }

    @Test func unkillShowsTheStateToRestore() throws {
        let f = try Fixture()
        try f.ops.setEnabled(true, flag: "new-search", env: "acme/dev")
        try f.ops.setRollout(flag: "new-search", env: "acme/dev", basisPoints: 3_750)
        try f.ops.kill(flag: "new-search", env: "acme/dev", reason: "x")
        var app = try f.app()
        app.select(flag: "new-search", env: "acme/dev")
        app.press(.char("U"))
        let s = app.screen()
        #expect(s.text.contains("UNKILL new-search"))
        #expect(s.text.contains("will restore: partial 37.5%"))
        app.type("fixed")
        app.press(.enter)
        let st = try f.state("new-search", "acme/dev")
        #expect(st?.killed == false && st?.rolloutBasisPoints == 3_750 && st?.enabled == true)
        #expect(app.screen().row(29).contains("unkilled new-search in acme/dev"))
    }

    @Test func unkillOnALiveCellIsRefusedWithAMessage() throws {
        let f = try Fixture()
        var app = try f.app()
        app.select(flag: "dark-mode", env: "acme/dev")
        app.press(.char("U"))
        #expect(app.screen().row(29).contains("dark-mode is not killed in acme/dev"))
    }

    @Test func staleDialogConflictsInsteadOfOverwriting() throws {
        let f = try Fixture()
        var app = try f.app()
        app.select(flag: "checkout-v2", env: "acme/dev")
        app.press(.char("K"))
        app.type("mine")
        // Meanwhile someone else changes the same cell.
        let other = Operations(store: try SQLiteStore(path: f.path), actor: Actor(name: "bob", host: "h"), clock: { Fixture.now })
        try other.setRollout(flag: "checkout-v2", env: "acme/dev", basisPoints: 1_000, reason: "ramp down")
        app.press(.enter)
        let status = app.screen().row(29)
        #expect(status.contains("conflict"))
        #expect(status.contains("bob"))
        #expect(try f.state("checkout-v2", "acme/dev")?.killed == false)
        #expect(app.screen().text.contains("10% "), "the grid reloaded with bob's change")
    }

    @Test func readOnlyHidesAndRefusesMutatingKeys() throws {
        let f = try Fixture()
        var app = try f.app(readOnly: true)
        let before = try f.eventCount()
        #expect(!app.screen().row(29).contains("K kill"))
        #expect(app.screen().row(0).contains("READ-ONLY"))
        app.press(.char("K"))
        #expect(app.screen().row(29).contains("read-only"))
        app.press(.ctrl("k"))
        app.press(.char("U"))
        app.press(.char(":"))
        app.type("kill-all")
        app.press(.enter)
        #expect(try f.eventCount() == before)
        app.press(.char("?"))
        #expect(!app.screen().text.contains("kill the flag"))
    }
}

/// The dashboard's kills reach core through one `KillRequest`, like the CLI's.
@Suite struct KillRequestTests {
    @Test func requestsCarryTheScopeAndTheVersionsTheGridShowed() throws {
        let f = try Fixture()
        let app = try f.app()
        let row = try #require(app.model.currentRow)
        let envs = app.model.data.environments
        let one = try KillDialog.make(.kill, row: row, environments: envs, at: 0, allFlags: app.model.data.allFlags).get()
        let r1 = KillSwitch.request(one, reason: "r", seen: [one.targets[0].env.id: one.targets[0].state.version])
        #expect(r1 == KillRequest(.kill, flag: row.flag.key, scope: .environment("acme/dev"), reason: "r",
                                  seenVersions: [EnvironmentID(account: "acme", name: "dev"): one.targets[0].state.version]))
        let all = try KillDialog.make(.unkillAll, row: row, environments: envs, at: 0, allFlags: app.model.data.allFlags)
        #expect(all.isFailure, "nothing to unkill")
        let everywhere = try KillDialog.make(.killAll, row: row, environments: envs, at: 0, allFlags: app.model.data.allFlags).get()
        let r2 = KillSwitch.request(everywhere, reason: "r", seen: [:])
        #expect(r2.scope == .all && r2.direction == .kill)
    }

    @Test func aKillThatChangesNothingSaysSoAndIsNoError() throws {
        let f = try Fixture()
        let app = try f.app()
        let row = try #require(app.model.currentRow)
        let d = try KillDialog.make(.kill, row: row, environments: app.model.data.environments, at: 0,
                                    allFlags: app.model.data.allFlags).get()
        let m = KillSwitch.message(d, MutationResult(unchangedReason: "checkout-v2 is already killed in acme/dev; nothing written"))
        #expect(m.kind == .info)
        #expect(m.text.contains("nothing written"))
    }
}

@Suite struct KillAllManyEnvironmentsTests {
    @Test func fieldsStayVisibleWithManyEnvironments() throws {
        let f = try Fixture(flags: ["wide"])
        for i in 0..<30 { try f.ops.createEnvironment(EnvironmentID(account: "many", name: "e\(i)"), protected: i == 29) }
        var app = try f.app(rows: 15, cols: 60)
        app.poll()
        app.press(.ctrl("k"))
        let s = app.screen(rows: 15, cols: 60)
        #expect(s.text.contains("in ALL 34 environments (3 protected)"))
        #expect(s.text.contains("more"))
        #expect(s.text.contains("Reason: _"))
        #expect(s.text.contains("to confirm"))
        #expect(s.text.contains("Esc: cancel"))
    }
}
