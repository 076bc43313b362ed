import FlagDeckCore
import Foundation

/// The `evals_per_sec` figure for `flagdeck-bench`: 200 Powertools features, each with an
/// `EQUALS` rule and a `MODULO_RANGE` rule, evaluated for 10,000 contexts in turn. The
/// config is compiled once; each context is bound once (key lookup and interning) and
/// then every feature is evaluated for it, the way a request evaluates its flags. Binding
/// time is included in the measurement.
public enum FormatsBenchmark {
    public static func config(features: Int = 200) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for i in 0..<features {
            let rules: [(String, JSONValue)] = [
                ("tier is \(i % 7)", .object(JSONObject([
                    ("when_match", .bool(true)),
                    ("conditions", .array([.object(JSONObject([("action", .string("EQUALS")), ("key", .string("tier")),
                                                               ("value", .string("tier-\(i % 7)"))]))])),
                ]))),
                ("bucket \(i)", .object(JSONObject([
                    ("when_match", .bool(true)),
                    ("conditions", .array([.object(JSONObject([("action", .string("MODULO_RANGE")), ("key", .string("user_id")),
                                                               ("value", .object(JSONObject([("BASE", .int(100)), ("START", .int(0)),
                                                                                             ("END", .int(Int64(i % 100)))])))]))])),
                ]))),
            ]
            members.append(("feature_\(i)", .object(JSONObject([("default", .bool(false)), ("rules", .object(JSONObject(rules)))]))))
        }
        return .object(JSONObject(members))
    }

    public static func contexts(_ n: Int = 10_000) -> [JSONObject] {
        (0..<n).map { j in
            JSONObject([("tier", .string("tier-\(j % 11)")), ("user_id", .int(Int64(j * 7919 + 13))), ("region", .string("eu-west-1"))])
        }
    }

    /// Evaluations per second over at least `minimumSeconds` of work.
    public static func evalsPerSecond(minimumSeconds: Double = 1.0) -> Double {
        let ev = try! PowertoolsEvaluator(json: config())
        let ctxs = contexts()
        let featureCount = ev.config.features.count
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        var evals = 0
        var trueCount = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            for c in ctxs {
                let b = ev.bind(c)
                for f in 0..<featureCount {
                    if case .bool(true) = ev.value(feature: f, bound: b, now: now) { trueCount += 1 }
                }
                evals += featureCount
            }
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < minimumSeconds
        precondition(trueCount > 0 && trueCount < evals, "benchmark config must exercise both outcomes")
        return Double(evals) / elapsed
    }
}
