import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckTUI

/// The first frame shows the first rows; the rest is read on a thread and swapped in.
/// Until it arrives, sorts other than by key and filters wait (they would otherwise show
/// an answer over some flags as if it were over all of them).
@Suite struct GridLoadingTests {
    static let flagCount = GridData.firstPageFlags + 50

    static func fixture() throws -> Fixture {
        try Fixture(flags: (0..<flagCount).map { String(format: "flag-%03d", $0) })
    }

    static func backgroundApp(_ f: Fixture) throws -> DashboardApp {
        var app = try DashboardApp(store: f.store, theme: .default, glyphs: .unicode, actor: Fixture.actor,
                                   now: { Fixture.now }, background: true)
        app.resize(rows: 30, cols: 120)
        return app
    }

    /// The event loop's part: poll until the rest has been swapped in.
    static func finish(_ app: inout DashboardApp) -> Bool {
        app.startLoading()
        return Deadline.until(10) {
            app.poll()
            return app.model.data.complete && !app.loading
        }
    }

    @Test func firstFrameShowsTheFirstRowsAndSaysLoading() throws {
        let f = try Self.fixture()
        var app = try Self.backgroundApp(f)
        // Nothing changes under the loop's feet: the rest waits until the loop takes it.
        #expect(!app.model.data.complete)
        #expect(app.model.rowCount == GridData.firstPageFlags)
        let s = app.screen(rows: 30, cols: 180)
        #expect(s.row(0).contains("\(Self.flagCount) flags × 4 envs"), "the count is of every flag")
        #expect(s.row(0).contains("loading \(GridData.firstPageFlags) of \(Self.flagCount)…"))
        #expect(s.row(29).contains("1/\(GridData.firstPageFlags) of \(Self.flagCount)"))
        #expect(s.text.contains("flag-000"))
        let finished = Self.finish(&app)
        #expect(finished, "the rest of the grid arrives")
        #expect(app.model.rowCount == Self.flagCount)
        let done = app.screen(rows: 30, cols: 180)
        #expect(done.row(0).contains("live 08:00:00"))
        #expect(!done.row(0).contains("loading"))
    }

    @Test func theFirstRowsCarryTheSameCellsAndHintsAsTheWholeGrid() throws {
        let f = try Fixture()
        try f.ops.createFlag(Flag(key: "aa-orphan", owner: nil, createdAt: Fixture.now.addingTimeInterval(-400 * 86_400)))
        try f.ops.kill(flag: "checkout-v2", env: "acme/dev", reason: "r")
        let first = try GridData.firstPage(from: f.store, now: Fixture.now, limit: 2)
        var all = try GridData.load(from: f.store, now: Fixture.now)
        for i in all.rows.indices { all.judge(i, now: Fixture.now) }
        #expect(!first.complete && first.flagCount == 4 && first.rows.count == 2)
        #expect(first.rows.map(\.flag.key) == ["aa-orphan", "checkout-v2"])
        #expect(first.rows == Array(all.rows.prefix(2)), "same cells and hints as the full load")
        #expect(first.rows[0].hint != nil)
        #expect(first.environments == all.environments && first.seq == all.seq)
    }

    @Test func sortsAndFiltersWaitForTheRestThenApply() throws {
        let f = try Self.fixture()
        try f.recentOps.setEnabled(true, flag: "flag-149", env: "acme/dev")
        var app = try Self.backgroundApp(f)
        app.press(.char("s"))
        #expect(app.model.sort == .age)
        #expect(app.status?.text.contains("once all \(Self.flagCount) flags are loaded") == true)
        #expect(app.screen().row(1).contains("sort:age (loading…)"))
        #expect(app.model.row(at: 0).flag.key == "flag-000", "key order until everything is there")
        app.run(.sort(.recent))
        app.press(.char("/"))
        app.type("flag-14")
        #expect(app.screen().row(29).contains("loading…"))
        app.press(.enter)
        #expect(app.status?.text.contains("applies once all") == true)
        #expect(app.model.rowCount == GridData.firstPageFlags)

        let finished = Self.finish(&app)
        #expect(finished, "the rest of the grid arrives")
        #expect(!app.screen().row(1).contains("loading"))
        #expect(app.model.order.map { app.model.data.rows[$0].flag.key }.first == "flag-149", "most recent first, over every flag")
        #expect(app.model.rowCount == 10, "flag-140 … flag-149")
    }

