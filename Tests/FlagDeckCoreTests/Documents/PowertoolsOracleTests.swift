import Foundation
import Testing
import FlagDeckTestSupport
@testable import FlagDeckCore
import FlagDeckDemo

/// aws-lambda-powertools 3.37.0 `FeatureFlags` is the oracle: after flagdeck edits a
/// Powertools document, the library serves what flagdeck says, and nothing else changed.
@Suite(.serialized) struct PowertoolsOracleTests {
    static func cond(_ action: String, _ key: String, _ value: JSONValue) -> JSONValue {
        .obj([("action", .s(action)), ("key", .s(key)), ("value", value)])
    }

    static func rule(_ wm: JSONValue, _ conds: [JSONValue]) -> JSONValue { .obj([("when_match", wm), ("conditions", .array(conds))]) }

    /// 24 features of every shape the mapping distinguishes, in a 4-space CRLF layout.
    static func document() throws -> FlagDocument {
        var f: [(String, JSONValue)] = []
        f.append(("on_plain", .obj([("default", .bool(true))])))
        f.append(("off_plain", .obj([("default", .bool(false))])))
        f.append(("owned", .obj([("default", .bool(true)), ("x-owner", .s("payments 旗")), ("x-ticket", .i(42))])))
        f.append(("premium", .obj([("default", .bool(false)), ("rules", .obj([
            ("tier premium", rule(.bool(true), [cond("EQUALS", "tier", .s("pro"))])),
            ("enterprise eu", rule(.bool(true), [cond("EQUALS", "tier", .s("enterprise")), cond("IN", "region", .array([.s("eu-west-1"), .s("eu-central-1")]))])),
        ]))])))
        f.append(("adults", .obj([("default", .bool(false)), ("rules", .obj([("adult", rule(.bool(true), [cond("KEY_GREATER_THAN_OR_EQUAL_VALUE", "age", .i(18))]))]))])))
        f.append(("not_free", .obj([("default", .bool(true)), ("rules", .obj([("free off", rule(.bool(false), [cond("EQUALS", "tier", .s("free"))]))]))])))
        f.append(("modulo_half", .obj([("default", .bool(false)), ("rules", .obj([("half", rule(.bool(true), [cond("MODULO_RANGE", "user_num", .obj([("BASE", .i(100)), ("START", .i(0)), ("END", .i(49))]))]))]))])))
        f.append(("staff", .obj([("rules", .obj([("staff mail", rule(.bool(true), [cond("ENDSWITH", "email", .s("@example.com"))]))])), ("default", .bool(false))])))
        f.append(("beta_us", .obj([("default", .bool(false)), ("rules", .obj([("us", rule(.bool(true), [cond("STARTSWITH", "region", .s("us-"))]))]))])))
        f.append(("not_ops", .obj([("default", .bool(false)), ("rules", .obj([("others", rule(.bool(true), [cond("NOT_EQUALS", "team", .s("ops"))]))]))])))
        f.append(("teams_in", .obj([("default", .bool(false)), ("rules", .obj([("listed", rule(.bool(true), [cond("KEY_IN_VALUE", "team", .array([.s("ops"), .s("web")]))]))]))])))
        f.append(("with_override", .obj([("default", .bool(false)), ("rules", .obj([
            ("flagdeck override: user_id = \"u-7\"", rule(.bool(true), [cond("EQUALS", "user_id", .s("u-7"))])),
            ("pro", rule(.bool(true), [cond("EQUALS", "tier", .s("pro"))])),
        ]))])))
        f.append(("json_limit", .obj([("default", .obj([("limit", .i(10)), ("burst", .double(1.5))])), ("boolean_type", .bool(false)), ("rules", .obj([
            ("pro limit", rule(.obj([("limit", .i(100)), ("burst", .double(2.0))]), [cond("EQUALS", "tier", .s("pro"))])),
        ]))])))
        f.append(("json_color", .obj([("default", .s("blue")), ("boolean_type", .bool(false))])))
        f.append(("json_number", .obj([("default", .double(0.25)), ("boolean_type", .bool(false)), ("rules", .obj([("eu", rule(.double(0.75), [cond("STARTSWITH", "region", .s("eu-"))]))]))])))
        f.append(("json_list", .obj([("default", .array([.s("a"), .s("b")])), ("boolean_type", .bool(false))])))
        f.append(("big_tenant", .obj([("default", .bool(false)), ("rules", .obj([("tenant", rule(.bool(true), [cond("EQUALS", "tenant", .bigInt(BigInteger(decimal: "123456789012345678901234567890")!))]))]))])))
        f.append(("lt_age", .obj([("default", .bool(true)), ("rules", .obj([("young", rule(.bool(false), [cond("KEY_LESS_THAN_VALUE", "age", .i(13))]))]))])))
        f.append(("falsy_rules", .obj([("default", .bool(true)), ("rules", .obj([]))])))
        f.append(("two_rules", .obj([("default", .bool(false)), ("rules", .obj([
            ("ops", rule(.bool(true), [cond("EQUALS", "team", .s("ops"))])),
            ("web young", rule(.bool(false), [cond("EQUALS", "team", .s("web")), cond("KEY_LESS_THAN_VALUE", "age", .i(30))])),
        ]))])))
        f.append(("none_in", .obj([("default", .bool(false)), ("rules", .obj([("no bad tags", rule(.bool(true), [cond("NONE_IN_VALUE", "tags", .array([.s("bad")]))]))]))])))
        f.append(("float_age", .obj([("default", .bool(false)), ("rules", .obj([("over", rule(.bool(true), [cond("KEY_GREATER_THAN_VALUE", "age", .double(40.5))]))]))])))
        f.append(("explicit_bool", .obj([("default", .bool(true)), ("boolean_type", .bool(true))])))
        f.append(("last_one", .obj([("default", .bool(false)), ("rules", .obj([("web", rule(.bool(true), [cond("EQUALS", "team", .s("web"))]))]))])))
        let layout = JSONLayout(newline: "\r\n", unit: "    ")
        let text = JSONWriter.render(.object(JSONObject(f)), layout: layout, multiline: true, indent: "") + "\r\n"
        return try FlagDocuments.parse(text, format: nil, file: "features.json")
    }

