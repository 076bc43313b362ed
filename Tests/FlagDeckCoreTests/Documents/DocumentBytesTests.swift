import Foundation
import Testing
@testable import FlagDeckCore

/// Replacing one flag changes only that flag's bytes, whatever the document's layout.
@Suite struct DocumentBytesTests {
    static let powertoolsStyles: [(String, String)] = [
        ("two spaces", "{\n  \"alpha\": {\n    \"default\": true,\n    \"x-owner\": \"team é 旗\"\n  },\n  \"beta\": {\n    \"default\": false,\n    \"rules\": {\n      \"beta\": {\n        \"when_match\": true,\n        \"conditions\": [\n          {\"action\": \"EQUALS\", \"key\": \"tenant\", \"value\": 123456789012345678901234567890}\n        ]\n      }\n    }\n  },\n  \"gamma\": {\"default\": 1.0, \"boolean_type\": false}\n}\n"),
        ("four spaces, no trailing newline", "{\n    \"alpha\": {\n        \"default\": true\n    },\n    \"beta\": {\n        \"default\": false,\n        \"rules\": {\"r\": {\"when_match\": true, \"conditions\": [{\"action\": \"KEY_GREATER_THAN_VALUE\", \"key\": \"n\", \"value\": 1e3}]}}\n    },\n    \"gamma\": {\n        \"default\": {\"limit\": 1.0, \"big\": -98765432109876543210},\n        \"boolean_type\": false\n    }\n}"),
        ("tabs", "{\n\t\"alpha\": {\n\t\t\"default\": true\n\t},\n\t\"beta\": {\n\t\t\"default\": false\n\t},\n\t\"gamma\": {\n\t\t\"default\": \"\\u00e9t\\u00e9\",\n\t\t\"boolean_type\": false\n\t}\n}\n"),
        ("compact, Python separators", "{\"alpha\": {\"default\": true}, \"beta\": {\"default\": false, \"rules\": {}}, \"gamma\": {\"default\": [1, 2.50, 3E2], \"boolean_type\": false}}"),
        ("compact, tight", "{\"alpha\":{\"default\":true},\"beta\":{\"default\":false},\"gamma\":{\"default\":\"x\",\"boolean_type\":false}}\n"),
        ("CRLF", "{\r\n  \"alpha\": {\r\n    \"default\": true\r\n  },\r\n  \"beta\": {\r\n    \"default\": false\r\n  },\r\n  \"gamma\": {\r\n    \"default\": 0.1,\r\n    \"boolean_type\": false\r\n  }\r\n}\r\n"),
        ("one flag per line", "{\n  \"alpha\": {\"default\": true},\n  \"beta\":  {\"default\" : false},\n  \"gamma\": {\"default\": 7, \"boolean_type\": false}\n}\n"),
        ("BOM and odd spacing", "\u{FEFF}{ \"alpha\" :{ \"default\" :true } ,\n\"beta\":{\"default\":false}   ,  \"gamma\"  : {\"default\":null,\"boolean_type\":false,\"default2\":1}}  \n"),
    ]

