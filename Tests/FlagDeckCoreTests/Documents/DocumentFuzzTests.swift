import Foundation
import Testing
@testable import FlagDeckCore
import FlagDeckDemo

/// Seeded random documents in random layouts, random edits: everything outside the edited
/// flag stays byte-identical, and the document reads back the fragment written.
@Suite struct DocumentFuzzTests {
    typealias Rng = SplitMix64

    static func word(_ rng: inout Rng) -> String {
        let alphabet = Array("abcdefgxyz_-é旗 0123")
        return String((0..<Int.random(in: 1...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func scalar(_ rng: inout Rng) -> JSONValue {
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: .bool(Bool.random(using: &rng))
        case 1: .int(Int64.random(in: -1_000_000...1_000_000, using: &rng))
        case 2: .double(Double(Int.random(in: -999...999, using: &rng)) / 8)
        case 3: .bigInt(BigInteger(decimal: "98765432109876543210\(Int.random(in: 0...9, using: &rng))")!)
        case 4: .null
        default: .string(word(&rng))
        }
    }

    static func value(_ rng: inout Rng, depth: Int) -> JSONValue {
        guard depth > 0, Int.random(in: 0..<3, using: &rng) > 0 else { return scalar(&rng) }
        if Bool.random(using: &rng) {
            return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in value(&rng, depth: depth - 1) })
        }
        var o = JSONObject()
        for _ in 0..<Int.random(in: 0...4, using: &rng) { o[word(&rng)] = value(&rng, depth: depth - 1) }
        return .object(o)
    }

    /// A Powertools-looking feature (plus random unknown members).
    static func feature(_ rng: inout Rng) -> JSONValue {
        var o = JSONObject([("default", .bool(Bool.random(using: &rng)))])
        if Bool.random(using: &rng) {
            o["rules"] = .object(JSONObject([(word(&rng), .object(JSONObject([("when_match", .bool(true)), ("conditions", .array([
                .object(JSONObject([("action", .string("EQUALS")), ("key", .string(word(&rng))), ("value", .string(word(&rng)))]))]))])))]))
        }
        for _ in 0..<Int.random(in: 0...2, using: &rng) { o["x-" + word(&rng)] = value(&rng, depth: 2) }
        return .object(o)
    }

    /// The rendered document with random extra blanks around `,` and `:` (the words hold neither).
    static func text(_ v: JSONValue, _ rng: inout Rng) -> String {
        let unit = ["  ", "    ", "\t", " "].randomElement(using: &rng)!
        let nl = Bool.random(using: &rng) ? "\n" : "\r\n"
        let layout = JSONLayout(newline: nl, unit: unit, itemSeparator: Bool.random(using: &rng) ? ", " : ",",
                                keySeparator: Bool.random(using: &rng) ? ": " : ":")
        var s = JSONWriter.render(v, layout: layout, multiline: Bool.random(using: &rng), indent: "")
        if Int.random(in: 0..<3, using: &rng) == 0 {
            var out = ""
            var inString = false, escaped = false
            for ch in s {
                out.append(ch)
                if inString {
                    if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
                } else if ch == "\"" {
                    inString = true
                } else if (ch == "," || ch == ":") && Int.random(in: 0..<3, using: &rng) == 0 {
                    out += [" ", "  ", "\t", nl].randomElement(using: &rng)!
                }
            }
            s = out
        }
        return s + (Bool.random(using: &rng) ? nl : "")
    }

    @Test func randomEditsKeepEverythingOutsideTheFlag() throws {
        var rng = Rng(seed: 2024)
        var edits = 0
        for _ in 0..<150 {
            var features = JSONObject()
            for n in 0..<Int.random(in: 1...8, using: &rng) { features["f\(n)_" + Self.word(&rng)] = Self.feature(&rng) }
            let doc = try FlagDocuments.parse(Self.text(.object(features), &rng), format: .powertools, file: "fuzz.json")
            #expect(doc.keys == features.keys)
            for _ in 0..<6 {
                let key = Int.random(in: 0..<4, using: &rng) == 0 ? "new_" + Self.word(&rng) : doc.keys.randomElement(using: &rng)!
                let next: FlagDocument
                switch Int.random(in: 0..<4, using: &rng) {
                case 0 where doc.fragment(key) != nil: next = try doc.killing(key)
                case 1:
                    let d = DesiredCell(enabled: Bool.random(using: &rng), rolloutBasisPoints: [0, 10_000].randomElement(using: &rng)!,
                                        overrides: Bool.random(using: &rng) ? [DocumentOverride(contextKey: Self.word(&rng), matchValue: .int(Int64.random(in: 0...99, using: &rng)), serve: "true")] : [])
                    next = try doc.applying(d, to: key, context: DocumentContext(environment: "p"))
                case 2: next = try doc.replacing(key, with: Self.feature(&rng))
                default: next = try doc.replacing(key, with: Self.value(&rng, depth: 3))
                }
                edits += 1
                try DocumentChecks.sameAsParsed(next)
                DocumentChecks.onlyChanged(doc, next, key)
                DocumentChecks.othersIdentical(doc, next, except: key)
                #expect(Set(next.keys) == Set(doc.keys + [key]))
                // Re-parsing the text from scratch gives the same document.
                let again = try FlagDocuments.parse(next.text, format: .powertools, file: "fuzz.json")
                #expect(again.keys == next.keys && JSONTextEdit.identical(again.value, next.value))
                // Putting the old fragment back restores the old JSON, and its recorded text the old bytes.
                if let old = doc.fragment(key), let oldText = doc.fragmentText(key) {
                    #expect(JSONTextEdit.identical(try next.replacing(key, with: old).value, doc.value))
                    #expect(try next.replacing(key, withText: oldText).bytes == doc.bytes)
                }
            }
        }
        #expect(edits == 900)
    }

    /// The same for flags one level down (flagd's `flags`, FeatureFlags' `flags` + `values`).
    @Test func randomEditsOfNestedContainers() throws {
        var rng = Rng(seed: 77)
        for round in 0..<100 {
            var flags = JSONObject(), values = JSONObject()
            for n in 0..<Int.random(in: 1...6, using: &rng) {
                flags["f\(n)"] = Self.value(&rng, depth: 2)
                if Bool.random(using: &rng) { values["f\(n)"] = .object(JSONObject([("enabled", .bool(true))])) }
            }
            let hosted = round % 2 == 0
            let root: JSONValue = hosted ? .object(JSONObject([("version", .string("1")), ("flags", .object(flags)), ("values", .object(values))]))
                                         : .object(JSONObject([("$schema", .string("x")), ("flags", .object(flags)), ("metadata", Self.value(&rng, depth: 2))]))
            let doc = try FlagDocuments.parse(Self.text(root, &rng), format: hosted ? .appConfigFeatureFlags : .flagd, file: "fuzz.json")
            for _ in 0..<5 {
                let key = Bool.random(using: &rng) ? "new\(Int.random(in: 0...3, using: &rng))" : doc.keys.randomElement(using: &rng)!
                let fragment: JSONValue = hosted
                    ? .object(JSONObject([("flags", Self.value(&rng, depth: 2)), ("values", .object(JSONObject([("enabled", .bool(Bool.random(using: &rng)))])))]))
                    : Self.value(&rng, depth: 3)
                let next = try doc.replacing(key, with: fragment)
                try DocumentChecks.sameAsParsed(next)
                if let t = doc.fragmentText(key) { try DocumentChecks.sameAsParsed(try next.replacing(key, withText: t)) }
                DocumentChecks.onlyChanged(doc, next, key)
                DocumentChecks.othersIdentical(doc, next, except: key)
                if let t = doc.fragmentText(key) { #expect(try next.replacing(key, withText: t).bytes == doc.bytes) }
            }
        }
    }
}
