import Foundation
import Testing
import FlagDeckTestSupport
@testable import FlagDeckCore
import FlagDeckDemo

/// Seed 003's own `FeatureManager` is the oracle for features_config.json documents.
@Suite(.serialized) struct FeaturesConfigOracleTests {
    static let envs: JSONValue = .array([.s("dev"), .s("staging"), .s("production")])

    /// 22 features in the seed's own layout (`json.dump(indent=4)`).
    static func document() throws -> FlagDocument {
        let meta: JSONValue = .obj([("description", .s("Something é")), ("owner", .s("UI Team"))])
        var f: [(String, JSONValue)] = []
        f.append(("new_ui", .obj([("active", .bool(true)), ("regions", .array([.s("US"), .s("RO")])), ("percentage_rollout", .i(90)),
                                  ("users", .array([.i(123), .i(456), .i(789)])), ("account_types", .array([.s("premium"), .s("enterprise")])),
                                  ("beta_program", .bool(true)), ("activation_date", .s("2022-12-25T00:00:00")), ("error_threshold", .i(100)),
                                  ("environments", envs), ("performance_baseline", .double(1.0)), ("metadata", meta)])))
        f.append(("advanced_search", .obj([("active", .bool(true)), ("depends_on", .array([.s("new_ui")])), ("regions", .array([.s("US")])),
                                           ("percentage_rollout", .i(85)), ("environments", envs), ("performance_baseline", .double(1.0))])))
        f.append(("only_active", .obj([("active", .bool(true))])))
        f.append(("inactive", .obj([("active", .bool(false)), ("regions", .array([.s("US")]))])))
        f.append(("half", .obj([("active", .bool(true)), ("percentage_rollout", .i(50))])))
        f.append(("tenth", .obj([("active", .bool(true)), ("percentage_rollout", .i(10)), ("users", .array([.i(1), .i(2), .s("u-3")]))])))
        f.append(("eu_only", .obj([("active", .bool(true)), ("regions", .array([.s("DE"), .s("FR"), .s("RO")]))])))
        f.append(("premium_only", .obj([("active", .bool(true)), ("account_types", .array([.s("premium")]))])))
        f.append(("beta", .obj([("active", .bool(true)), ("beta_program", .bool(true))])))
        f.append(("beta_off_flag", .obj([("active", .bool(true)), ("beta_program", .bool(false)), ("percentage_rollout", .i(70))])))
        f.append(("dev_only", .obj([("active", .bool(true)), ("environments", .array([.s("dev")]))])))
        f.append(("staging_prod", .obj([("active", .bool(true)), ("environments", .array([.s("staging"), .s("production")])), ("percentage_rollout", .i(40))])))
        f.append(("users_only", .obj([("active", .bool(true)), ("users", .array([.i(5), .i(6), .i(7)])), ("regions", .array([]))])))
        f.append(("depends_half", .obj([("active", .bool(true)), ("depends_on", .array([.s("half")]))])))
        f.append(("thresholds", .obj([("active", .bool(true)), ("performance_threshold", .i(3)), ("error_threshold", .double(0.5)), ("percentage_rollout", .i(60))])))
        f.append(("future_free", .obj([("active", .bool(true)), ("activation_date", .s("2020-01-01T00:00:00")), ("account_types", .array([.s("free"), .s("team")]))])))
        f.append(("zero", .obj([("active", .bool(true)), ("percentage_rollout", .i(0)), ("users", .array([.i(10)]))])))
        f.append(("hundred", .obj([("active", .bool(true)), ("percentage_rollout", .i(100)), ("regions", .array([.s("US"), .s("JP")]))])))
        f.append(("quarter_eu", .obj([("active", .bool(true)), ("regions", .array([.s("DE"), .s("FR")])), ("percentage_rollout", .i(25)), ("metadata", meta)])))
        f.append(("inactive_users", .obj([("active", .bool(false)), ("users", .array([.i(123)]))])))
        f.append(("enterprise_beta", .obj([("active", .bool(true)), ("account_types", .array([.s("enterprise")])), ("beta_program", .bool(true)), ("percentage_rollout", .i(75))])))
        f.append(("last", .obj([("active", .bool(true)), ("environments", .array([.s("production")])), ("regions", .array([.s("JP")]))])))
        let text = JSONWriter.render(.object(JSONObject(f)), layout: JSONLayout(unit: "    "), multiline: true, indent: "")
        return try FlagDocuments.parse(text, format: nil, file: "features_config.json")
    }