    @Test func changesMadeWhileLoadingAreNotLost() throws {
        let f = try Self.fixture()
        var app = try Self.backgroundApp(f)
        let other = Operations(store: try SQLiteStore(path: f.path), actor: Actor(name: "bob", host: "b"))
        try other.kill(flag: "flag-000", env: "acme/dev", reason: "loaded row")
        try other.kill(flag: "flag-149", env: "acme/dev", reason: "row still loading")
        let finished = Self.finish(&app)
        #expect(finished, "the rest of the grid arrives")
        let rows = app.model.data
        #expect(rows.rows[rows.index["flag-000"]!].cells[0]?.killed == true)
        #expect(rows.rows[rows.index["flag-149"]!].cells[0]?.killed == true)
    }

    @Test func aKillWhileLoadingListsEveryDependent() throws {
        let f = try Self.fixture()
        try f.ops.createFlag(Flag(key: "zz-needs-flag-000", owner: "web", createdAt: Fixture.now, dependsOn: ["flag-000"]))
        var app = try Self.backgroundApp(f)
        #expect(!app.model.data.complete)
        app.select(flag: "flag-000", env: "acme/dev")
        app.press(.char("K"))
        #expect(app.screen().text.contains("dependents also affected: zz-needs-flag-000"),
                "a dependent outside the loaded rows is still named")
        app.press(.escape)
    }
}

/// Live refresh reads the events after the data's seq and updates the rows and hints
/// they name; the hints must come out as a fresh read of everything would have them.
@Suite struct LiveRefreshTests {
    static func expectHintsMatchAFreshLoad(_ app: DashboardApp, _ f: Fixture, _ step: String) throws {
        var fresh = try GridData.load(from: f.store, now: Fixture.now)
        var shown = app.model.data
        for i in fresh.rows.indices { fresh.judge(i, now: Fixture.now) }
        for i in shown.rows.indices { shown.judge(i, now: Fixture.now) }
        #expect(shown.rows.map(\.flag.key) == fresh.rows.map(\.flag.key), "\(step): rows")
        for (a, b) in zip(shown.rows, fresh.rows) {
            #expect(a == b, "\(step): \(a.flag.key) shows \(a.hint ?? "-"), a fresh load \(b.hint ?? "-")")
        }
        #expect(app.model.data.seq == fresh.seq, "\(step): seq")
    }

    @Test func rowsAndHintsFollowOtherProcessesChanges() throws {
        let f = try Fixture()
        try f.ops.createFlag(Flag(key: "orphan", owner: nil, createdAt: Fixture.now.addingTimeInterval(-400 * 86_400)))
        var app = try f.app()
        let other = Operations(store: try SQLiteStore(path: f.path), actor: Actor(name: "bob", host: "b"),
                               clock: { Fixture.now.addingTimeInterval(-120) })
        let steps: [(String, () throws -> Void)] = [
            ("kill", { try other.kill(flag: "dark-mode", env: "acme/dev", reason: "x") }),
            ("review mark", { try other.markForReview(flag: "orphan", .keep, reason: "kept", until: nil) }),
            ("setting", { _ = try other.setSetting(LifecycleSettings.longKillKey, to: "1", reason: "stricter") }),
            ("new flag", { try other.createFlag(Flag(key: "b-new", owner: "web", createdAt: Fixture.now)) }),
            ("rollout", { try other.setRollout(flag: "new-search", env: "globex/staging", basisPoints: 5_000) }),
            ("flag edit", { try other.editFlag("orphan") { $0.owner = "platform" } }),
        ]
        for (name, change) in steps {
            try change()
            let seen = app.poll()
            #expect(seen, "\(name) is seen")
            try Self.expectHintsMatchAFreshLoad(app, f, name)
        }
        let again = app.poll()
        #expect(!again, "nothing new, nothing read")
    }

    @Test func aNewEnvironmentReloadsTheGrid() throws {
        let f = try Fixture()
        var app = try f.app()
        try Operations(store: try SQLiteStore(path: f.path), actor: Actor(name: "bob", host: "b"))
            .createEnvironment(EnvironmentID(account: "acme", name: "qa"), protected: false)
        let seen = app.poll()
        #expect(seen)
        #expect(app.model.data.environments.map(\.id.path).contains("acme/qa"))
        try Self.expectHintsMatchAFreshLoad(app, f, "env.create")
    }
}
