import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

@Suite struct GridScreenTests {
    @Test func showsHeaderAccountsEnvironmentsAndCells() throws {
        let f = try Fixture()
        let app = try f.app()
        let s = app.screen()
        #expect(s.row(0).contains(f.path))
        #expect(s.row(0).contains("3 flags × 4 envs"))
        #expect(s.row(0).contains("operator alice"))
        #expect(s.row(0).contains("live"))
        #expect(s.row(1).contains("│acme"))
        #expect(s.row(1).contains("│globex"))
        #expect(s.row(2).contains(" dev"))
        #expect(s.row(2).contains("▲prod"), "protected environments carry a marker, not only colour")
        let checkout = try #require(s.find("checkout-v2"))
        let line = s.row(checkout.row)
        #expect(line.hasPrefix("▶ checkout-v2"))
        #expect(line.contains("payments"))
        #expect(line.contains("3d"), "stability age is the time since the last change anywhere")
        #expect(line.contains("│ON"))
        let search = s.row(try #require(s.find("new-search")).row)
        #expect(search.contains("25% █░░░"))
        #expect(!s.text.contains("KILL"))
    }

    @Test func killedCellHasGlyphAndKilledStyle() throws {
        let f = try Fixture()
        try f.ops.kill(flag: "dark-mode", env: "acme/dev", reason: "broken")
        let s = try f.app().screen()
        let pos = try #require(s.find("✖KILL"))
        #expect(s.style(at: pos.row, pos.col) == Theme.default[.killed])
        #expect(s.row(pos.row).contains("dark-mode"))
    }

    @Test func recentChangesAreMarkedAndHighlighted() throws {
        let f = try Fixture()
        try f.recentOps.setEnabled(true, flag: "dark-mode", env: "globex/staging")
        let s = try f.app().screen()
        let row = try #require(s.find("dark-mode")).row
        #expect(s.row(row).contains("ON       •") || s.row(row).contains("ON      •"))
        let col = try #require(s.row(row).range(of: "ON")).lowerBound
        let x = DisplayWidth.of(String(s.row(row)[..<col]))
        #expect(s.style(at: row, x) == Theme.default[.recent])
        #expect(s.row(row).contains("1m"), "age column reflects the recent change")
    }

    @Test func cursorMovesAndSortCycles() throws {
        let f = try Fixture()
        var app = try f.app()
        app.press(.char("j"))
        #expect(app.model.currentRow?.flag.key == "dark-mode")
        app.press(.char("G"))
        #expect(app.model.currentRow?.flag.key == "new-search")
        app.press(.char("g"), .char("l"), .char("l"))
        #expect(app.model.currentEnvironment?.id.path == "globex/staging")
        try f.recentOps.setEnabled(true, flag: "dark-mode", env: "acme/dev")
        app.poll()
        app.press(.char("s"))
        #expect(app.model.sort == .age)
        app.press(.char("s"))
        #expect(app.model.sort == .recent)
        #expect(app.model.row(at: 0).flag.key == "dark-mode")
        app.press(.char("s"))
        #expect(app.model.sort == .owner)
        #expect(app.model.row(at: 0).flag.key == "checkout-v2")
        #expect(app.model.row(at: 2).flag.key == "dark-mode", "payments < web")
        #expect(app.model.currentRow?.flag.key == "checkout-v2", "the cursor follows its flag through re-sorts")
    }

    @Test func filterMatchesKeyOwnerAndTagAndNextMatchWraps() throws {
        let f = try Fixture()
        var app = try f.app()
        app.press(.char("/"))
        app.type("web")
        #expect(app.model.rowCount == 1)
        #expect(app.screen().text.contains("dark-mode"))
        #expect(!app.screen().text.contains("checkout-v2"))
        app.press(.backspace, .backspace, .backspace)
        app.type("search")
        #expect(app.model.order.map { app.model.data.rows[$0].flag.key } == ["new-search"])
        app.press(.escape)
        #expect(app.model.rowCount == 3)
        app.press(.char("/"))
        app.type("e")
        app.press(.enter)
        let first = app.model.currentRow?.flag.key
        app.press(.char("n"))
        #expect(app.model.currentRow?.flag.key != first)
        app.press(.char("N"))
        #expect(app.model.currentRow?.flag.key == first)
    }

    @Test func commandLineFiltersEnvironmentsAndJumps() throws {
        let f = try Fixture()
        var app = try f.app()
        app.press(.char(":"))
        app.type("env prod")
        app.press(.enter)
        #expect(app.model.visibleEnvs.count == 2)
        let s = app.screen()
        #expect(!s.row(2).contains(" dev"))
        #expect(s.row(2).contains("▲prod"))
        app.press(.char(":"))
        app.type("flag new-search")
        app.press(.enter)
        #expect(app.model.currentRow?.flag.key == "new-search")
        app.press(.char(":"))
        app.type("bogus")
        app.press(.enter)
        #expect(app.screen().row(29).contains("unknown command :bogus"))
        app.press(.char(":"))
        app.type("q")
        app.press(.enter)
        #expect(app.shouldQuit)
    }

    @Test func detailScreenListsEveryEnvironmentAndEscGoesBack() throws {
        let f = try Fixture()
        var app = try f.app()
        app.press(.enter)
        let s = app.screen()
        #expect(s.row(0).contains("flag checkout-v2"))
        #expect(s.text.contains("owner:       payments"))
        #expect(s.text.contains("▲acme/prod"))
        #expect(s.text.contains("globex/staging"))
        app.press(.escape)
        #expect(app.screen().row(2).contains("KEY"))
    }

    @Test func liveRefreshKeepsCursorOnSameFlag() throws {
        let f = try Fixture()
        var app = try f.app()
        app.press(.char("j"))
        let unchanged = app.poll()
        #expect(unchanged == false, "no change, no reload")
        // Another process: a separate connection through its own store.
        let other = try SQLiteStore(path: f.path)
        try Operations(store: other, actor: Actor(name: "bob", host: "b"), clock: { Fixture.now })
            .createFlag(Flag(key: "aaa-first", owner: "ops", createdAt: Fixture.now))
        try Operations(store: other, actor: Actor(name: "bob", host: "b"), clock: { Fixture.now })
            .setEnabled(true, flag: "dark-mode", env: "acme/dev")
        let reloaded = app.poll()
        #expect(reloaded)
        #expect(app.model.currentRow?.flag.key == "dark-mode")
        #expect(app.model.currentRow?.cells[0]?.enabled == true)
        #expect(app.screen().text.contains("aaa-first"))
        try Operations(store: other, actor: Actor(name: "bob", host: "b"), clock: { Fixture.now })
            .setRollout(flag: "dark-mode", env: "acme/dev", basisPoints: 5_000)
        let refreshed = app.poll()
        #expect(refreshed, "incremental refresh through the audit feed")
        #expect(app.screen().text.contains("50% ██░░"))
    }

    @Test func wideCharactersStayAligned() throws {
        let f = try Fixture()
        try f.ops.editFlag("dark-mode") { $0.owner = "旗チーム" }
        try f.ops.editFlag("new-search") { $0.owner = "é-team" }
        let s = try f.app().screen()
        var seps: Set<Int> = []
        for r in 3..<6 {
            let line = s.row(r)
            let idx = try #require(line.firstIndex(of: "│"))
            seps.insert(DisplayWidth.of(String(line[..<idx])))
        }
        #expect(seps.count == 1, "the separator sits in the same column on every row")
        #expect(s.text.contains("旗チーム"))
    }

    @Test func horizontalScrollFollowsCursor() throws {
        let f = try Fixture()
        var app = try f.app(cols: 60)
        let narrow = { (a: DashboardApp) in a.screen(rows: 30, cols: 60) }
        #expect(narrow(app).row(2).contains(" dev"))
        for _ in 0..<3 { app.press(.right) }
        let s = narrow(app)
        #expect(app.model.currentEnvironment?.id.path == "globex/prod")
        #expect(s.row(2).contains("▲prod"))
        #expect(!s.row(2).contains(" dev"))
        #expect(s.row(2).contains("«"))
    }

    @Test func tenThousandFlagsRenderOnlyVisibleRows() throws {
        let envs = (0..<50).map { Environment(id: EnvironmentID(account: "a\($0 / 10)", name: "e\($0)"), displayOrder: $0, isProtected: $0 % 10 == 9) }
        let flags = (0..<10_000).map { Flag(key: String(format: "flag-%05d", $0), owner: "o\($0 % 7)", createdAt: Fixture.now) }
        var states: [FlagState] = []
        states.reserveCapacity(500_000)
        for fl in flags { for e in envs { states.append(FlagState(flagKey: fl.key, env: e.id, enabled: true, changedAt: Fixture.now, changedBy: "x")) } }
        var model = GridModel(data: GridData(location: "mem", environments: envs, flags: flags, states: states))
        let ctx = RenderContext(theme: .default, glyphs: .unicode, operatorName: "a", now: Fixture.now, lastRefresh: nil,
                                recentWindow: 60, readOnly: false, live: true)
        let surface = MemorySurface(rows: 45, cols: 160)
        let layout = GridLayout(rows: 45, cols: 160, data: model.data)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<50 {
                model.moveRows(97)
                model.scrollIntoView(pageRows: layout.pageRows, fittingEnvs: { _ in layout.fittingEnvs })
                surface.clear()
                GridView.render(model, on: surface, context: ctx)
            }
        }
        #expect(elapsed < .seconds(5), "50 frames over 10k flags took \(elapsed)")
        #expect(surface.text.contains("flag-04850"))
    }
}

@Suite struct HintColumnTests {
    @Test func hintColumnShowsTheTopLifecycleHint() throws {
        let f = try Fixture()
        try f.ops.createFlag(Flag(key: "zz-orphan", owner: nil, createdAt: Fixture.now.addingTimeInterval(-200 * 86_400)))
        let app = try f.app()
        let s = app.screen()
        let row = s.row(try #require(s.find("zz-orphan")).row)
        let layout = GridLayout(rows: 30, cols: 120, data: app.model.data)
        let hint = String(row.dropFirst(layout.hintCol).prefix(GridLayout.hintWidth)).trimmingCharacters(in: .whitespaces)
        let expected = try f.store.read { r in
            try LifecycleContext.load(from: r).topHint(for: try r.flag(key: "zz-orphan")!, cells: try r.states(flag: "zz-orphan"), now: Fixture.now)
        }
        #expect(expected != nil)
        #expect(hint == expected?.kind.rawValue)
    }
}