    static let edits: [(String, JSONValue)] = [
        ("kill-like", .object(JSONObject([("default", .bool(false))]))),
        ("with rules", try! JSONParser.parse(#"{"default": false, "rules": {"ops": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "team", "value": "ops"}]}}}"#)),
        ("scalar", .bool(true)),
    ]

    @Test(arguments: powertoolsStyles)
    func replacingOneFlagKeepsEveryOtherByte(style: (String, String)) throws {
        let doc = try FlagDocuments.parse(style.1, format: .powertools, file: "t.json")
        #expect(doc.keys == ["alpha", "beta", "gamma"])
        for key in doc.keys {
            for (_, v) in Self.edits {
                let next = try doc.replacing(key, with: v)
                DocumentChecks.onlyChanged(doc, next, key)
                DocumentChecks.othersIdentical(doc, next, except: key)
                #expect(next.fragment(key).map { JSONTextEdit.identical($0, v) } == true)
                #expect(next.keys == doc.keys)
                if style.1.contains("\r\n") { #expect(!next.text.replacingOccurrences(of: "\r\n", with: "").contains("\n")) }
            }
        }
        // Inserting a new flag appends it and keeps the rest.
        let added = try doc.replacing("delta", with: .object(JSONObject([("default", .bool(true))])))
        DocumentChecks.onlyChanged(doc, added, "delta")
        #expect(added.keys == ["alpha", "beta", "gamma", "delta"])
    }

    @Test func unchangedMembersKeepTheirSpelling() throws {
        let text = "{\n    \"f\": {\n        \"default\": {\"n\": 1e3, \"m\": 1.0, \"big\": 123456789012345678901234567890},\n        \"boolean_type\": false,\n        \"x-note\": \"\\u00e9\",\n        \"rules\": {\"r\": {\"when_match\": 2.50, \"conditions\": [{\"action\": \"EQUALS\", \"key\": \"k\", \"value\": 1E2}]}}\n    }\n}\n"
        let doc = try FlagDocuments.parse(text, format: .powertools, file: "t.json")
        var o = doc.fragment("f")!.objectValue!
        o["rules"] = nil
        let next = try doc.replacing("f", with: .object(o))
        #expect(next.text == "{\n    \"f\": {\n        \"default\": {\"n\": 1e3, \"m\": 1.0, \"big\": 123456789012345678901234567890},\n        \"boolean_type\": false,\n        \"x-note\": \"\\u00e9\"\n    }\n}\n")
        // Adding a member writes it like its siblings, one per line at their indentation.
        o["rules"] = try JSONParser.parse(#"{"r": {"when_match": 1, "conditions": [{"action": "EQUALS", "key": "k", "value": 2}]}}"#)
        let back = try next.replacing("f", with: .object(o))
        #expect(back.text.contains("        \"x-note\": \"\\u00e9\",\n        \"rules\": {\n            \"r\": {\n                \"when_match\": 1,"))
        #expect(back.text.contains("\"n\": 1e3"))
    }

    @Test func noOpWritesNoByte() throws {
        for (_, text) in Self.powertoolsStyles {
            let doc = try FlagDocuments.parse(text, format: .powertools, file: "t.json")
            for k in doc.keys {
                #expect(try doc.replacing(k, with: doc.fragment(k)!).bytes == doc.bytes)
            }
        }
    }

    @Test func duplicateLookingKeysInNestedObjectsAreNotConfused() throws {
        // "beta" is also a rule name inside "alpha", and "default" appears at every level.
        let text = #"{"alpha": {"default": false, "rules": {"beta": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "beta", "value": "beta"}]}}}, "beta": {"default": true}}"#
        let doc = try FlagDocuments.parse(text, format: .powertools, file: "t.json")
        let next = try doc.replacing("beta", with: .object(JSONObject([("default", .bool(false))])))
        #expect(next.text == #"{"alpha": {"default": false, "rules": {"beta": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "beta", "value": "beta"}]}}}, "beta": {"default": false}}"#)
    }

    @Test func nestedContainersForFlagdAndFeatureFlags() throws {
        let flagd = "{\n  \"$schema\": \"https://flagd.dev/schema/v0/flags.json\",\n  \"flags\": {\n    \"a\": {\n      \"state\": \"ENABLED\",\n      \"variants\": {\"on\": true, \"off\": false},\n      \"defaultVariant\": \"on\"\n    },\n    \"b\": {\n      \"state\": \"ENABLED\",\n      \"variants\": {\"on\": true, \"off\": false},\n      \"defaultVariant\": \"off\"\n    }\n  },\n  \"metadata\": {\"flags\": \"not these\"}\n}\n"
        let d = try FlagDocuments.parse(flagd, format: nil, file: "flags.json")
        #expect(d.format == .flagd)
        #expect(d.keys == ["a", "b"])
        let k = try d.killing("a")
        DocumentChecks.onlyChanged(d, k, "a")
        #expect(k.text.contains("\"defaultVariant\": \"off\"\n    },\n    \"b\""))
        let ff = #"{"version": "1", "flags": {"a": {"name": "A"}, "b": {"name": "B", "attributes": {"n": {"constraints": {"type": "number"}}}}}, "values": {"a": {"enabled": true}, "b": {"enabled": true, "n": 1.50}}}"#
        let f = try FlagDocuments.parse(ff, format: nil, file: "ff.json")
        #expect(f.format == .appConfigFeatureFlags)
        let fk = try f.killing("b")
        #expect(fk.text == #"{"version": "1", "flags": {"a": {"name": "A"}, "b": {"name": "B", "attributes": {"n": {"constraints": {"type": "number"}}}}}, "values": {"a": {"enabled": true}, "b": {"enabled": false, "n": 1.50}}}"#)
        // A new flag lands in both objects.
        let added = try f.applying(DesiredCell(enabled: true, rolloutBasisPoints: 10_000, defaultValue: "true"), to: "c",
                                   context: DocumentContext(environment: "prod"))
        #expect(added.text == #"{"version": "1", "flags": {"a": {"name": "A"}, "b": {"name": "B", "attributes": {"n": {"constraints": {"type": "number"}}}}, "c": {"name": "c"}}, "values": {"a": {"enabled": true}, "b": {"enabled": true, "n": 1.50}, "c": {"enabled": true}}}"#)
    }

    @Test func emptyContainersAndInsertions() throws {
        let doc = try FlagDocuments.parse("{\n  \"flags\": {}\n}\n", format: .flagd, file: "f.json")
        let next = try doc.replacing("x", with: try JSONParser.parse(#"{"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on"}"#))
        #expect(next.text == "{\n  \"flags\": {\n    \"x\": {\n      \"state\": \"ENABLED\",\n      \"variants\": {\n        \"on\": true\n      },\n      \"defaultVariant\": \"on\"\n    }\n  }\n}\n")
    }

    @Test func unparsableDocumentsAreRefusedNotRepaired() {
        for bad in ["{\"a\": {\"default\": true},}", "{\"a\": {\"default\": true}", "{\"a\": 1, \"a\": 2}", "[]", "{\"a\": {\"default\": tru}}"] {
            #expect(throws: FormatError.self) { try FlagDocuments.parse(bad, format: .powertools, file: "bad.json") }
        }
        do {
            _ = try FlagDocuments.parse("{\n  \"a\": {\"default\": true},\n}", format: .powertools, file: "bad.json")
        } catch {
            #expect(error.location?.file == "bad.json")
            #expect(error.location?.line == 3)
        }
    }
}
