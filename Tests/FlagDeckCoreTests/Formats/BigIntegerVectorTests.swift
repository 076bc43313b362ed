import Foundation
import Testing
@testable import FlagDeckCore

/// Big integers against CPython (see Vectors/generate_bigint_vectors.py): `float(int)` at
/// the rounding and overflow boundaries, exact int/float comparisons, and the mixed
/// int/float modulo that goes through `float(int)`.
@Suite struct BigIntegerVectorTests {
    @Test func pythonVectorsAllAgree() throws {
        let vectors = try VectorFiles.lines("python_int_float_vectors.jsonl")
        var failures: [String] = []
        var counts: [String: Int] = [:]
        for v in vectors {
            let expected = v["expected"]!
            if let x = v["float_of"] {
                counts["float", default: 0] += 1
                let got = PythonOps.asDouble(try #require(Num(x)))
                if !Self.same(got, expected) { failures.append("float(\(JSONWriter.compact(x))) = \(got.map { "\($0)" } ?? "OverflowError")") }
            } else if let pair = v["compare"]?.arrayValue {
                counts["compare", default: 0] += 1
                let want = Int(try #require(Self.int(expected)))
                let (i, f) = (pair[0], pair[1])
                let ok = JSONCompare.numericCompare(i, f) == want && JSONCompare.numericCompare(f, i) == -want
                    && JSONCompare.pyEqual(i, f) == (want == 0) && JSONCompare.order(i, f, .lt) == (want < 0)
                    && JSONCompare.order(f, i, .ge) == (want <= 0)
                if !ok { failures.append("compare(\(JSONWriter.compact(i)), \(JSONWriter.compact(f))) = \(JSONCompare.numericCompare(i, f).map(String.init) ?? "nil"), want \(want)") }
            } else if let pair = v["mod"]?.arrayValue {
                counts["mod", default: 0] += 1
                let got = PythonOps.pyMod(pair[0], pair[1])
                let gotDouble: Double?? = got.map { if case .double(let d) = $0 { d } else { nil } }
                let matches: Bool
                switch (gotDouble, expected) {
                case (nil, .string("error")): matches = true
                case (.some(.some(let d)), .double): matches = Self.same(d, expected)
                default: matches = false
                }
                if !matches { failures.append("\(JSONWriter.compact(pair[0])) % \(JSONWriter.compact(pair[1])) = \(got.map(JSONWriter.compact) ?? "error")") }
            }
        }
        print("python int/float vectors: \(vectors.count - failures.count)/\(vectors.count) agree \(counts)")
        #expect(counts["float", default: 0] >= 2000 && counts["compare", default: 0] >= 1000 && counts["mod", default: 0] >= 100)
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.prefix(20).joined(separator: "\n"))")
    }

    @Test func parsesPrintsAndFloorsLikePython() throws {
        let text = "-123456789012345678901234567890"
        let b = try #require(BigInteger(decimal: Substring(text)))
        #expect(b.description == text)
        #expect(BigInteger(decimal: "+1") == nil && BigInteger(decimal: "1_0") == nil && BigInteger(decimal: "-") == nil)
        #expect(BigInteger(decimal: "-0")?.description == "0")
        #expect(BigInteger(decimal: "9223372036854775807")?.int64 == .max)
        #expect(BigInteger(decimal: "-9223372036854775808")?.int64 == .min)
        #expect(BigInteger(decimal: "9223372036854775808")?.int64 == nil)
        // Python: 7 % -3 == -2, -7 % 3 == 2, -7 % -3 == -1, 6 % -3 == 0.
        let r = { (a: Int64, m: Int64) in BigInteger(a).floorMod(BigInteger(m))?.int64 }
        #expect(r(7, -3) == -2 && r(-7, 3) == 2 && r(-7, -3) == -1 && r(6, -3) == 0 && r(1, 0) == nil)
        #expect(BigInteger(exactly: 1e300)?.description == String(format: "%.0f", 1e300))
        #expect(BigInteger(exactly: -9223372036854775808.0)?.int64 == .min)
        #expect(BigInteger(exactly: 0.5) == nil && BigInteger(exactly: .infinity) == nil)
    }

    static func same(_ got: Double?, _ expected: JSONValue) -> Bool {
        switch expected {
        case .string("OverflowError"): return got == nil
        case .double(let d): return got?.bitPattern == d.bitPattern
        case .int(let i): return got?.bitPattern == Double(i).bitPattern
        default: return false
        }
    }

    static func int(_ v: JSONValue) -> Int64? { if case .int(let i) = v { i } else { nil } }
}
