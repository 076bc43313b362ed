import Foundation
import Testing
@testable import FlagDeckTUI

@Suite struct ThemeTests {
    @Test func bundledThemesAreFoundAndValid() throws {
        for name in ["default", "light", "high-contrast", "mono"] {
            let path = try #require(ThemeLoader.bundledThemePath(named: name), "theme \(name) is bundled")
            let t = try ThemeLoader.load(name, environment: [:])
            #expect(t.name == name, "\(path)")
        }
        #expect(try ThemeLoader.load("default", environment: [:]) == Theme.default,
                "themes/default.toml mirrors the built-in default")
    }

    @Test func environmentVariableSelectsTheme() throws {
        #expect(try ThemeLoader.load(nil, environment: ["FLAGDECK_THEME": "mono"]).name == "mono")
        #expect(try ThemeLoader.load(nil, environment: [:]) == .default)
    }

    @Test func partialThemeFallsBackToDefault() throws {
        let t = try ThemeLoader.parse("[killed]\nbg = \"#ff00ff\"\n", file: "p.toml")
        #expect(t[.killed].bg == .rgb(255, 0, 255))
        #expect(t[.killed].fg == Theme.default[.killed].fg)
        #expect(t[.header] == Theme.default[.header])
    }

    @Test func badThemesNameFileKeyAndValue() throws {
        func error(_ text: String) -> ThemeError? {
            do { _ = try ThemeLoader.parse(text, file: "/t/bad.toml"); return nil } catch { return error }
        }
        let colour = try #require(error("[on]\nfg = \"chartreuse-ish\"\n"))
        #expect(colour.description.contains("/t/bad.toml"))
        #expect(colour.description.contains("on.fg"))
        #expect(colour.description.contains("chartreuse-ish"))
        let role = try #require(error("[sidebar]\nfg = \"red\"\n"))
        #expect(role.description.contains("\"sidebar\"") && role.description.contains("unknown key"))
        let attr = try #require(error("[on]\nblink = true\n"))
        #expect(attr.description.contains("on.blink"))
        let type = try #require(error("[on]\nbold = \"yes\"\n"))
        #expect(type.description.contains("on.bold") && type.description.contains("yes") && type.description.contains("true or false"))
        let syntax = try #require(error("[on\nfg=1"))
        #expect(syntax.description.contains("line 1"))
        let notTable = try #require(error("header = \"red\"\n"))
        #expect(notTable.description.contains("\"header\""))
        #expect(throws: ThemeError.self) { try ThemeLoader.load("no-such-theme", environment: [:]) }
        #expect(throws: ThemeError.self) { try ThemeLoader.load("/nonexistent/x.toml", environment: [:]) }
    }

    @Test func themeFromPath() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fd-theme-\(UUID().uuidString).toml")
        try "[status]\nfg = \"black\"\nbg = \"bright-yellow\"\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let t = try ThemeLoader.load(url.path, environment: [:])
        #expect(t[.status].bg == .ansi(11))
    }

    @Test func coloursMapToWhatTheTerminalHas() {
        let c256 = ColorResolver(colors: 256), c8 = ColorResolver(colors: 8), mono = ColorResolver(colors: 0)
        #expect(c256.resolve(.rgb(255, 0, 0)) == 196)
        #expect(c256.resolve(.rgb(128, 128, 128)) == 244)
        #expect(c256.resolve(.ansi(9)) == 9)
        #expect(c8.resolve(.ansi(9)) == 1)
        #expect(c8.resolve(.rgb(250, 10, 10)) == 1)
        #expect(c8.resolve(.rgb(10, 10, 200)) == 4)
        #expect(mono.resolve(.rgb(250, 10, 10)) == -1)
        #expect(c256.resolve(.terminalDefault) == -1)
    }

    @Test func monochromeKeepsMeaningInAttributes() {
        let t = Theme.default.withoutColors
        #expect(t[.killed].reverse && t[.killed].bold)
        #expect(t[.killed].fg == .terminalDefault)
        #expect(t[.recent].underline)
        #expect(t[.protected].underline)
    }
}
