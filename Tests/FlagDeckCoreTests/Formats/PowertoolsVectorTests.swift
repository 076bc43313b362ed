import Foundation
import Testing
@testable import FlagDeckCore

/// Agreement with the real Powertools library on every committed vector
/// (see Vectors/generate_powertools_vectors.py and generate_posix_tz_vectors.py).
@Suite struct PowertoolsVectorTests {
    @Test func evaluationVectorsAllAgree() throws {
        let (total, failures) = try Self.checkEvaluations("powertools_eval_vectors.jsonl")
        #expect(total >= 2000)
        #expect(failures.isEmpty, "\(failures.count) disagreements, first: \(failures.prefix(15).joined(separator: "\n"))")
    }

    @Test func schemaVectorsAllAgree() throws {
        let (total, failures) = try Self.checkSchemas("powertools_schema_vectors.jsonl")
        #expect(total >= 200)
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.prefix(20).joined(separator: "\n"))")
    }

    /// Every `{"config", "now", "cases"}` group of `file` through `PowertoolsEvaluator`,
    /// both the explained path and the allocation-free one.
    static func checkEvaluations(_ file: String) throws -> (total: Int, failures: [String]) {
        let groups = try VectorFiles.lines(file)
        var total = 0, failures: [String] = []
        for g in groups {
            let config = try #require(g["config"])
            let now = try #require(CivilDateTime.parseInstant(g["now"]!.stringValue!))
            let ev: PowertoolsEvaluator
            do { ev = try PowertoolsEvaluator(json: config) } catch {
                failures.append("config refused: \(error) in \(JSONWriter.compact(config).prefix(300))")
                continue
            }
            for c in g["cases"]!.arrayValue! {
                total += 1
                let ctx = c["context"]!.objectValue!
                let expected = c["expected"]!
                let got: JSONValue
                if c["enabled"] != nil {
                    do { got = .array(try ev.enabledFeatures(context: ctx, now: now).map { .string($0) }) } catch { got = .string("error") }
                } else {
                    got = ev.evaluate(c["feature"]!.stringValue!, context: ctx, default: c["default"]!, now: now)
                    // The allocation-free fast path must agree too.
                    if let i = ev.featureIndex(c["feature"]!.stringValue!) {
                        let fast = ev.value(feature: i, bound: ev.bind(ctx), now: now)
                        if JSONWriter.compact(fast) != JSONWriter.compact(expected) {
                            failures.append("fast path: \(JSONWriter.compact(c)) got=\(JSONWriter.compact(fast))")
                        }
                    }
                }
                if JSONWriter.compact(got) != JSONWriter.compact(expected) {
                    failures.append("now=\(g["now"]!.stringValue!) case=\(JSONWriter.compact(c)) got=\(JSONWriter.compact(got)) feature=\(c["feature"].flatMap { config[$0.stringValue!] }.map(JSONWriter.compact) ?? "-")")
                }
            }
        }
        print("\(file): \(total - failures.count)/\(total) agree")
        return (total, failures)
    }

    /// Every `{"config", "valid", "error"}` line of `file` through `PowertoolsValidator`.
    static func checkSchemas(_ file: String) throws -> (total: Int, failures: [String]) {
        let vectors = try VectorFiles.lines(file)
        var failures: [String] = []
        for v in vectors {
            let config = v["config"]!
            let expectValid = v["valid"]!.boolValue!
            var ourError: String?
            do { _ = try PowertoolsValidator.validate(config) } catch { ourError = error.description }
            if (ourError == nil) != expectValid {
                failures.append("config=\(JSONWriter.compact(config)) powertools=\(v["error"]!.stringValue!) ours=\(ourError ?? "valid")")
            }
        }
        print("\(file): \(vectors.count - failures.count)/\(vectors.count) agree")
        return (vectors.count, failures)
    }
}
