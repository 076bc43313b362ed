import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckTUI

/// Per-job flags on the dashboard, against a real table on the emulator: the grid cell's
/// count, the detail screen's job list, and a kill's progress and hold.
@Suite(.serialized) struct JobsDashboardTests {
    /// The text of the cursor's cell (the bound one) as the grid draws it.
    func cell(_ app: DashboardApp, _ fx: JobsTableFixture) -> String {
        let s = app.screen(rows: 40, cols: 160)
        let layout = GridLayout(rows: 40, cols: 160, data: app.model.data)
        let row = GridLayout.headerRows + app.model.cursor - app.model.top
        let col = layout.firstCellCol + (app.model.envCursor - app.model.leftEnv) * layout.cellWidth
        return String(s.row(row).dropFirst(col).prefix(layout.cellWidth - 1))
    }

    @Test func theGridCellShowsHowManyJobsAreOnAndFollowsASync() throws {
        // 12 on, 8 off, 20 without the attribute (the seed's default: off).
        let fx = try JobsTableFixture(JobsTableFixture.jobs(40) { i in i < 12 ? .bool(true) : i < 20 ? .bool(false) : nil })
        var app = try fx.app()
        // The column is as wide as its environment's name: `12/40 jobs` where it fits, else `12/40`.
        #expect(cell(app, fx).hasPrefix("12/40"), "\(app.screen(rows: 40, cols: 160).text)")
        let summary = try #require(app.model.data.jobs[CellKey(flag: fx.flag, env: try EnvironmentID(parsing: fx.env))])
        #expect(summary.text == "12/40 jobs")
        #expect(JobsCellText.text(summary, width: 12, glyphs: .unicode) == "12/40 jobs  ")
        #expect(JobsCellText.text(summary, width: 9, glyphs: .unicode) == "12/40    ")

        // An end user turns one job on; a sync (the dashboard's watcher does the same) records it.
        try fx.otherClientSets(JobsTableFixture.jobID(30), true)
        _ = try fx.base.ops.sync()
        #expect(app.pollUntil(10) { a, _ in cell(a, fx).hasPrefix("13/40") }, "the cell follows the sync:\n\(app.screen(rows: 40, cols: 160).text)")
    }

    @Test func theTerminalsFirstFrameDoesNotWaitForTheCountsAndNeverClaimsAllJobsOn() throws {
        let fx = try JobsTableFixture(JobsTableFixture.jobs(40) { i in i < 12 ? .bool(true) : nil })
        // As the terminal dashboard starts: a first page, the rest read on threads after it.
        var app = try DashboardApp(store: fx.base.store, glyphs: .unicode, actor: Fixture.actor, now: { Fixture.now },
                                   background: true)
        app.resize(rows: 40, cols: 160)
        app.select(flag: fx.flag, env: fx.env)
        #expect(app.model.data.jobs.isEmpty)
        #expect(cell(app, fx).hasPrefix("…"), "a count still being read: \(cell(app, fx))")
        app.startLoading()
        #expect(app.pollUntil(10) { a, _ in cell(a, fx).hasPrefix("12/40") }, "\(cell(app, fx))")
    }

    @Test func theDetailScreenPagesTheJobsAndFiltersThemByIdAndValue() throws {
        // 35 jobs with the attribute (even on, odd off), 5 without.
        let fx = try JobsTableFixture(JobsTableFixture.jobs(40) { i in i < 35 ? .bool(i % 2 == 0) : nil })
        var app = try fx.app()
        app.press(.enter)
        let detail = try #require(app.top(FlagDetailScreen.self))
        #expect(detail.jobs?.env.path == fx.env)
        func screen() -> String { app.screen(rows: 40, cols: 160).text }
        #expect(screen().contains("JOBS in jobs/prod"))
        #expect(screen().contains("jobs 1–10 of 35, page 1/4"), "\(screen())")
        #expect(screen().contains("job-00000") && screen().contains("job-00009") && !screen().contains("job-00010"))

        app.press(.char("n"))
        #expect(screen().contains("jobs 11–20 of 35, page 2/4"), "\(screen())")
        #expect(screen().contains("job-00010") && !screen().contains("job-00009"))
        app.press(.char("n"), .char("n"))
        #expect(screen().contains("jobs 31–35 of 35, page 4/4"))
        app.press(.char("n"))
        #expect(app.status?.text == "last page of jobs")
        app.press(.char("p"))
        #expect(screen().contains("jobs 21–30 of 35, page 3/4"))

        // Value: on (18 even ids of 0…34), off (17), absent (5, counted only), all again.
        app.press(.char("v"))
        #expect(screen().contains("value: on") && screen().contains("jobs 1–10 of 18"), "\(screen())")
        #expect(!screen().contains("job-00001"))
        app.press(.char("v"))
        #expect(screen().contains("value: off") && screen().contains("of 17"))
        #expect(!screen().contains("job-00000 "))
        app.press(.char("v"))
        #expect(screen().contains("value: absent") && screen().contains("5 jobs have no attribute"), "\(screen())")
        app.press(.char("v"))
        #expect(screen().contains("value: all") && screen().contains("of 35"))

        // Job id: the list narrows with every key; Enter keeps it, Esc clears it.
        app.press(.char("f"))
        #expect(app.top.isTyping)
        app.type("-0002")
        #expect(screen().contains("jobs 1–10 of 10"), "\(screen())")
        #expect(screen().contains("job-00020") && screen().contains("job-00029") && !screen().contains("job-00019"))
        app.press(.enter)
        #expect(!app.top.isTyping)
        app.press(.char("v"))
        #expect(screen().contains("jobs 1–5 of 5"), "on and matching -0002: 20 22 24 26 28\n\(screen())")
        app.press(.char("f"), .escape)
        #expect(screen().contains("of 18"))
    }