    static func contexts() -> [JSONValue] {
        var rng = SplitMix64(seed: 3)
        var out: [JSONValue] = []
        for n in 0..<230 {
            let id: JSONValue = n % 10 == 9 ? .s("u-\(n)") : .i([123, 456, 789, 1, 2, 5, 6, 7, 10].randomElement(using: &rng).flatMap { n % 6 == 0 ? $0 : nil } ?? 1000 + n)
            var m: [(String, JSONValue)] = [("user_id", id)]
            if n != 17 { m.append(("region", .s(["US", "RO", "DE", "FR", "JP"].randomElement(using: &rng)!))) }
            m.append(("account_type", .s(["premium", "enterprise", "free", "team"].randomElement(using: &rng)!)))
            m.append(("beta_program", .bool(Bool.random(using: &rng))))
            out.append(.obj(m))
        }
        return out
    }

    static func ours(_ doc: FlagDocument, _ key: String, _ ctx: [JSONValue], env: String = "production") throws -> [String] {
        let ev = try FeaturesConfigEvaluator(doc.value)
        let now = Date()
        return ctx.map { c in
            switch ev.isEnabled(key, context: c.objectValue!, environment: env, now: now) {
            case .enabled(let b, _): b ? "true" : "false"
            case .failure: "error"
            }
        }
    }

    /// Features that depend on `key`, directly or not.
    static func dependents(_ doc: FlagDocument, of key: String) -> Set<String> {
        var out: Set<String> = []
        var changed = true
        while changed {
            changed = false
            for k in doc.keys where !out.contains(k) {
                let deps = doc.fragment(k)?["depends_on"]?.arrayValue?.compactMap(\.stringValue) ?? []
                if deps.contains(where: { $0 == key || out.contains($0) }) { out.insert(k); changed = true }
            }
        }
        return out
    }

    @Test func killRestoreAndEditsAgreeWithTheSeedsFeatureManager() throws {
        var oracle = Oracle()
        defer { oracle.cleanUp() }
        let doc = try Self.document()
        #expect(doc.keys.count >= 20)
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
            paths.append(oracle.write(restored, "restored-\(k)"))
        }
        let evals = try Consumers.featuresConfig(documents: paths, contexts: texts, flags: doc.keys)
        let base = evals[0]
        let mixed = doc.keys.filter { Set(Oracle.column(base, $0)).count > 1 }
        #expect(mixed.count >= 12, "only \(mixed) vary across contexts")
        for k in doc.keys {
            #expect(Oracle.column(base, k) == (try Self.ours(doc, k, ctx)), "FeaturesConfigEvaluator disagrees with the seed on \(k)")
            // The cell flagdeck reads evaluates like the cascade (dependencies aside, which the inventory resolves).
            guard doc.fragment(k)?["depends_on"] == nil else { continue }
            let cell = try doc.cell(k, context: env)
            for (c, got) in zip(ctx, Oracle.column(base, k)) where got != "error" {
                #expect(Oracle.expected(k, cell.desired, c) == got, "\(k) read as \(cell) serves otherwise for \(JSONWriter.compact(c))")
            }
        }
        for (j, k) in doc.keys.enumerated() {
            let kill = evals[1 + 2 * j], restored = evals[2 + 2 * j]
            #expect(Oracle.column(kill, k).allSatisfy { $0 == "false" }, "\(k) is not off for every context after a kill")
            let deps = Self.dependents(doc, of: k)
            for other in doc.keys where other != k {
                if deps.contains(other) {
                    #expect(Oracle.column(kill, other) == (try Self.ours(killed[j], other, ctx)))
                    #expect(!Oracle.column(kill, other).contains("true"), "\(other) depends on killed \(k) but is on")
                } else {
                    #expect(Oracle.column(kill, other) == Oracle.column(base, other), "killing \(k) changed \(other)")
                }
            }
            #expect(restored.results == base.results)
        }
        // flagdeck's kill writes what the seed's own kill (FeatureManager.disable) writes.
        for k in ["new_ui", "only_active", "inactive", "tenth"] {
            let p = oracle.write(doc, "disable-\(k)")
            try Consumers.featureManagerDisable(document: p, feature: k)
            let theirs = try JSONParser.parse(Array(FileManager.default.contents(atPath: p)!))
            let mine = try doc.killing(k).value
            #expect(JSONTextEdit.identical(theirs, mine), "flagdeck's kill of \(k) differs from FeatureManager.disable")
        }

