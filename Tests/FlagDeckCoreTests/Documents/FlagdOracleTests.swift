import Foundation
import Testing
import FlagDeckTestSupport
@testable import FlagDeckCore
import FlagDeckDemo

/// openfeature-provider-flagd 0.6.1 in FILE mode is the oracle for flagd documents. Every
/// boolean evaluation uses the caller's default `true`, so an "off" that came from the
/// caller's default (as with `state: DISABLED`) would show.
@Suite(.serialized) struct FlagdOracleTests {
    static func v(_ name: String) -> JSONValue { .obj([("var", .s(name))]) }
    static func op(_ o: String, _ args: JSONValue...) -> JSONValue { .obj([(o, .array(args))]) }
    static let boolVariants: JSONValue = .obj([("on", .bool(true)), ("off", .bool(false))])

    static func flag(_ state: String = "ENABLED", _ variants: JSONValue = boolVariants, _ dv: String, _ targeting: JSONValue? = nil,
                     metadata: JSONValue? = nil) -> JSONValue {
        var m: [(String, JSONValue)] = [("state", .s(state)), ("variants", variants), ("defaultVariant", .s(dv))]
        if let targeting { m.append(("targeting", targeting)) }
        if let metadata { m.append(("metadata", metadata)) }
        return .object(JSONObject(m))
    }

    static func bflag(_ dv: String, _ targeting: JSONValue? = nil, state: String = "ENABLED", metadata: JSONValue? = nil) -> JSONValue {
        flag(state, boolVariants, dv, targeting, metadata: metadata)
    }

    static func fractional(_ a: String, _ wa: Int, _ b: String, _ wb: Int) -> JSONValue {
        .obj([("fractional", .array([.array([.s(a), .i(wa)]), .array([.s(b), .i(wb)])]))])
    }

    /// 23 flags: static, DISABLED, renamed variants, fractional rollouts, if-chains, JSON values, $ref, opaque JsonLogic.
    static func document() throws -> FlagDocument {
        var f: [(String, JSONValue)] = []
        f.append(("bool_on", bflag("on")))
        f.append(("bool_off", bflag("off")))
        f.append(("disabled_bool", bflag("off", state: "DISABLED")))
        f.append(("yes_no", flag("ENABLED", .obj([("yes", .bool(true)), ("no", .bool(false))]), "yes")))
        f.append(("rollout_30", bflag("off", fractional("on", 30, "off", 70))))
        f.append(("rollout_bp", bflag("off", fractional("off", 7450, "on", 2550))))
        f.append(("rules_team", bflag("off", .obj([("if", .array([op("==", v("team"), .s("ops")), .s("on"), .s("off")]))]))))
        f.append(("rules_in", bflag("off", .obj([("if", .array([op("in", v("region"), .array([.s("eu-west-1"), .s("eu-central-1")])), .s("on"), .s("off")]))]))))
        f.append(("rules_and", bflag("off", .obj([("if", .array([.obj([("and", .array([op("==", v("tier"), .s("pro")), op(">", v("age"), .i(30))]))]), .s("on"), .s("off")]))]))))
        f.append(("rules_starts", bflag("on", .obj([("if", .array([op("starts_with", v("email"), .s("admin")), .s("off"), .s("on")]))]))))
        f.append(("rules_then_rollout", bflag("off", .obj([("if", .array([op("==", v("team"), .s("web")), .s("on"), fractional("on", 50, "off", 50)]))]))))
        f.append(("string_color", flag("ENABLED", .obj([("red", .s("red")), ("blue", .s("blue")), ("green", .s("green"))]), "red",
                                       .obj([("if", .array([op("==", v("team"), .s("ops")), .s("blue"), .s("red")]))]))))
        f.append(("string_static", flag("ENABLED", .obj([("a", .s("alpha")), ("b", .s("beta"))]), "b")))
        f.append(("int_limit", flag("ENABLED", .obj([("small", .i(10)), ("big", .i(100))]), "small",
                                    .obj([("if", .array([op("==", v("tier"), .s("pro")), .s("big")]))]))))
        f.append(("object_cfg", flag("ENABLED", .obj([("a", .obj([("retries", .i(3)), ("mode", .s("safe"))])), ("b", .obj([("retries", .i(9))]))]), "a",
                                     .obj([("if", .array([op("==", v("tier"), .s("enterprise")), .s("b"), .s("a")]))]))))
        f.append(("disabled_string", flag("DISABLED", .obj([("x", .s("x")), ("y", .s("y"))]), "x")))
        f.append(("with_metadata", bflag("on", metadata: .obj([("owner", .s("team-a")), ("version", .i(3))]))))
        f.append(("ref_flag", bflag("off", .obj([("if", .array([.obj([("$ref", .s("isOps"))]), .s("on"), .s("off")]))]))))
        f.append(("opaque", bflag("off", .obj([("if", .array([.obj([("sem_ver", .array([v("version"), .s(">="), .s("1.2.0")]))]), .s("on"), .s("off")]))]))))
        f.append(("if_no_else", bflag("off", .obj([("if", .array([op("==", v("team"), .s("web")), .s("on")]))]))))
        f.append(("float_rate", flag("ENABLED", .obj([("low", .double(0.1)), ("high", .double(0.9))]), "low",
                                     .obj([("if", .array([op(">=", v("age"), .i(50)), .s("high"), .s("low")]))]))))
        f.append(("not_ops", bflag("off", .obj([("if", .array([.obj([("!", op("in", v("team"), .array([.s("ops")])))]), .s("on"), .s("off")]))]))))
        f.append(("modulo", bflag("off", .obj([("if", .array([.obj([("<=", .array([.i(0), op("%", v("user_num"), .i(10)), .i(4)]))]), .s("on"), .s("off")]))]))))
        let root: JSONValue = .obj([("$schema", .s("https://flagd.dev/schema/v0/flags.json")), ("flags", .object(JSONObject(f))),
                                    ("$evaluators", .obj([("isOps", op("==", v("team"), .s("ops")))]))])
        return try FlagDocuments.parse(JSONWriter.render(root, layout: JSONLayout(unit: "  "), multiline: true, indent: "") + "\n",
                                       format: nil, file: "flags.flagd.json")
    }