    @Test func aKillShowsItsProgressAndASyncThatHoldsItIsAnnounced() throws {
        // 2,000 jobs, 1,000 on: thousands of conditional writes take long enough to watch.
        let fx = try JobsTableFixture(JobsTableFixture.jobs(2_000) { i in .bool(i % 2 == 0) })
        var app = try fx.app()
        #expect(cell(app, fx).hasPrefix("1000/2k"), "\(app.screen(rows: 40, cols: 160).text)")
        app.press(.char("K"))
        #expect(app.screen(rows: 40, cols: 160).text.contains("goes to the source: 1000/2k jobs on → off in DynamoDB table \(fx.table)"),
                "\(app.screen(rows: 40, cols: 160).text)")
        app.type("incident 4411")
        app.press(.enter)
        #expect(app.grid.bulk != nil, "the kill runs on its own thread: \(app.status?.text ?? "")")
        app.press(.char("q"))
        #expect(!app.shouldQuit && app.status?.text.hasPrefix("still writing, wait before quitting") == true)

        var bars: [String] = []
        let done = app.pollUntil(120, frame: { s in
            let status = s.row(39)
            if status.contains("kill feature in jobs/prod") && status.contains("/1000 jobs") { bars.append(status) }
        }) { $1.row(39).contains("killed feature in jobs/prod") }
        #expect(done, "the kill finished:\n\(app.screen(rows: 40, cols: 160).text)")
        #expect(!bars.isEmpty, "a frame showed the bar with done/total while the kill ran")
        #expect(bars.contains { $0.contains("█") || $0.contains("▌") || $0.contains("░") }, "\(bars)")
        #expect(try fx.onInTable() == 0)
        #expect(cell(app, fx).hasPrefix("✖KILL"), "\(cell(app, fx))")
        #expect(app.pollUntil(10) { a, _ in a.model.data.jobs.values.first?.text == "killed 0/2k jobs" })

        // An end user turns a job back on; the sync turns it off again and the dashboard says so.
        try fx.otherClientSets(JobsTableFixture.jobID(1), true)
        _ = try fx.base.ops.sync()
        #expect(app.pollUntil(10) { $1.row(39).contains("kill held: turned off 1 job of feature in jobs/prod") },
                "\(app.screen(rows: 40, cols: 160).row(39))")
        #expect(try fx.onInTable() == 0)

        // A thousand jobs back on at once: the sync (on its own thread, as the dashboard's
        // watcher runs it) holds the kill with a bar of its own, then says what it did.
        try fx.put(JobsTableFixture.jobs(2_000) { i in .bool(true) }.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        let ops = fx.base.ops
        Thread.detachNewThread { _ = try? ops.sync() }
        var holding: [String] = []
        let announced = app.pollUntil(120, frame: { s in
            if s.row(39).contains("kill holds: turning feature off again in jobs/prod") && s.row(39).contains("/1000 jobs") {
                holding.append(s.row(39))
            }
        }) { $1.row(39).contains("kill held: turned off 1000 jobs of feature in jobs/prod") }
        #expect(announced, "\(app.screen(rows: 40, cols: 160).row(39))")
        #expect(!holding.isEmpty, "a frame showed the hold's bar while it ran")
        #expect(try fx.onInTable() == 0)
    }
}