    static func contexts() -> [JSONValue] {
        var rng = SplitMix64(seed: 7)
        let tiers = ["free", "pro", "enterprise"], regions = ["us-east-1", "eu-west-1", "eu-central-1", "ap-south-1"]
        var out: [JSONValue] = []
        for n in 0..<240 {
            var m: [(String, JSONValue)] = [("user_id", .s("u-\(n)"))]
            if n % 7 != 0 { m.append(("tier", .s(tiers.randomElement(using: &rng)!))) }
            if n % 5 != 1 { m.append(("region", .s(regions.randomElement(using: &rng)!))) }
            m.append(("age", n % 11 == 0 ? .double(Double(Int.random(in: 1...80, using: &rng)) + 0.5) : .i(Int.random(in: 1...80, using: &rng))))
            m.append(("user_num", .i(Int.random(in: 0...10_000, using: &rng))))
            m.append(("email", .s(n % 3 == 0 ? "p\(n)@example.com" : "p\(n)@mail.test")))
            if n % 4 != 3 { m.append(("team", .s(["ops", "web", "data"].randomElement(using: &rng)!))) }
            if n % 9 == 0 { m.append(("tenant", .bigInt(BigInteger(decimal: "123456789012345678901234567890")!))) }
            m.append(("tags", .array(n % 6 == 0 ? [.s("bad")] : [.s("good")])))
            out.append(.obj(m))
        }
        out.append(.obj([]))
        return out
    }

