import FlagDeckCore
import FlagDeckDemo
import FlagDeckTUI
import Foundation
import GRDBSQLite

/// The dashboard on 10,000 flags × 50 environments × 1,000,000 audit events (the core
/// `Generator`, seed 1: what `flagdeck generate --flags 10000 --envs 50 --events 1000000
/// --seed 1` builds), rendered by real ncurses into a file (through `DashboardRenderer`,
/// TERM=xterm-256color, 160×45) so the bytes a terminal would receive can be counted.
///
/// - `first_frame_ms`: open the database and draw the first frame. It needs only what fits
///   on screen, so it must not grow with the inventory (goal ≤ 50 ms).
/// - `grid_ready_ms`: until everything is loaded (every cell, every hint), against
///   `raw_scan_ms`, a raw SQLite C-API scan of the same 500,000 cells in the same run
///   (goal ≤ 2×, `grid_ready_vs_raw_scan`). No baseline, no result: the suite fails.
/// - `cell_change_redraw_ms`: another process (the `flagdeck` binary) kills a cell; time
///   from the poll that sees it to the redrawn frame, with a million events in the log.
/// - `cursor_move_bytes` vs `full_repaint_bytes`: ncurses only sends the cells that
///   changed as long as frames are drawn with erase + refresh, never clear (goal < 5 %).
///
/// It measures on a working copy of `BenchDatabase.large`, the database the kill bench uses.
enum DashboardBench {
    static var flags: Int { BenchDatabase.large.config.flags }
    static var envs: Int { BenchDatabase.large.config.envs }
    static let rows = 45, cols = 160
    /// Samples for each figure; the median is reported.
    static let samples = 5

    static let suite = BenchSuite(
        name: "dashboard",
        metrics: ["first_frame_ms", "grid_ready_ms", "raw_scan_ms", "grid_ready_vs_raw_scan", "cell_change_redraw_ms",
                  "cursor_move_bytes", "full_repaint_bytes", "cursor_move_pct"],
        run: run,
        how: "real ncurses into a file (xterm-256color, 160×45) on a working copy of the \(BenchDatabase.large.label): "
            + "first frame and everything loaded (every cell and hint) vs a raw C-API scan of the same cells, median of \(samples); "
            + "redraw after the flagdeck binary kills a cell; bytes sent for a cursor move vs a full repaint")

