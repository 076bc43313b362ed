import Foundation
import Testing
@testable import FlagDeckCore

@Suite struct VariantTests {
    @Test func murmur3ReferenceValues() {
        // Published MurmurHash3_x86_32 test values (seed 0).
        #expect(Murmur3.hash32([]) == 0)
        #expect(Murmur3.hash32(Array("hello".utf8)) == 0x248b_fa47)
        #expect(Murmur3.hash32(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x2e4f_f723)
        #expect(Murmur3.hash32(Array("".utf8), seed: 1) == 0x514e_28b7)
    }

    @Test func fractionalSplitFollowsWeights() {
        let variants = [Variant(name: "red", value: "\"red\"", weight: 25), Variant(name: "blue", value: "\"blue\"", weight: 75)]
        var counts: [String: Int] = [:]
        for i in 0..<20_000 {
            let v = FractionalAssignment.assign(flagKey: "color", stickiness: "user-\(i)", variants: variants)!
            counts[v.name, default: 0] += 1
        }
        #expect(abs(counts["red"]! - 5_000) < 400)
        // Deterministic.
        #expect(FractionalAssignment.assign(flagKey: "color", stickiness: "user-1", variants: variants)
                == FractionalAssignment.assign(flagKey: "color", stickiness: "user-1", variants: variants))
    }

    @Test func cellEvaluatorServesVariantsAndExportsFractional() throws {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let flag = Flag(key: "color", createdAt: now, valueKind: .json,
                        variants: [Variant(name: "red", value: "\"red\"", weight: 1), Variant(name: "blue", value: "\"blue\"", weight: 1)])
        let state = FlagState(flagKey: "color", env: try EnvironmentID(parsing: "a/b"), enabled: true, defaultValue: "\"grey\"",
                              changedAt: now, changedBy: "t")
        let r = CellEvaluator.evaluate(flag: flag, state: state, context: JSONObject([("targetingKey", .string("u1"))]), now: now)
        guard case .variant(let name) = r.step else { Issue.record("\(r)"); return }
        #expect(r.value == .string(name))
        #expect(CellEvaluator.evaluate(flag: flag, state: state, context: JSONObject(), now: now).value == .string("grey"))
        let (doc, _) = FlagdMapping.document([(flag, state)])
        #expect(doc["flags"]?["color"]?["targeting"]?["fractional"] != nil)
    }
}