    @Test func killRestoreAndEditsAgreeWithPowertools() throws {
        var oracle = Oracle()
        defer { oracle.cleanUp() }
        let doc = try Self.document()
        #expect(doc.keys.count >= 20)
        let ctx = Self.contexts()
        let texts = Oracle.texts(ctx)
        let ctxEnv = DocumentContext(environment: "production")

        // Kills: one document per flag, evaluated in one process with the original and the restored ones.
        var paths = [oracle.write(doc, "original")]
        var killed: [FlagDocument] = []
        for k in doc.keys {
            let kd = try doc.killing(k)
            DocumentChecks.onlyChanged(doc, kd, k)
            killed.append(kd)
            paths.append(oracle.write(kd, "kill-\(k)"))
            // Unkill restores the recorded fragment: the original bytes come back exactly.
            let restored = try kd.replacing(k, with: doc.fragment(k)!)
            #expect(restored.bytes == doc.bytes, "restoring \(k) did not give back the original bytes")
            paths.append(oracle.write(restored, "restored-\(k)"))
        }
        let evals = try Consumers.powertools(documents: paths, contexts: texts, flags: doc.keys, default: "\"caller-default\"")
        let base = evals[0]
        // The contexts exercise the rules: most boolean features are on for some and off for others.
        let mixed = doc.keys.filter { Set(Oracle.column(base, $0)).count > 1 }
        #expect(mixed.count >= 15, "only \(mixed) vary across contexts")
        #expect(!base.results.joined().contains { $0.contains("caller-default") || $0.contains("error") })
        // The reading agrees with the library on the original document, overrides included.
        for k in doc.keys {
            let cell = try doc.cell(k, context: ctxEnv)
            let want = ctx.map { Oracle.expected(k, cell.desired, $0) }
            #expect(Oracle.column(base, k) == want, "flagdeck reads \(k) as \(cell) but Powertools serves otherwise")
        }
        for (j, k) in doc.keys.enumerated() {
            let kill = evals[1 + 2 * j], restored = evals[2 + 2 * j]
            let cell = try doc.cell(k, context: ctxEnv)
            let off = cell.valueKind == .boolean ? "false" : JSONWriter.compact(try JSONParser.parse(cell.defaultValue))
            #expect(Oracle.column(kill, k).allSatisfy { $0 == off }, "\(k) is not off for every context after a kill")
            for other in doc.keys where other != k {
                #expect(Oracle.column(kill, other) == Oracle.column(base, other), "killing \(k) changed \(other)")
            }
            #expect(restored.results == base.results, "restoring \(k) did not restore every evaluation")
        }

        // Edits: enable, disable, rollout 0/100, rules, overrides, default: the library serves what flagdeck evaluates.
        let rules = JSONWriter.compact(.array([.obj([("name", .s("eu only")), ("when_match", .bool(true)),
                                                     ("conditions", .array([Self.cond("STARTSWITH", "region", .s("eu-"))]))])]))
        let edits: [(String, DesiredCell)] = [
            ("off_plain", DesiredCell(enabled: true, rolloutBasisPoints: 10_000, defaultValue: "true")),
            ("premium", DesiredCell(enabled: false, rolloutBasisPoints: 0)),
            ("adults", DesiredCell(enabled: true, rolloutBasisPoints: 10_000, rules: (try doc.cell("adults", context: ctxEnv)).rules, defaultValue: "true")),
            ("owned", DesiredCell(enabled: true, rolloutBasisPoints: 0, rules: rules)),
            ("not_ops", DesiredCell(enabled: true, rolloutBasisPoints: 0, rules: rules,
                                    overrides: [DocumentOverride(contextKey: "user_id", matchValue: .s("u-3"), serve: "true"),
                                                DocumentOverride(contextKey: "age", matchValue: .i(44), serve: "false")])),
            ("with_override", DesiredCell(enabled: true, rolloutBasisPoints: 0, rules: "[]")),
            ("json_color", DesiredCell(enabled: true, rolloutBasisPoints: 10_000, rules: JSONWriter.compact(.array([.obj([
                ("name", .s("ops red")), ("when_match", .s("red")), ("conditions", .array([Self.cond("EQUALS", "team", .s("ops"))]))])])),
                defaultValue: "\"green\"", valueKind: .json, overrides: [DocumentOverride(contextKey: "user_id", matchValue: .s("u-5"), serve: "\"gold\"")])),
            ("json_limit", DesiredCell(enabled: false, rolloutBasisPoints: 10_000, defaultValue: #"{"limit":10,"burst":1.5}"#, valueKind: .json)),
            ("new_flag", DesiredCell(enabled: true, rolloutBasisPoints: 0, rules: rules)),
        ]
        var editPaths: [String] = []
        var edited: [FlagDocument] = []
        for (k, d) in edits {
            let e = try doc.applying(d, to: k, context: ctxEnv)
            DocumentChecks.onlyChanged(doc, e, k)
            DocumentChecks.othersIdentical(doc, e, except: k)
            edited.append(e)
            editPaths.append(oracle.write(e, "edit-\(k)"))
        }
        let editEvals = try Consumers.powertools(documents: editPaths, contexts: texts, flags: doc.keys + ["new_flag"],
                                                 default: "\"caller-default\"")
        for (j, (k, d)) in edits.enumerated() {
            let want = ctx.map { Oracle.expected(k, d, $0) }
            #expect(Oracle.column(editEvals[j], k) == want, "Powertools disagrees with flagdeck on \(k) after writing \(d)")
            for other in doc.keys where other != k {
                #expect(Oracle.column(editEvals[j], other) == Oracle.column(base, other), "editing \(k) changed \(other)")
            }
            // Reading back gives the cell that was written (a disabled flag keeps no rules or overrides).
            let back = try edited[j].cell(k, context: ctxEnv)
            let want2 = ctx.map { Oracle.expected(k, back.desired, $0) }
            #expect(want2 == want, "\(k) reads back as \(back)")
            #expect(back.overrides == (d.enabled ? d.overrides : []))
        }
    }

    @Test func partialRolloutsAndImpossibleOverridesAreRefused() throws {
        let doc = try Self.document()
        let ctx = DocumentContext(environment: "production")
        do {
            _ = try doc.applying(DesiredCell(enabled: true, rolloutBasisPoints: 2_550), to: "premium", context: ctx)
            Issue.record("a 25.5% rollout was written to Powertools")
        } catch {
            guard case .inexpressible(let loc, let m) = error else { Issue.record("\(error)"); return }
            #expect(loc.file == "features.json" && loc.path == "$.premium")
            #expect(m.contains("25.5%") && m.contains("MODULO_RANGE"))
            #expect(error.description.hasPrefix("features.json: at $.premium: cannot write this change:"))
        }
        #expect(throws: FormatError.self) {
            try doc.applying(DesiredCell(enabled: true, rolloutBasisPoints: 10_000, defaultValue: "true",
                                         overrides: [DocumentOverride(contextKey: "k", matchValue: .i(1), serve: "\"text\"")]),
                             to: "premium", context: ctx)
        }
    }

    @Test func noOpRoundTripsWriteNoByte() throws {
        let doc = try Self.document()
        let ctx = DocumentContext(environment: "production")
        for k in doc.keys {
            let cell = try doc.cell(k, context: ctx)
            let again = try doc.applying(cell.desired, to: k, context: ctx)
            #expect(again.fingerprint(k) == doc.fingerprint(k), "\(k): \(cell)")
            #expect(again.bytes == doc.bytes, "\(k): a no-op change rewrote bytes")
        }
    }
}