    static func run() throws -> [(String, Double)] {
        let dir = NSTemporaryDirectory() + "flagdeck-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Another process writes to it below, so a working copy of the shared database.
        let path = try BenchDatabase.large.workingCopy()
        defer { BenchDatabase.large.remove(copy: path) }
        let flagdeck = try siblingExecutable("flagdeck")

        guard let out = fopen(dir + "/frames.out", "w") else { throw BenchError("cannot open frame output") }
        defer { fclose(out) }
        func written() -> Int { fflush(out); return Int(ftell(out)) }

        // The baseline and the dashboard alternate, so both meet the same page cache.
        let raw = try RawCellScan(path: path)
        defer { raw.close() }
        _ = try raw.scan()
        var scans: [Double] = [], firsts: [Double] = [], readies: [Double] = []
        // The clock is pinned so the header's refresh time cannot tick between frames and add bytes.
        let options = DashboardOptions(dbPath: path, now: Date())
        for _ in 0..<samples {
            let t0 = Clock.now
            let cells = try raw.scan()
            scans.append(Clock.ms(since: t0))
            guard cells == flags * envs else { throw BenchError("raw scan read \(cells) cells, expected \(flags * envs)") }

            let start = Clock.now
            let r = try DashboardRenderer(options: options, output: out, rows: rows, cols: cols)
            defer { r.close() }
            r.renderFrame()
            firsts.append(Clock.ms(since: start))
            guard r.finishLoading(timeout: 60) else { throw BenchError("the grid did not finish loading within 60 s") }
            r.renderFrame()
            readies.append(Clock.ms(since: start))
            guard r.app.model.rowCount == flags, r.app.model.data.environments.count == envs else {
                throw BenchError("grid has \(r.app.model.rowCount) flags × \(r.app.model.data.environments.count) environments")
            }
        }

        let r = try DashboardRenderer(options: options, output: out, rows: rows, cols: cols)
        defer { r.close() }
        r.renderFrame()
        guard r.finishLoading(timeout: 60) else { throw BenchError("the grid did not finish loading within 60 s") }
        r.renderFrame()

        // Another process kills (then unkills) the cell under the cursor; the dashboard's
        // poll sees it through SQLite's data version and the audit feed.
        guard let row = r.app.model.currentRow, let env = r.app.model.currentEnvironment else { throw BenchError("empty grid") }
        var changeMs: [Double] = []
        for _ in 0..<samples {
            let killed = r.app.model.currentState?.killed == true
            try runProcess(flagdeck, [killed ? "unkill" : "kill", row.flag.key, "--env", env.id.path, "--reason", "bench",
                                      "--yes", "--db", path])
            let t0 = Clock.now
            guard r.pollChanges() else { throw BenchError("the change made by another process was not seen") }
            r.renderFrame()
            changeMs.append(Clock.ms(since: t0))
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
        let scan = Percentile.of(scans, 50), ready = Percentile.of(readies, 50)
        let move = Percentile.of(moves, 50), full = Percentile.of(fulls, 50)
        return [("first_frame_ms", Percentile.of(firsts, 50)), ("grid_ready_ms", ready), ("raw_scan_ms", scan),
                ("grid_ready_vs_raw_scan", ready / scan), ("cell_change_redraw_ms", Percentile.of(changeMs, 50)),
                ("cursor_move_bytes", move), ("full_repaint_bytes", full), ("cursor_move_pct", 100 * move / max(full, 1))]
    }

    /// `flagdeck`, built next to this benchmark.
    static func siblingExecutable(_ name: String) throws -> String {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let path = me.deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchError("\(path) not found; build it first: swift build -c release --product \(name)")
        }
        return path
    }

    static func runProcess(_ exe: String, _ args: [String]) throws {
        _ = try BenchProcess.run(exe, args)
    }
}

extension Clock {
    static var now: UInt64 { DispatchTime.now().uptimeNanoseconds }
    static func ms(since t0: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6 }
}

/// The floor for loading the grid: every cell read through SQLite's C API, every column
/// touched, nothing decoded into Swift values.
final class RawCellScan {
    private var db: OpaquePointer?
    private var stmt: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { throw BenchError("open \(path)") }
        let sql = "SELECT flag_id, env_id, enabled, killed, rollout_bp, rules, default_value, version, changed_at, changed_by FROM flag_state"
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK else {
            throw BenchError("raw scan: \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    /// Returns the number of cells read.
    func scan() throws -> Int {
        var n = 0, sum: Int64 = 0
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw BenchError("raw scan: \(String(cString: sqlite3_errmsg(db)))") }
            sum &+= sqlite3_column_int64(stmt, 0) &+ sqlite3_column_int64(stmt, 1) &+ sqlite3_column_int64(stmt, 2)
                &+ sqlite3_column_int64(stmt, 3) &+ sqlite3_column_int64(stmt, 4) &+ sqlite3_column_int64(stmt, 7)
            sum &+= text(5) &+ text(6) &+ text(8) &+ text(9)
            n += 1
        }
        sqlite3_reset(stmt)
        if sum == 42 { FileHandle.standardError.write(Data(" ".utf8)) }  // keeps the reads observable
        return n
    }

    /// A text column's first byte and length: the bytes are read, not copied.
    @inline(__always) private func text(_ c: Int32) -> Int64 {
        guard let p = sqlite3_column_text(stmt, c) else { return 0 }
        return Int64(p[0]) &+ Int64(sqlite3_column_bytes(stmt, c))
    }

    func close() {
        sqlite3_finalize(stmt)
        sqlite3_close(db)
    }
}