    static func contexts() -> [JSONValue] {
        var rng = SplitMix64(seed: 11)
        var out: [JSONValue] = []
        for n in 0..<230 {
            var m: [(String, JSONValue)] = []
            if n % 13 != 5 { m.append(("targetingKey", .s("user-\(n)"))) }
            m.append(("team", .s(["ops", "web", "data"].randomElement(using: &rng)!)))
            if n % 6 != 0 { m.append(("region", .s(["us-east-1", "eu-west-1", "eu-central-1"].randomElement(using: &rng)!))) }
            if n % 7 != 0 { m.append(("tier", .s(["free", "pro", "enterprise"].randomElement(using: &rng)!))) }
            if n % 5 != 0 { m.append(("age", .i(Int.random(in: 10...80, using: &rng)))) }
            if n % 4 != 0 { m.append(("email", .s(n % 3 == 0 ? "admin\(n)@x.test" : "u\(n)@x.test"))) }
            m.append(("user_num", .i(Int.random(in: 0...1000, using: &rng))))
            m.append(("version", .s(["1.0.0", "1.2.0", "2.0.1"].randomElement(using: &rng)!)))
            out.append(.obj(m))
        }
        return out
    }

    /// What the provider serves for a boolean flag whose targeting is one `fractional`.
    static func fractionalExpectation(_ doc: FlagDocument, _ key: String, _ ctx: [JSONValue]) -> [String] {
        let f = doc.fragment(key)!
        let parts = f["targeting"]!["fractional"]!.arrayValue!.map { p in (p.arrayValue![0].stringValue!, Int(JSONWriter.compact(p.arrayValue![1]))!) }
        let dv = f["defaultVariant"]!.stringValue!
        return ctx.map { c in
            guard let tk = c["targetingKey"]?.stringValue else { return JSONWriter.compact(f["variants"]![dv]!) }
            let name = FlagdFractional.assign(flagKey: key, targetingKey: tk, weights: parts)!
            return JSONWriter.compact(f["variants"]![name]!)
        }
    }

