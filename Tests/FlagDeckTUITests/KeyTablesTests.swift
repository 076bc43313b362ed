import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckTUI

/// Walks every screen's key table: help and the status line show exactly the table's
/// keys (mutating ones hidden in read-only mode), and pressing each key reaches the
/// action the table names.
@Suite struct KeyTablesTests {
    static let rows = 40, cols = 400

    /// Each screen in the catalog, opened the way an operator opens it.
    static func screens(_ f: Fixture, readOnly: Bool) throws -> [(ScreenCatalog.Entry, DashboardApp)] {
        var grid = try f.app(readOnly: readOnly, rows: rows, cols: cols)
        grid.select(flag: "checkout-v2", env: "acme/dev")
        var detail = grid, history = grid, review = grid, help = grid
        detail.press(.enter)
        history.press(.char("H"))
        review.press(.char("R"))
        help.press(.char("?"))
        let apps = [grid, detail, history, review, help]
        return try ScreenCatalog.all.map { entry in
            let app = try #require(apps.first { type(of: $0.top) == entry.type }, "no way found to open \(entry.name)")
            return (entry, app)
        }
    }

    @Test(arguments: [false, true])
    func helpAndHintsShowExactlyTheTableAndEveryKeyReachesItsAction(readOnly: Bool) throws {
        let f = try Fixture()
        for (entry, app) in try Self.screens(f, readOnly: readOnly) {
            let name = entry.name
            let table = app.top.keyTable
            #expect(table == entry.keys, "\(name): the catalog lists the screen's own table")
            let shown = table.filter { !(readOnly && $0.mutating) }

            // No key twice in one table: the first would silently win.
            let keys = table.flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "\(name): a key is bound twice")

            // Help: the screen's rows and the global rows, covering exactly the shown keys.
            let help = HelpScreen(for: app.top, context: app.context)
            let screenRows = KeyTable.rows(table, readOnly: readOnly)
            #expect(Set(screenRows.flatMap(\.keys)) == Set(shown.flatMap(\.keys)), "\(name): help covers the table")
            for row in screenRows + KeyTable.rows(GlobalBindings.bindingInfo, readOnly: readOnly) {
                #expect(help.lines.contains { $0.contains(row.keyText) && $0.contains(row.help) }, "\(name): help row \(row.keyText)")
            }
            for b in table where readOnly && b.mutating {
                #expect(!help.lines.contains { $0.contains(b.help) }, "\(name): read-only help hides \(b.help)")
            }

            // Hints: exactly the hinted bindings of the table and the global ones it does not rebind.
            let hints = StatusLine.hints(for: table, readOnly: readOnly)
            let expected = (StatusLine.globalKeys(besides: table) + table).filter { $0.hint != nil && !(readOnly && $0.mutating) }
            #expect(Set(hints.flatMap(\.keys)).isSubset(of: Set((StatusLine.globalKeys(besides: table) + table).flatMap(\.keys))))
            for b in expected {
                #expect(hints.contains { $0.keys.contains(b.keys[0]) && $0.text.hasSuffix(" " + b.hint!) }, "\(name): hint for \(b.action)")
            }
            for b in table where readOnly && b.mutating {
                #expect(!hints.contains { $0.keys.contains(b.keys[0]) }, "\(name): read-only hides the hint for \(b.action)")
            }
            let status = app.screen(rows: Self.rows, cols: Self.cols).row(Self.rows - 1)
            #expect(status.hasPrefix(KeyTable.hintLine(hints) + " "), "\(name): status line is the hints:\n\(status)")

            // Dispatch: every key of every binding reaches that binding's action.
            for b in table {
                for key in b.keys {
                    var pressed = app
                    pressed.handle(key)
                    #expect(pressed.lastAction == "\(entry.type).\(b.action)", "\(name): \(key.label) reached \(pressed.lastAction ?? "nothing")")
                    if readOnly && b.mutating {
                        #expect(pressed.status == app.access.refusal(), "\(name): \(key.label) is refused in read-only mode")
                    }
                }
            }
            for b in StatusLine.globalKeys(besides: table) {
                var pressed = app
                pressed.handle(b.keys[0])
                #expect(pressed.lastAction == "GlobalBindings.\(b.action)", "\(name): global \(b.keys[0].label)")
            }
        }
    }

    @Test func keysAreWrittenTheWayHelpShowsThem() {
        #expect(KeyTable.keyText([[.left, .char("h")], [.down, .char("j")], [.up, .char("k")], [.right, .char("l")]]) == "← ↓ ↑ →  h j k l")
        #expect(KeyTable.keyText([[.char("g"), .home], [.char("G"), .end]]) == "g / G  Home / End")
        #expect(KeyTable.keyText([[.char("f"), .char("/")]]) == "f /")
        #expect(KeyTable.compactKeys([[.down, .char("j")], [.up, .char("k")]]) == "↓↑/jk")
        #expect(Key.ctrl("k").label == "Ctrl-K")
        #expect(Key.char(" ").label == "Space")
    }
}

/// `docs/dashboard.md` lists the keys between two markers; that text is generated from
/// the tables. `FLAGDECK_WRITE_DOCS=1 swift test --filter KeyReferenceTests` rewrites it.
@Suite struct KeyReferenceTests {
    @Test func docsListTheKeysOfTheTables() throws {
        let path = RepoRoot.path("docs/dashboard.md")
        let doc = try String(contentsOfFile: path, encoding: .utf8)
        let start = try #require(doc.range(of: KeyReference.begin), "docs/dashboard.md has the keys:begin marker")
        let stop = try #require(doc.range(of: KeyReference.end), "docs/dashboard.md has the keys:end marker")
        let current = String(doc[start.upperBound..<stop.lowerBound])
        let expected = "\n" + KeyReference.markdown() + "\n"
        if current != expected, ProcessInfo.processInfo.environment["FLAGDECK_WRITE_DOCS"] == "1" {
            try (String(doc[..<start.upperBound]) + expected + String(doc[stop.lowerBound...]))
                .write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == expected, "docs/dashboard.md keys differ from the tables; rerun with FLAGDECK_WRITE_DOCS=1")
    }
}
