import Foundation
import Testing
@testable import FlagDeckCore
import FlagDeckDemo

/// Seeded random-mutation fuzzing of the parsers and evaluators (bounded, so it runs in
/// CI). Every mutated input must either be refused with a located `FormatError` or be
/// accepted and then evaluate without trapping. Crashes found become corpus files.
@Suite struct FuzzTests {
    /// Deterministic, so a failure reproduces from its iteration number.
    typealias Rng = SplitMix64

    static let tokens: [[UInt8]] = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u00", "\\ud800", "1e999", "-0", "null", "true",
                                     "\"EQUALS\"", "\"MODULO_RANGE\"", "\"SCHEDULE_BETWEEN_TIME_RANGE\"", "\"TIMEZONE\"", "\"24:00\"",
                                     "12345678901234567890123", "\u{301}", "\u{FF}", "\"rules\"", "\"depends_on\""].map { Array($0.utf8) }
        + [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x00]]

    static func mutate(_ input: [UInt8], _ rng: inout Rng) -> [UInt8] {
        var b = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !b.isEmpty else { b = tokens.randomElement(using: &rng)!; continue }
            let at = Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: b[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...8, using: &rng)))
            case 2: b.insert(contentsOf: tokens.randomElement(using: &rng)!, at: at)
            case 3: b = Array(b[..<at])  // truncate
            default:
                let from = Int.random(in: 0..<b.count, using: &rng)
                b.insert(contentsOf: b[from..<min(b.count, from + 16)], at: at)
            }
        }
        return b
    }

    @Test func mutatedInputsNeverCrashTheParsersOrEvaluators() throws {
        let seeds: [[UInt8]] = try [
            "sample-tree/acme/prod/features.json", "sample-tree/globex/staging/features.json",
            "features-config/features_config.json",
        ].map { Array(try Data(contentsOf: VectorFiles.directory.appendingPathComponent($0))) }
        var rng = Rng(seed: 0xF1A6_DEC)
        let contexts: [JSONObject] = [
            JSONObject([("tier", .string("premium")), ("user_id", .int(7)), ("region", .string("US"))]),
            JSONObject([("tier", .int(1)), ("user_id", .string("x")), ("account_type", .array([]))]), JSONObject(),
        ]
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        var accepted = 0, refused = 0
        for iteration in 0..<4000 {
            let input = Self.mutate(seeds[iteration % seeds.count], &rng)
            let doc: JSONValue
            do { doc = try JSONParser.parse(input) } catch {
                #expect(error.location != nil, "iteration \(iteration): error without a location")
                refused += 1
                continue
            }
            _ = JSONWriter.compact(doc)
            if let ev = try? PowertoolsEvaluator(json: doc) {
                accepted += 1
                for c in contexts {
                    _ = try? ev.enabledFeatures(context: c, now: now)
                    for f in ev.config.features { _ = ev.evaluate(f.name, context: c, default: .null, now: now) }
                }
            } else {
                refused += 1
            }
            if let fc = try? FeaturesConfigEvaluator(doc) {
                for name in fc.features.keys { for c in contexts { _ = fc.isEnabled(name, context: c, now: now) } }
                _ = try? FeaturesConfigImport.plan(doc, file: "fuzz.json")
            }
        }
        // Structure-aware: replace one node of a valid document, so the evaluators see
        // well-formed JSON with hostile shapes and types.
        let pool: [JSONValue] = [.null, .bool(true), .int(-1), .int(0), .bigInt(BigInteger(decimal: "123456789012345678901234567890")!),
                                 .double(1e300), .double(-0.5), .string(""), .string("EQUALS"), .string("CURRENT_TIME"),
                                 .string("24:00"), .string("2026-W53-7"), .string("e\u{301}"), .array([]), .array([.int(1), .string("a")]),
                                 .object(JSONObject()), .object(JSONObject([("BASE", .int(0)), ("START", .int(0)), ("END", .int(0))])),
                                 .object(JSONObject([("START", .string("23:00")), ("END", .string("01:00")), ("TIMEZONE", .string("Pacific/Chatham"))]))]
        let parsedSeeds = try seeds.map { try JSONParser.parse($0) }
        func replace(_ v: JSONValue, _ depth: Int, _ rng: inout Rng) -> JSONValue {
            if depth > 0, Int.random(in: 0..<4, using: &rng) == 0 { return pool.randomElement(using: &rng)! }
            switch v {
            case .object(let o) where !o.isEmpty:
                var m = o.members.map { ($0.key, $0.value) }
                let i = Int.random(in: 0..<m.count, using: &rng)
                m[i].1 = replace(m[i].1, depth + 1, &rng)
                return .object(JSONObject(m))
            case .array(let a) where !a.isEmpty:
                var a = a
                let i = Int.random(in: 0..<a.count, using: &rng)
                a[i] = replace(a[i], depth + 1, &rng)
                return .array(a)
            default:
                return pool.randomElement(using: &rng)!
            }
        }
        for iteration in 0..<3000 {
            let doc = replace(parsedSeeds[iteration % parsedSeeds.count], 0, &rng)
            let text = JSONWriter.compact(doc)
            #expect(JSONWriter.compact(try JSONParser.parse(text)) == text, "writer/parser round trip, iteration \(iteration)")
            if let ev = try? PowertoolsEvaluator(json: doc) {
                accepted += 1
                for c in contexts {
                    _ = try? ev.enabledFeatures(context: c, now: now)
                    for f in ev.config.features {
                        let a = ev.evaluate(f.name, context: c, default: .null, now: now)
                        let b = ev.value(feature: ev.featureIndex(f.name)!, bound: ev.bind(c), now: now)
                        #expect(a == b)
                    }
                }
            } else {
                refused += 1
            }
            if let fc = try? FeaturesConfigEvaluator(doc) {
                for name in fc.features.keys { for c in contexts { _ = fc.isEnabled(name, context: c, now: now) } }
                _ = try? FeaturesConfigImport.plan(doc, file: "fuzz.json")
            }
        }
        print("fuzz: 7000 mutated inputs, \(accepted) accepted and evaluated, \(refused) refused")
        #expect(accepted + refused > 0)
    }
}
