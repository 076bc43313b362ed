import Foundation
import Testing
@testable import FlagDeckTUI

/// The bad-theme corpus (issue 7, "Bad-input corpus: theme files"): every file in
/// `BadThemes/` is rejected by the same loader `flagdeck ui --theme PATH` uses, with an
/// error naming the file, and the key and value where there is one. The CLI side (exit
/// status, database unchanged) is `ThemeCorpusCLITests` in FlagDeckCLITests.
@Suite struct ThemeCorpusTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadThemes").path

    struct Case: Sendable, CustomStringConvertible {
        var file: String
        /// The dotted key the error must name, if the problem is at a key.
        var key: String?
        /// A fragment of the offending value the error must quote.
        var value: String?
        /// A fragment of the explanation.
        var detail: String
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(file: "malformed-header.toml", detail: "not valid TOML at line 1"),
        Case(file: "unterminated-string.toml", detail: "not valid TOML at line 2"),
        Case(file: "unknown-key.toml", key: "sidebar", detail: "unknown key; expected one of header"),
        Case(file: "unknown-colour.toml", key: "on.fg", value: "chartreuse-ish", detail: "expected a colour name"),
        Case(file: "bad-hex-digit.toml", key: "killed.bg", value: "#12345g", detail: "#rrggbb"),
        Case(file: "short-hex.toml", key: "off.fg", value: "#fff", detail: "#rrggbb"),
        Case(file: "signed-hex.toml", key: "partial.fg", value: "#+12345", detail: "#rrggbb"),
        Case(file: "number-colour.toml", key: "header.fg", value: "42", detail: "expected a colour name"),
        Case(file: "bool-colour.toml", key: "grid.bg", value: "true", detail: "expected a colour name"),
        Case(file: "array-colour.toml", key: "on.fg", value: "red", detail: "expected a colour name"),
        Case(file: "empty-value.toml", key: "status.fg", value: "\"\"", detail: "expected a colour name"),
        Case(file: "duplicate-key.toml", detail: "not valid TOML at line 3"),
        Case(file: "duplicate-table.toml", detail: "not valid TOML at line 4"),
        Case(file: "unknown-attribute.toml", key: "danger.blink", value: "true", detail: "unknown attribute"),
        Case(file: "bool-as-string.toml", key: "on.bold", value: "yes", detail: "expected true or false"),
        Case(file: "role-not-a-table.toml", key: "header", value: "red", detail: "expected a table"),
        Case(file: "invalid-utf8.toml", detail: "not valid UTF-8 (first bad byte 0xff at line 3, byte 13)"),
        Case(file: "huge-value.toml", key: "help.fg", value: "xxxxxxxxxx", detail: "…(5002 bytes)"),
    ]

    static func error(loading path: String) -> ThemeError? {
        do {
            _ = try ThemeLoader.load(path, environment: [:])
            return nil
        } catch {
            return error
        }
    }

    @Test func corpusIsComplete() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory).filter { $0.hasSuffix(".toml") }
        #expect(Set(files) == Set(Self.cases.map(\.file)), "every corpus file has an expectation and vice versa")
        #expect(files.count >= 10)
    }

    @Test(arguments: cases)
    func badThemeIsRejectedNamingFileKeyAndValue(_ c: Case) throws {
        let path = Self.directory + "/" + c.file
        let e = try #require(Self.error(loading: path), "\(c.file) was accepted")
        let text = e.description
        #expect(e.file == path)
        #expect(text.hasPrefix("theme \(path)"), "names the file: \(text)")
        if let key = c.key {
            #expect(e.key == key)
            #expect(text.contains("key \"\(key)\""), "names the key: \(text)")
        }
        if let value = c.value { #expect(e.value?.contains(value) == true && text.contains(value), "quotes the value: \(text)") }
        #expect(text.contains(c.detail), "explains: \(text)")
        #expect(!text.contains("\n"), "one line: \(text)")
        #expect(text.utf8.count < 600, "bounded message, \(text.utf8.count) bytes")
    }

    /// Too big to keep in the repository: a 3 MB file made on the fly is refused by size
    /// before it is parsed.
    @Test func hugeFileIsRefusedBySize() throws {
        let dir = NSTemporaryDirectory() + "flagdeck-theme-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/huge.toml"
        var text = "[on]\nfg = \"red\"\n"
        text += String(repeating: "# padding padding padding padding padding padding padding padding\n", count: 48_000)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let e = try #require(Self.error(loading: path))
        #expect(e.description.hasPrefix("theme \(path)"))
        #expect(e.description.contains("a theme file is at most 256 KB"))
    }

    @Test func missingAndDirectoryPathsAreRejected() throws {
        let missing = try #require(Self.error(loading: Self.directory + "/no-such.toml"))
        #expect(missing.description.contains("no-such.toml") && missing.description.contains("cannot read"))
        let dir = try #require(Self.error(loading: Self.directory + "/"))
        #expect(dir.description.contains(Self.directory))
    }

    @Test func validHexAndNamesStillLoad() throws {
        let theme = try ThemeLoader.parse("[on]\nfg = \"#00FF7f\"\nbg = \"default\"\n[off]\nfg = \"red\"\n", file: "ok.toml")
        #expect(theme[.on].fg == .rgb(0, 255, 127))
        #expect(ThemeColor(parsing: "#+12345") == nil)
        #expect(ThemeColor(parsing: "#-12345") == nil)
        #expect(ThemeColor(parsing: "# 12345") == nil)
    }
}