        // Edits.
        func d(_ k: String, _ change: (inout DesiredCell) -> Void) throws -> DesiredCell {
            var c = try doc.cell(k, context: env).desired
            change(&c)
            return c
        }
        let edits: [(String, DesiredCell)] = [
            ("inactive", try d("inactive") { $0.enabled = true; $0.rolloutBasisPoints = 10_000; $0.rules = JSONWriter.compact(.array(FeaturesConfigImport.cascadeRules(doc.fragment("inactive")!.objectValue!))) }),
            ("dev_only", try d("dev_only") { $0.enabled = true; $0.rolloutBasisPoints = 10_000 }),
            ("half", try d("half") { $0.enabled = false }),
            ("half", try d("half") { $0.rolloutBasisPoints = 3_000 }),
            ("eu_only", try d("eu_only") { $0.rolloutBasisPoints = 2_000 }),
            ("hundred", try d("hundred") { $0.rolloutBasisPoints = 0 }),
            ("tenth", try d("tenth") { $0.overrides = [DocumentOverride(contextKey: "user_id", matchValue: .i(1001), serve: "true")] + $0.overrides.filter { $0.matchValue != .i(2) } }),
            ("premium_only", try d("premium_only") { $0.overrides = [DocumentOverride(contextKey: "user_id", matchValue: .i(1002), serve: "true"), DocumentOverride(contextKey: "user_id", matchValue: .s("u-19"), serve: "true")] }),
            ("users_only", try d("users_only") { $0.overrides = [] }),
            ("only_active", try d("only_active") { $0.rolloutBasisPoints = 5_000 }),
            ("brand_new", DesiredCell(enabled: true, rolloutBasisPoints: 3_500, overrides: [DocumentOverride(contextKey: "user_id", matchValue: .i(1003), serve: "true")])),
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
        let editEvals = try Consumers.featuresConfig(documents: editPaths, contexts: texts, flags: doc.keys + ["brand_new"])
        for (j, (k, desired)) in edits.enumerated() {
            let got = Oracle.column(editEvals[j], k)
            #expect(got == (try Self.ours(edited[j], k, ctx)), "FeaturesConfigEvaluator disagrees with the seed on edited \(k)")
            for (c, g) in zip(ctx, got) where g != "error" {
                #expect(Oracle.expected(k, desired, c) == g, "\(k) written as \(desired) serves \(g) for \(JSONWriter.compact(c))")
            }
            let back = try edited[j].cell(k, context: env)
            #expect(back.enabled == desired.enabled)
            if desired.enabled {
                #expect(back.rolloutBasisPoints == desired.rolloutBasisPoints)
                #expect(Set(back.overrides) == Set(desired.overrides))
            }
            for other in doc.keys where other != k && !Self.dependents(doc, of: k).contains(other) {
                #expect(Oracle.column(editEvals[j], other) == Oracle.column(base, other), "editing \(k) changed \(other)")
            }
        }
    }

    @Test func whatTheFormatCannotSayIsRefused() throws {
        let doc = try Self.document()
        let env = DocumentContext(environment: "production")
        let half = try doc.cell("half", context: env).desired
        func refused(_ d: DesiredCell, _ k: String, _ words: String) {
            do {
                _ = try doc.applying(d, to: k, context: env)
                Issue.record("wrote \(d) to \(k)")
            } catch {
                guard case .inexpressible(let loc, let m) = error else { Issue.record("\(error)"); return }
                #expect(loc.file == "features_config.json" && loc.path == "$.\(k)")
                #expect(m.contains(words), "\(m)")
            }
        }
        var x = half; x.rolloutBasisPoints = 2_550
        refused(x, "half", "whole percentage")
        x = half; x.overrides = [DocumentOverride(contextKey: "team", matchValue: .s("ops"), serve: "true")]
        refused(x, "half", "user_id")
        x = half; x.overrides = [DocumentOverride(contextKey: "user_id", matchValue: .i(1), serve: "false")]
        refused(x, "half", "serving true")
        x = half; x.rules = JSONWriter.compact(.array([.obj([("name", .s("r")), ("when_match", .bool(true)), ("conditions", .array([]))])]))
        refused(x, "half", "regions")
        x = half; x.valueKind = .json; x.defaultValue = "\"x\""
        refused(x, "half", "JSON-valued")
    }

    @Test func environmentsDecideTheBindingsCell() throws {
        let doc = try Self.document()
        #expect(try doc.cell("dev_only", context: DocumentContext(environment: "dev")).enabled)
        #expect(try !doc.cell("dev_only", context: DocumentContext(environment: "production")).enabled)
        #expect(try doc.cell("dev_only", context: DocumentContext(env: EnvironmentID(account: "a", name: "dev"))).enabled)
        let cell = try doc.cell("tenth", context: DocumentContext(environment: "production"))
        #expect(cell.rolloutBasisPoints == 1_000)
        #expect(cell.overrides.map(\.matchValue) == [.i(1), .i(2), .s("u-3")])
        #expect(!cell.rules.contains("listed users"))
        for k in doc.keys {
            let c = try doc.cell(k, context: DocumentContext(environment: "production"))
            let again = try doc.applying(c.desired, to: k, context: DocumentContext(environment: "production"))
            if again.bytes != doc.bytes { Issue.record("\(k): a no-op rewrote \(doc.fingerprint(k) ?? "") as \(again.fingerprint(k) ?? "")") }
        }
    }
}
