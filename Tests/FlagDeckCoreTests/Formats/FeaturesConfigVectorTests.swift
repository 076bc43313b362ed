import Foundation
import Testing
@testable import FlagDeckCore

/// Agreement with the seed document's own `is_enabled` on every committed vector
/// (see Vectors/generate_features_config_vectors.py).
@Suite struct FeaturesConfigVectorTests {
    @Test func cascadeVectorsAllAgree() throws {
        let groups = try VectorFiles.lines("features_config_vectors.jsonl")
        var total = 0, failures: [String] = []
        for g in groups {
            let ev = try FeaturesConfigEvaluator(g["config"]!)
            let now = try #require(CivilDateTime.parseInstant(g["now"]!.stringValue! + "Z"))
            for c in g["cases"]!.arrayValue! {
                total += 1
                let r = ev.isEnabled(c["feature"]!.stringValue!, context: c["context"]!.objectValue!,
                                     environment: c["environment"]!.stringValue!, now: now)
                let got: JSONValue = r.isEnabled.map { .bool($0) } ?? .string("error")
                if JSONWriter.compact(got) != JSONWriter.compact(c["expected"]!) {
                    failures.append("\(JSONWriter.compact(c)) got \(JSONWriter.compact(got)) (\(r))")
                }
            }
        }
        print("features_config cascade vectors: \(total - failures.count)/\(total) agree")
        #expect(total >= 2000)
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.prefix(10).joined(separator: "\n"))")
    }

    @Test func bucketMatchesTheDocumentsHash() throws {
        // int(sha256(b"123new_ui").hexdigest(), 16) % 100, computed with Python.
        #expect(try FeaturesConfigEvaluator.bucket(userID: .int(123), salt: "new_ui") == 99)
        #expect(try FeaturesConfigEvaluator.bucket(userID: .int(123), salt: "new_ui") == FeaturesConfigEvaluator.bucket(userID: .string("123"), salt: "new_ui"))
        #expect(PythonFloat.repr(1e16) == "1e+16")
        #expect(PythonFloat.repr(1e15) == "1000000000000000.0")
        #expect(PythonFloat.repr(0.0001) == "0.0001")
        #expect(PythonFloat.repr(0.00001) == "1e-05")
        #expect(PythonFloat.repr(50.5) == "50.5")
    }
}
