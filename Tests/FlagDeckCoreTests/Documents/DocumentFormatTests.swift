import Foundation
import Testing
@testable import FlagDeckCore

/// Detection, the AppConfig FeatureFlags forms, and errors that name file, line and path.
@Suite struct DocumentFormatTests {
    static let hosted = """
    {
      "version": "1",
      "flags": {
        "checkout": {"name": "Checkout", "attributes": {"limit": {"constraints": {"type": "number", "required": true}}}},
        "search": {"name": "Search", "_deprecation": {"status": "planned"}},
        "banner": {"name": "Banner"}
      },
      "values": {
        "checkout": {"enabled": true, "limit": 1e3, "_updatedAt": "2024-01-01T00:00:00Z"},
        "search": {"enabled": false}
      }
    }
    """

    @Test(arguments: [
        (#"{"a": {"default": true}, "b": {"default": false, "rules": {}}}"#, DocumentFormat.powertools),
        (#"{"new_ui": {"active": true, "regions": ["US"]}}"#, .featuresConfig),
        (#"{"$schema": "https://flagd.dev/schema/v0/flags.json", "flags": {}}"#, .flagd),
        (#"{"flags": {"x": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on"}}}"#, .flagd),
        (hosted, .appConfigFeatureFlags),
        (#"{"checkout": {"enabled": true, "limit": 1000}, "search": {"enabled": false}}"#, .appConfigFeatureFlagsServed),
    ])
    func detectsTheFormatFromContent(text: String, format: DocumentFormat) throws {
        #expect(FlagDocuments.detect(Array(text.utf8)) == format)
        #expect(try FlagDocuments.parse(text, format: nil, file: "x.json").format == format)
    }

    @Test(arguments: [
        ("{}", "empty object"),
        ("[]", "array"),
        (#"{"a": {"default": true, "active": true}}"#, "could be powertools or features-config"),
        (#"{"a": {"enabled": 1}}"#, "not a flag document"),
        (#"{"a": {"default": true}, "b": {"active": true}}"#, "not a flag document"),
    ])
    func unknownOrAmbiguousDocumentsNameTheFileAndWhy(text: String, why: String) {
        do {
            _ = try FlagDocuments.parse(text, format: nil, file: "conf/odd.json")
            Issue.record("detected a format for \(text)")
        } catch {
            #expect(error.location?.file == "conf/odd.json")
            #expect(error.description.contains(why), "\(error)")
        }
    }

    @Test func syntaxErrorsKeepLineColumnAndPath() {
        do {
            _ = try FlagDocuments.parse("{\n  \"flags\": {\n    \"a\": {\"state\": ENABLED}\n  }\n}", format: .flagd, file: "f.json")
            Issue.record("accepted")
        } catch {
            #expect(error.location?.file == "f.json")
            #expect(error.location?.line == 3)
            #expect(error.location?.path == "$.flags.a.state")
        }
    }

    @Test func hostedFeatureFlagsCellsKillsAndEdits() throws {
        let doc = try FlagDocuments.parse(Self.hosted, format: nil, file: "profile.json")
        let env = DocumentContext(environment: "prod")
        #expect(doc.keys == ["checkout", "search", "banner"])
        let checkout = try doc.cell("checkout", context: env)
        #expect(checkout.enabled && checkout.rolloutBasisPoints == 10_000)
        #expect(checkout.attributes == #"{"limit":1000.0}"#)
        #expect(try !doc.cell("search", context: env).enabled)
        #expect(try !doc.cell("banner", context: env).enabled)  // no values entry: not enabled
        let killed = try doc.killing("checkout")
        DocumentChecks.onlyChanged(doc, killed, "checkout")
        #expect(killed.text.contains(#""checkout": {"enabled": false, "limit": 1e3, "_updatedAt": "2024-01-01T00:00:00Z"}"#))
        #expect(try killed.replacing("checkout", with: doc.fragment("checkout")!).bytes == doc.bytes)
        // Enabling a flag with no values entry adds one; its definition is untouched.
        let on = try doc.applying(DesiredCell(enabled: true, rolloutBasisPoints: 10_000, defaultValue: "true"), to: "banner", context: env)
        DocumentChecks.onlyChanged(doc, on, "banner")
        #expect(on.fragment("banner") == (try JSONParser.parse(#"{"flags": {"name": "Banner"}, "values": {"enabled": true}}"#)))
        #expect(on.text.contains("\"search\": {\"enabled\": false},\n    \"banner\": {\"enabled\": true}\n  }"))
        // No-ops write nothing; partial rollouts, rules and overrides are refused.
        for k in doc.keys {
            let c = try doc.cell(k, context: env)
            #expect(try doc.applying(c.desired, to: k, context: env).bytes == doc.bytes)
        }
        for bad in [DesiredCell(enabled: true, rolloutBasisPoints: 5_000),
                    DesiredCell(enabled: true, rolloutBasisPoints: 10_000, rules: #"[{"name":"r","when_match":true,"conditions":[]}]"#),
                    DesiredCell(enabled: true, rolloutBasisPoints: 10_000, overrides: [DocumentOverride(contextKey: "k", matchValue: .i(1), serve: "true")])] {
            #expect(throws: FormatError.self) { try doc.applying(bad, to: "checkout", context: env) }
        }
    }

    @Test func servedFormIsReadButNeverWritten() throws {
        let doc = try FlagDocuments.parse(#"{"checkout": {"enabled": true, "limit": 1000, "tags": ["a"]}, "search": {"enabled": false}}"#,
                                          format: nil, file: "served.json")
        let env = DocumentContext(environment: "prod")
        let c = try doc.cell("checkout", context: env)
        #expect(c.enabled && c.attributes == #"{"limit":1000,"tags":["a"]}"#)
        #expect(try !doc.cell("search", context: env).enabled)
        do {
            _ = try doc.killing("checkout")
            Issue.record("wrote to the served form")
        } catch {
            #expect(error.description.contains("hosted document"))
        }
    }

    @Test func multiVariantFlagsAreRefusedClearly() throws {
        let doc = try FlagDocuments.parse(#"{"version": "1", "flags": {"m": {"name": "M"}}, "values": {"m": {"enabled": true, "_variants": [{"name": "a", "enabled": true, "rule": "(eq $x 1)"}]}}}"#,
                                          format: nil, file: "mv.json")
        #expect(throws: FormatError.self) { try doc.cell("m", context: DocumentContext(environment: "p")) }
        #expect(throws: FormatError.self) { try doc.killing("m") }
    }

    @Test func powertoolsEnvelopeAndValidationPaths() throws {
        let text = #"{"features": {"a": {"default": true}, "b": {"default": "yes"}}, "other": 1}"#
        let doc = try FlagDocuments.parse(text, format: .powertools, file: "env.json", envelope: ["features"])
        #expect(doc.keys == ["a", "b"])
        let k = try doc.killing("a")
        #expect(k.text == #"{"features": {"a": {"default": false}, "b": {"default": "yes"}}, "other": 1}"#)
        do {
            _ = try doc.cell("b", context: DocumentContext(environment: "p"))
            Issue.record("accepted a string default for a boolean feature")
        } catch {
            #expect(error.location?.file == "env.json")
            #expect(error.location?.path == "$.features.b.default")
        }
        #expect(throws: FormatError.self) { try FlagDocuments.parse(text, format: .powertools, file: "env.json", envelope: ["nope"]) }
    }

    @Test func parserSpansCoverExactlyEachValue() throws {
        let text = " { \"a\" : [1, {\"b\": \"\\u00e9\"}, []] ,\"c\":{}, \"d\": -1.5e3 } "
        let bytes = Array(text.utf8)
        let (v, span) = try JSONParser.parseWithSpans(bytes, spanDepth: .max)
        #expect(JSONWriter.compact(v) == JSONWriter.compact(try JSONParser.parse(text)))
        func check(_ s: JSONSpan, _ value: JSONValue) throws {
            let sub = try JSONParser.parse(Array(bytes[s.range]))
            #expect(JSONTextEdit.identical(sub, value))
            for (m, (k, x)) in zip(s.members ?? [], value.objectValue?.members.map { ($0.key, $0.value) } ?? []) {
                #expect(m.key == k)
                #expect(String(decoding: bytes[m.keyStart..<m.keyEnd], as: UTF8.self) == JSONText.quote(k))
                try check(m.value, x)
            }
            for (e, x) in zip(s.elements ?? [], value.arrayValue ?? []) { try check(e, x) }
        }
        try check(span, v)
        #expect(span.members?.count == 3 && span.member("a")?.value.elements?.count == 3)
        // Depth 1 records the root's members only.
        let (_, shallow) = try JSONParser.parseWithSpans(bytes, spanDepth: 1)
        #expect(shallow.members?.count == 3 && shallow.member("a")?.value.elements == nil)
    }
}
