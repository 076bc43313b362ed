import FlagDeckCore
import Foundation
import Testing
@testable import FlagDeckTUI

@Suite struct ScreensTests {
    @Test func helpListsEveryKey() throws {
        let f = try Fixture()
        var app = try f.app()
        app.press(.char("?"))
        let s = app.screen()
        for key in ["h j k l", "g / G", "PgUp / PgDn", "/ ", "n / N", "s ", ":", "Enter", "K ", "Ctrl-K", "U ", "?", "Esc", "q"] {
            #expect(s.text.contains("  " + key), "help lists \(key)")
        }
        #expect(s.text.contains(":env NAME"))
        app.press(.escape)
        #expect(app.screen().row(2).contains("KEY"))
    }

    @Test func tooSmallScreenAndBack() throws {
        let f = try Fixture()
        var app = try f.app()
        app.resize(rows: 10, cols: 40)
        let small = app.screen(rows: 10, cols: 40)
        #expect(small.text.contains("Terminal too small"))
        #expect(small.text.contains("40x10, need 60x15"))
        #expect(!small.text.contains("checkout-v2"))
        app.resize(rows: 15, cols: 60)
        let back = app.screen(rows: 15, cols: 60)
        #expect(back.text.contains("checkout-v2"))
        #expect(!back.text.contains("too small"))
        #expect(back.row(14).count > 0)
    }

    @Test func pagingKeepsCursorVisibleOnSmallScreens() throws {
        let f = try Fixture(flags: (0..<100).map { String(format: "flag-%03d", $0) })
        var app = try f.app(rows: 15, cols: 60)
        app.press(.pageDown)
        #expect(app.model.cursor == 11)
        let s = app.screen(rows: 15, cols: 60)
        #expect(s.text.contains("▶ flag-011"))
        app.press(.char("G"))
        #expect(app.screen(rows: 15, cols: 60).text.contains("▶ flag-099"))
        app.press(.pageUp)
        #expect(app.model.cursor == 88)
    }

    @Test func keyDecoding() {
        #expect(KeyDecoder.decodeCharacter(27) == .escape)
        #expect(KeyDecoder.decodeCharacter(13) == .enter)
        #expect(KeyDecoder.decodeCharacter(11) == .ctrl("k"))
        #expect(KeyDecoder.decodeCharacter(127) == .backspace)
        #expect(KeyDecoder.decodeCharacter(0x65D7) == .char("旗"))
    }

    @Test func displayWidthAndClipping() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("旗") == 2)
        #expect(DisplayWidth.of("é") == 1)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("🚀") == 2)
        #expect(DisplayWidth.clip("a旗b", to: 2) == "a", "a wide character never straddles the edge")
        #expect(DisplayWidth.fit("旗", to: 3) == "旗 ")
        let s = MemorySurface(rows: 1, cols: 5)
        s.draw("旗旗旗", row: 0, col: 0)
        #expect(s.row(0) == "旗旗 ")
        s.draw("x\u{1b}[2J", row: 0, col: 0)
        #expect(s.row(0).hasPrefix("x?[2J"), "control characters from data are neutralised")
    }

    @Test func ageFormat() {
        #expect(Age.compact(30) == "30s")
        #expect(Age.compact(3 * 3600 + 5) == "3h")
        #expect(Age.compact(12 * 86_400) == "12d")
        #expect(Age.compact(150 * 86_400) == "5mo")
        #expect(Age.compact(800 * 86_400) == "2y")
    }

    @Test func cellFormats() {
        let at = Fixture.now
        let env = EnvironmentID(account: "a", name: "b")
        var s = FlagState(flagKey: "k", env: env, enabled: true, rolloutBasisPoints: 5_000, changedAt: at, changedBy: "x")
        #expect(CellFormat.text(s, width: 9, recent: false, glyphs: .unicode) == "50% ██░░ ")
        #expect(CellFormat.text(s, width: 9, recent: true, glyphs: .ascii) == "50% ##..*")
        s.killed = true
        #expect(CellFormat.text(s, width: 9, recent: false, glyphs: .ascii) == "XKILL    ")
        #expect(CellFormat.role(s, recent: true) == .killed)
    }
}

@Suite struct TruncationTests {
    @Test func clippedKeysEndWithAnEllipsis() throws {
        let a = "checkout.address-autocomplete-variant-one-x"
        let b = "checkout.address-autocomplete-variant-one-y"
        let f = try Fixture(flags: [a, b])
        let s = try f.app(rows: 20, cols: 90).screen(rows: 20, cols: 90)
        #expect(!s.text.contains(a) && !s.text.contains(b))
        #expect(s.text.contains("…t-one-x") && s.text.contains("…t-one-y"), "the distinguishing end stays visible")
        #expect(DisplayWidth.truncate("abcdefghij", to: 8, ellipsis: "…") == "abcde…ij")
        #expect(DisplayWidth.truncate("abc", to: 4, ellipsis: "…") == "abc")
    }
}

@Suite struct NarrowHeaderTests {
    @Test func narrowHeaderKeepsOperatorAndLiveIndicator() throws {
        let f = try Fixture()
        let s = try f.app(rows: 15, cols: 60).screen(rows: 15, cols: 60)
        #expect(s.row(0).contains("alice"))
        #expect(s.row(0).contains("live 08:00:00"))
        #expect(s.row(0).contains("3f×4e"))
    }
}