    @Test func killRestoreAndEditsAgreeWithTheFlagdProvider() throws {
        var oracle = Oracle()
        defer { oracle.cleanUp() }
        let doc = try Self.document()
        #expect(doc.format == .flagd && doc.keys.count >= 20)
        let ctx = Self.contexts()
        let texts = Oracle.texts(ctx)
        let env = DocumentContext(environment: "production")

        var paths = [oracle.write(doc, "original")]
        var killed: [FlagDocument] = []
        for k in doc.keys {
            let kd = try doc.killing(k)
            DocumentChecks.onlyChanged(doc, kd, k)
            killed.append(kd)
            paths.append(oracle.write(kd, "kill-\(k)"))
            let restored = try kd.replacing(k, with: doc.fragment(k)!)
            #expect(restored.bytes == doc.bytes, "restoring \(k) did not give back the original bytes")
        }
        paths.append(oracle.write(try killed[0].replacing(doc.keys[0], with: doc.fragment(doc.keys[0])!), "restored"))
        let evals = try Consumers.flagd(documents: paths, contexts: texts, flags: doc.keys, defaultBool: true)
        let base = evals[0]
        #expect(!base.results.joined().contains { $0.contains("error") }, "\(base.results.joined().filter { $0.contains("error") }.prefix(3))")
        #expect(evals.last!.results == base.results)
        // DISABLED serves the caller's default — the reason flagdeck never writes it.
        #expect(Oracle.column(base, "disabled_bool").allSatisfy { $0 == "true" })

        // The reading agrees with the provider wherever flagdeck can read the flag.
        for k in doc.keys where !["disabled_bool", "disabled_string"].contains(k) {
            guard let cell = try? doc.cell(k, context: env) else {
                #expect(k == "opaque", "\(k) could not be read")
                continue
            }
            let got = Oracle.column(base, k)
            if cell.enabled && cell.rolloutBasisPoints > 0 && cell.rolloutBasisPoints < 10_000 {
                if k != "rules_then_rollout" { #expect(got == Self.fractionalExpectation(doc, k, ctx), "\(k): fractional differs") }
                continue
            }
            #expect(got == ctx.map { Oracle.expected(k, cell.desired, $0) }, "\(k) read as \(cell) serves otherwise")
        }
        #expect(throws: FormatError.self) { try doc.cell("opaque", context: env) }

        for (j, k) in doc.keys.enumerated() {
            let kill = evals[1 + j]
            let f = doc.fragment(k)!
            let isBool = f["variants"]!.objectValue!.members.allSatisfy { $0.value.boolValue != nil }
            let off = isBool ? "false" : JSONWriter.compact(f["variants"]![f["defaultVariant"]!.stringValue!]!)
            #expect(Oracle.column(kill, k).allSatisfy { $0 == off }, "\(k) is not off for every context after a kill: \(Set(Oracle.column(kill, k)))")
            #expect(kill.reasons.allSatisfy { $0[j] == "STATIC" }, "\(k) after a kill is not a static off")
            for other in doc.keys where other != k {
                #expect(Oracle.column(kill, other) == Oracle.column(base, other), "killing \(k) changed \(other)")
            }
        }

        // Edits.
        func d(_ k: String, _ change: (inout DesiredCell) -> Void) throws -> DesiredCell {
            var c = try doc.cell(k, context: env).desired
            change(&c)
            return c
        }
        let teamRule = JSONWriter.compact(.array([.obj([("name", .s("data team")), ("when_match", .bool(true)),
                                                        ("conditions", .array([PowertoolsOracleTests.cond("EQUALS", "team", .s("data"))]))])]))
        let edits: [(String, DesiredCell)] = [
            ("bool_off", try d("bool_off") { $0.enabled = true; $0.rolloutBasisPoints = 10_000; $0.defaultValue = "true" }),
            ("bool_on", try d("bool_on") { $0.enabled = false }),
            ("disabled_bool", DesiredCell(enabled: true, rolloutBasisPoints: 10_000, defaultValue: "true")),
            ("yes_no", try d("yes_no") { $0.rolloutBasisPoints = 0; $0.defaultValue = "false"; $0.rules = teamRule }),
            ("rules_team", try d("rules_team") { $0.rules = teamRule }),
            ("rollout_30", try d("rollout_30") { $0.rolloutBasisPoints = 10_000; $0.defaultValue = "true" }),
            ("with_metadata", try d("with_metadata") { $0.rolloutBasisPoints = 5_000; $0.defaultValue = "false" }),
            ("bool_on", try d("bool_on") { $0.rolloutBasisPoints = 2_550; $0.defaultValue = "false" }),
            ("string_color", try d("string_color") { $0.defaultValue = "\"green\"" }),
            ("string_static", DesiredCell(enabled: true, rolloutBasisPoints: 10_000, rules: JSONWriter.compact(.array([.obj([
                ("name", .s("ops")), ("when_match", .s("gamma")), ("conditions", .array([PowertoolsOracleTests.cond("EQUALS", "team", .s("ops"))]))])])),
                defaultValue: "\"alpha\"", valueKind: .json)),
            ("opaque", DesiredCell(enabled: true, rolloutBasisPoints: 0, rules: teamRule)),
            ("new_flag", DesiredCell(enabled: true, rolloutBasisPoints: 0, rules: teamRule)),
        ]
        var editPaths: [String] = []
        var edited: [FlagDocument] = []
        for (k, desired) in edits {
            let e = try doc.applying(desired, to: k, context: env)
            DocumentChecks.onlyChanged(doc, e, k)
            DocumentChecks.othersIdentical(doc, e, except: k)
            edited.append(e)
            editPaths.append(oracle.write(e, "edit-\(k)"))
        }
        let editEvals = try Consumers.flagd(documents: editPaths, contexts: texts, flags: doc.keys + ["new_flag"], defaultBool: true)
        for (j, (k, desired)) in edits.enumerated() {
            let got = Oracle.column(editEvals[j], k)
            if desired.enabled && desired.rolloutBasisPoints > 0 && desired.rolloutBasisPoints < 10_000 {
                #expect(got == Self.fractionalExpectation(edited[j], k, ctx), "\(k): the provider's fractional differs from FlagdFractional")
                let keyed = zip(ctx, got).filter { $0.0["targetingKey"] != nil }
                let share = Double(keyed.filter { $0.1 == "true" }.count) / Double(keyed.count) * 10_000
                #expect(abs(share - Double(desired.rolloutBasisPoints)) < 1_000, "\(k): \(share) bp on, wanted \(desired.rolloutBasisPoints)")
            } else {
                #expect(got == ctx.map { Oracle.expected(k, desired, $0) }, "flagd disagrees with flagdeck on \(k) after writing \(desired)")
            }
            let back = try edited[j].cell(k, context: env)
            #expect(FlagdDocument.same(back, desired.cell), "\(k) reads back as \(back)")
            for other in doc.keys where other != k {
                #expect(Oracle.column(editEvals[j], other) == Oracle.column(base, other), "editing \(k) changed \(other)")
            }
        }
        // Variants are reused by value: yes_no keeps its own names.
        #expect(edited[3].fragment("yes_no")!["variants"]!.objectValue!.keys == ["yes", "no"])
        #expect(edited[3].fragment("yes_no")!["defaultVariant"] == .s("no"))
    }

    @Test func overridesAreRefusedAndNoOpsWriteNothing() throws {
        let doc = try Self.document()
        let env = DocumentContext(environment: "production")
        var c = try doc.cell("bool_on", context: env).desired
        c.overrides = [DocumentOverride(contextKey: "user_id", matchValue: .s("u1"), serve: "true")]
        do {
            _ = try doc.applying(c, to: "bool_on", context: env)
            Issue.record("an override was written to flagd")
        } catch {
            guard case .inexpressible(let loc, _) = error else { Issue.record("\(error)"); return }
            #expect(loc.path == "$.flags.bool_on")
        }
        for k in doc.keys {
            guard let cell = try? doc.cell(k, context: env) else { continue }
            let again = try doc.applying(cell.desired, to: k, context: env)
            if again.bytes != doc.bytes { Issue.record("\(k): a no-op rewrote \(doc.fingerprint(k)!) as \(again.fingerprint(k)!)") }
        }
    }

    /// A JSON flag's multivariate split (what `FlagdMapping` writes for a flag with
    /// variants) reads as a live cell, and rewriting its rules keeps the split under the
    /// split's own variant names, even where `default` shares the control's value.
    @Test func aMultivariateSplitIsReadAndKeptThroughARuleEdit() throws {
        var oracle = Oracle()
        defer { oracle.cleanUp() }
        let variants: JSONValue = .obj([("default", .obj([("label", .s("Pay now"))])), ("control", .obj([("label", .s("Pay now"))])),
                                        ("complete", .obj([("label", .s("Complete order"))]))])
        let split = Self.fractional("control", 50, "complete", 50)
        let rule = Self.op("==", Self.v("team"), .s("ops"))
        let f = Self.flag("ENABLED", variants, "default", .obj([("if", .array([rule, .s("complete"), split]))]))
        let root: JSONValue = .obj([("flags", .obj([("exp.copy", f)]))])
        let doc = try FlagDocuments.parse(JSONWriter.pretty(root), format: .flagd, file: "flags.json")
        let env = DocumentContext(environment: "production")
        let cell = try doc.cell("exp.copy", context: env)
        #expect(cell.enabled && cell.rolloutBasisPoints == 10_000 && cell.valueKind == .json)
        #expect(cell.defaultValue == #"{"label":"Pay now"}"#)
        #expect(try doc.applying(cell.desired, to: "exp.copy", context: env).bytes == doc.bytes, "a no-op rewrote the split")
        var noRules = cell.desired
        noRules.rules = "[]"
        let edited = try doc.applying(noRules, to: "exp.copy", context: env)
        #expect(edited.fragment("exp.copy")?["targeting"] == split, "the split must survive, names and all")
        let ctx = (0..<60).map { JSONValue.obj([("targetingKey", .s("user-\($0)")), ("team", .s($0 % 2 == 0 ? "ops" : "web"))]) }
        let eval = try Consumers.flagd(documents: [oracle.write(doc, "before"), oracle.write(edited, "after")], contexts: Oracle.texts(ctx),
                                       flags: ["exp.copy"])
        #expect(Set(Oracle.column(eval[1], "exp.copy")).count == 2, "the application still gets both variants")
        for (i, c) in ctx.enumerated() where c["team"] == .s("web") {
            #expect(Oracle.column(eval[0], "exp.copy")[i] == Oracle.column(eval[1], "exp.copy")[i], "context \(i) moved variant")
        }
    }
}
