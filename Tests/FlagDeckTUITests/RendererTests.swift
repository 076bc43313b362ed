import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

/// The ncurses surface, driven through the public benchmark hook with output to a file.
/// ncurses keeps global state, so the cases run one at a time.
@Suite(.serialized) struct RendererTests {
    @Test(arguments: [("xterm-256color", true), ("xterm", true), ("vt100", true), ("xterm-256color", false)])
    func cursorMoveCostsAFractionOfAFullRepaint(_ term: String, _ color: Bool) throws {
        let f = try Fixture(flags: (0..<100).map { String(format: "flag-%03d", $0) })
        let outPath = f.dir.appendingPathComponent("frames.out").path
        let out = try #require(fopen(outPath, "w"))
        defer { fclose(out) }
        func written() -> Int { fflush(out); return Int(ftell(out)) }

        let r = try DashboardRenderer(options: DashboardOptions(dbPath: f.path, now: Fixture.now), output: out,
                                      rows: 45, cols: 160, termName: term, color: color)
        defer { r.close() }
        r.renderFrame()
        let first = written()
        r.press(.down)
        r.renderFrame()
        let move = written() - first
        r.forceFullRepaint()
        r.renderFrame()
        let full = written() - first - move
        print("renderer \(term) colour=\(color): first_frame_bytes=\(first) cursor_move_bytes=\(move) full_repaint_bytes=\(full)")
        #expect(first > 1_000, "the first frame paints the grid")
        #expect(move > 0)
        #expect(full > 1_000)
        #expect(Double(move) < 0.05 * Double(full), "cursor move \(move) bytes vs full repaint \(full)")
        let text = try String(contentsOfFile: outPath, encoding: .utf8)
        #expect(text.contains("flag-000"))
    }
}
