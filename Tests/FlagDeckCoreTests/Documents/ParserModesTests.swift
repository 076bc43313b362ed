import Foundation
import Testing
@testable import FlagDeckCore
import FlagDeckDemo

/// The three parser entry points accept exactly the same documents and refuse the others
/// with exactly the same error (message, line, column, path) — the document layer's
/// validating pass must never let through what `parse` refuses, nor the reverse.
@Suite struct ParserModesTests {
    static func outcome(_ f: () throws -> Void) -> String {
        do { try f(); return "ok" } catch let e as FormatError { return e.description } catch { return "\(error)" }
    }

    static func compare(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let plain = outcome { _ = try JSONParser.parse(bytes) }
        for depth in [1, 2, 3, Int.max] {
            #expect(outcome { _ = try JSONParser.validateWithSpans(bytes, spanDepth: depth) } == plain, sourceLocation: sourceLocation)
        }
        #expect(outcome { _ = try JSONParser.parseWithSpans(bytes, spanDepth: 2) } == plain, sourceLocation: sourceLocation)
        if plain == "ok", let (v, _) = try? JSONParser.parseWithSpans(bytes, spanDepth: 2) {
            #expect(JSONTextEdit.identical(v, try! JSONParser.parse(bytes)), sourceLocation: sourceLocation)
        }
    }

    @Test func badInputCorpusGivesTheSameErrors() throws {
        let dir = VectorFiles.directory.appendingPathComponent("bad-inputs")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
        #expect(names.count >= 50)
        for n in names { Self.compare(Array(try Data(contentsOf: dir.appendingPathComponent(n)))) }
    }

    @Test func mutatedDocumentsGiveTheSameOutcome() throws {
        let seeds: [[UInt8]] = try ["sample-tree/acme/prod/features.json", "features-config/features_config.json"]
            .map { Array(try Data(contentsOf: VectorFiles.directory.appendingPathComponent($0))) }
            + [Array(#"{"a": [1, {"b": "\u00e9", "b2": [[], {}]}], "a": 2, "k": {"x": 1, "y": 2, "z": 3, "w": 4, "v": 5, "u": 6, "t": 7, "s": 8, "r": 9, "x": 0}}"#.utf8)]
        var rng = SplitMix64(seed: 99)
        var refused = 0
        for i in 0..<3_000 {
            let input = FuzzTests.mutate(seeds[i % seeds.count], &rng)
            Self.compare(input)
            if (try? JSONParser.parse(input)) == nil { refused += 1 }
        }
        #expect(refused > 500)
    }

    @Test func duplicateKeysAreFoundInSmallAndLargeObjects() {
        for n in [2, 8, 9, 20] {
            var members = (0..<n).map { "\"k\($0)\": \($0)" }
            members.append("\"k\(n / 2)\": 0")
            let text = "{\"o\": {" + members.joined(separator: ", ") + "}}"
            let plain = Self.outcome { _ = try JSONParser.parse(text) }
            #expect(plain.contains("duplicate key \"k\(n / 2)\""), "\(plain)")
            Self.compare(Array(text.utf8))
        }
        // NFC and NFD spellings are different keys, escaped and raw spellings the same key.
        Self.compare(Array("{\"\u{E9}\": 1, \"e\u{301}\": 2}".utf8))
        #expect(Self.outcome { _ = try JSONParser.validateWithSpans(Array(#"{"\u00e9": 1, "é": 2}"#.utf8), spanDepth: 1) }.contains("duplicate key"))
    }
}
