import FlagDeckCore
import Foundation

/// The `evals_per_sec` figures for `flagdeck-bench`: 200 Powertools features, each with an
/// `EQUALS` rule and a `MODULO_RANGE` rule, evaluated for each of 10,000 contexts in turn
/// (the same workload `bench_powertools.py` runs through the real Powertools). The config
/// is compiled once.
///
/// Two figures, because flagdeck and Powertools do not call the same way: `batched` binds
/// each context once (key lookup and interning) and then evaluates every feature for it,
/// the way a request evaluates its flags; `single` makes one `evaluate(name, context,
/// default)` call per evaluation, binding the context and looking the feature up by name
/// every time, exactly as `FeatureFlags.evaluate` is called.
public enum FormatsBenchmark {
    public static let featureCount = 200
    public static let contextCount = 10_000

    public static func config(features: Int = featureCount) -> JSONValue {
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

    public static func contexts(_ n: Int = contextCount) -> [JSONObject] {
        (0..<n).map { j in
            JSONObject([("tier", .string("tier-\(j % 11)")), ("user_id", .int(Int64(j * 7919 + 13))), ("region", .string("eu-west-1"))])
        }
    }

    public struct Throughput: Sendable {
        public var evalsPerSecond: Double
        /// Evaluations that returned true in one pass over all contexts: the same number
        /// from the Python baseline proves both ran the same workload with the same outcome.
        public var truePerPass: Int
        public var passes: Int
    }

    /// Whole passes over every context until at least `minimumSeconds` have passed.
    public static func batched(minimumSeconds: Double = 1.0, contexts n: Int = contextCount) -> Throughput {
        let ev = try! PowertoolsEvaluator(json: config())
        let ctxs = contexts(n)
        let featureCount = ev.config.features.count
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        return passes(minimumSeconds: minimumSeconds, evalsPerPass: ctxs.count * featureCount) {
            var trueCount = 0
            for c in ctxs {
                let b = ev.bind(c)
                for f in 0..<featureCount {
                    if case .bool(true) = ev.value(feature: f, bound: b, now: now) { trueCount += 1 }
                }
            }
            return trueCount
        }
    }

    /// One call per evaluation, by feature name, unbound context.
    public static func single(minimumSeconds: Double = 1.0, contexts n: Int = contextCount) -> Throughput {
        let ev = try! PowertoolsEvaluator(json: config())
        let ctxs = contexts(n)
        let names = ev.config.features.indices.map { "feature_\($0)" }
        precondition(names.allSatisfy { ev.featureIndex($0) != nil }, "feature names must match the config")
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        return passes(minimumSeconds: minimumSeconds, evalsPerPass: ctxs.count * names.count) {
            var trueCount = 0
            for c in ctxs {
                for name in names {
                    if case .bool(true) = ev.evaluate(name, context: c, default: .bool(false), now: now) { trueCount += 1 }
                }
            }
            return trueCount
        }
    }

    static func passes(minimumSeconds: Double, evalsPerPass: Int, _ pass: () -> Int) -> Throughput {
        var count = 0
        var truePerPass = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            let t = pass()
            precondition(count == 0 || t == truePerPass, "a pass must give the same outcome every time")
            truePerPass = t
            count += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < minimumSeconds
        precondition(truePerPass > 0 && truePerPass < evalsPerPass, "benchmark config must exercise both outcomes")
        return Throughput(evalsPerSecond: Double(count * evalsPerPass) / elapsed, truePerPass: truePerPass, passes: count)
    }
}
