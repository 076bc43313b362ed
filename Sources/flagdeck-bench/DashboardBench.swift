import FlagDeckCore
import FlagDeckDemo
import FlagDeckTUI
import Foundation

/// The dashboard on 10,000 flags × 50 environments, rendered by real ncurses into a file
/// (through `DashboardRenderer`, TERM=xterm-256color, 160×45) so the bytes a terminal
/// would receive can be counted. A one-row cursor move should cost under 5 % of a full
/// repaint: ncurses only sends the cells that changed, as long as frames are drawn with
/// erase + refresh, never clear.
///
/// The database is made with the core `Generator` (seed 1) with 50,000 audit events:
/// the grid reads the current cells and the change feed, not the history, so a longer
/// history would only make the set-up slower, not the frames.
enum DashboardBench {
    static let flags = 10_000, envs = 50, events = 50_000
    static let rows = 45, cols = 160
    /// Samples for the per-change and per-move figures; the median is reported.
    static let samples = 7

    static let suite = BenchSuite(
        name: "dashboard",
        metrics: ["first_frame_ms", "cell_change_redraw_ms", "cursor_move_bytes", "full_repaint_bytes", "cursor_move_pct"],
        run: run)

    static func run() throws -> [(String, Double)] {
        let dir = NSTemporaryDirectory() + "flagdeck-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/dashboard.sqlite"
        do {
            let store = try SQLiteStore(path: path, create: true)
            _ = try Generator(GeneratorConfig(flags: flags, envs: envs, events: events)).run(into: store)
        }

        guard let out = fopen(dir + "/frames.out", "w") else { throw BenchError("cannot open frame output") }
        defer { fclose(out) }
        func written() -> Int { fflush(out); return Int(ftell(out)) }
        func ms(since t0: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6 }

        // First frame: open the database, load the grid, draw it. The clock is pinned so
        // the header's refresh time cannot tick between frames and add bytes.
        let options = DashboardOptions(dbPath: path, now: Date())
        let start = DispatchTime.now().uptimeNanoseconds
        let r = try DashboardRenderer(options: options, output: out, rows: rows, cols: cols)
        defer { r.close() }
        r.renderFrame()
        let firstFrameMs = ms(since: start)
        guard r.app.model.rowCount == flags, r.app.model.data.environments.count == envs else {
            throw BenchError("grid has \(r.app.model.rowCount) flags × \(r.app.model.data.environments.count) environments")
        }

        // One cell changes through another connection (as another operator's process
        // would): time from the poll that detects the new change token to the redrawn frame.
        let other = Operations(store: try SQLiteStore(path: path), actor: Actor(name: "bench", host: "bench"))
        guard let row = r.app.model.currentRow, let env = r.app.model.currentEnvironment else { throw BenchError("empty grid") }
        var changeMs: [Double] = []
        for _ in 0..<samples {
            let killed = r.app.model.currentState?.killed == true
            if killed {
                try other.unkill(flag: row.flag.key, env: env.id.path, reason: "bench")
            } else {
                try other.kill(flag: row.flag.key, env: env.id.path, reason: "bench")
            }
            let t0 = DispatchTime.now().uptimeNanoseconds
            guard r.pollChanges() else { throw BenchError("the change was not seen") }
            r.renderFrame()
            changeMs.append(ms(since: t0))
            guard r.app.model.currentState?.killed == !killed else {
                throw BenchError("the redrawn grid does not show the change")
            }
        }

        // Bytes for a one-row cursor move (within the page, so no scrolling), then a full
        // repaint of the same screen for comparison.
        var moves: [Double] = []
        var fulls: [Double] = []
        for _ in 0..<samples {
            var before = written()
            r.press(.down)
            r.renderFrame()
            moves.append(Double(written() - before))
            before = written()
            r.forceFullRepaint()
            r.renderFrame()
            fulls.append(Double(written() - before))
        }
        let move = Percentile.of(moves, 50), full = Percentile.of(fulls, 50)
        return [("first_frame_ms", firstFrameMs), ("cell_change_redraw_ms", Percentile.of(changeMs, 50)),
                ("cursor_move_bytes", move), ("full_repaint_bytes", full),
                ("cursor_move_pct", 100 * move / max(full, 1))]
    }
}
