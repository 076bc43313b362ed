import FlagDeckCore
import FlagDeckTUI
import Foundation

/// The dashboard on 10,000 flags × 50 environments, rendered by real ncurses into a file
/// (through `DashboardRenderer`) so the bytes a terminal would receive can be counted.
/// A one-row cursor move should cost under 5 % of a full repaint: ncurses only sends the
/// cells that changed, as long as frames are drawn with erase + refresh, never clear.
enum DashboardBench {
    static let suite = BenchSuite(
        name: "dashboard",
        metrics: ["first_frame_ms", "cell_change_redraw_ms", "cursor_move_bytes", "full_repaint_bytes", "cursor_move_vs_full"],
        run: run)

    static func run() throws -> [(String, Double)] {
        let dir = NSTemporaryDirectory() + "flagdeck-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/dashboard.sqlite"
        let store = try SQLiteStore(path: path, create: true)
        _ = try Generator(GeneratorConfig(flags: 10_000, envs: 50, events: 10_051 + 5_000)).run(into: store)

        guard let out = fopen(dir + "/frames.out", "w") else { throw BenchError("cannot open frame output") }
        defer { fclose(out) }
        func written() -> Int { fflush(out); return Int(ftell(out)) }

        // First frame: open the database, load the grid, draw it.
        let start = DispatchTime.now().uptimeNanoseconds
        let r = try DashboardRenderer(options: DashboardOptions(dbPath: path), output: out, rows: 45, cols: 160)
        defer { r.close() }
        r.renderFrame()
        let firstFrameMs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6

        // One cell changes in another process's connection: poll, reload the row, redraw.
        let other = Operations(store: try SQLiteStore(path: path), actor: Actor(name: "bench", host: "bench"))
        guard let row = r.app.model.currentRow, let env = r.app.model.currentEnvironment else { throw BenchError("empty grid") }
        let state = row.cells[r.app.model.visibleEnvs[r.app.model.envCursor]]
        if state?.killed == true {
            try other.unkill(flag: row.flag.key, env: env.id.path, reason: "bench")
        } else {
            try other.kill(flag: row.flag.key, env: env.id.path, reason: "bench")
        }
        let changeStart = DispatchTime.now().uptimeNanoseconds
        guard r.pollChanges() else { throw BenchError("the change was not seen") }
        r.renderFrame()
        let changeMs = Double(DispatchTime.now().uptimeNanoseconds - changeStart) / 1e6

        let before = written()
        r.press(.down)
        r.renderFrame()
        let move = written() - before
        r.forceFullRepaint()
        r.renderFrame()
        let full = written() - before - move
        return [("first_frame_ms", firstFrameMs), ("cell_change_redraw_ms", changeMs),
                ("cursor_move_bytes", Double(move)), ("full_repaint_bytes", Double(full)),
                ("cursor_move_vs_full", Double(move) / Double(max(full, 1)))]
    }
}
