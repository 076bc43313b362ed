import FlagDeckCore
import Foundation

/// Powertools evaluation throughput (issue 6): 200 features × (EQUALS, MODULO_RANGE),
/// 10,000 contexts; see `FormatsBenchmark`. The baseline is the real aws-lambda-powertools
/// (`bench_powertools.py` in the shared `consumers` virtualenv) on the same workload in
/// the same run. When it cannot run the suite fails, naming why; only `--no-peers`
/// skips it, and says so.
enum EvalBench {
    static let peers = ["powertools_evals_per_sec", "evals_vs_powertools", "evals_single_vs_powertools"]

    static let suite = BenchSuite(
        name: "eval",
        metrics: ["evals_per_sec", "evals_per_sec_single"] + peers,
        run: run,
        peers: peers,
        how: "\(FormatsBenchmark.featureCount) features × \(BenchDatabase.grouped(FormatsBenchmark.contextCount)) contexts, "
            + "whole passes for ≥ 2 s each: batched (context bound once, every feature) and single (evaluate(name, context) "
            + "per call); Powertools 3.37 FeatureFlags.evaluate call by call, same workload, ≥ 3 s, true-count checked")

    static func run() throws -> [(String, Double)] {
        let batched = FormatsBenchmark.batched(minimumSeconds: 2)
        let single = FormatsBenchmark.single(minimumSeconds: 2)
        guard batched.truePerPass == single.truePerPass else {
            throw BenchError("batched and single evaluation disagree: \(batched.truePerPass) vs \(single.truePerPass) true per pass")
        }
        var out = [("evals_per_sec", batched.evalsPerSecond), ("evals_per_sec_single", single.evalsPerSecond)]
        if BenchOptions.noPeers { return out }
        let base = try powertoolsBaseline(expectedTrue: batched.truePerPass)
        out += [("powertools_evals_per_sec", base), ("evals_vs_powertools", batched.evalsPerSecond / base),
                ("evals_single_vs_powertools", single.evalsPerSecond / base)]
        return out
    }

    /// Evaluations per second of the real Powertools; throws with the reason when it
    /// cannot be measured or did not run the same workload.
    static func powertoolsBaseline(expectedTrue: Int) throws -> Double {
        let script = BenchPython.path("Tests/FlagDeckCoreTests/Vectors/bench_powertools.py")
        guard FileManager.default.fileExists(atPath: script) else { throw BenchError("Powertools baseline: no \(script)") }
        let python: String
        do { python = try BenchPython.ensure() } catch {
            throw BenchError("Powertools baseline cannot run (pass --no-peers to skip it): \(error)")
        }
        let r = try BenchPython.run(python, [script, String(FormatsBenchmark.contextCount)])
        guard r.status == 0 else {
            throw BenchError("Powertools baseline failed (exit \(r.status); pass --no-peers to skip it): \(r.stderr.suffix(2000))")
        }
        guard case .object(let o)? = try? JSONParser.parse(Array(r.stdout.utf8)) else {
            throw BenchError("Powertools baseline printed no JSON object: \(r.stdout.prefix(500))")
        }
        func number(_ key: String) -> Double? {
            switch o[key] {
            case .int(let i)?: Double(i)
            case .double(let d)?: d
            default: nil
            }
        }
        guard let rate = number("powertools_evals_per_sec"), rate > 0 else {
            throw BenchError("Powertools baseline: no powertools_evals_per_sec in \(r.stdout.prefix(500))")
        }
        guard number("contexts") == Double(FormatsBenchmark.contextCount), number("features") == Double(FormatsBenchmark.featureCount) else {
            throw BenchError("Powertools baseline ran another workload: \(r.stdout.prefix(500))")
        }
        guard number("true_per_pass") == Double(expectedTrue) else {
            throw BenchError("Powertools and flagdeck disagree on the workload's outcome: \(number("true_per_pass").map { Int($0) } ?? -1) "
                             + "vs \(expectedTrue) true evaluations per pass")
        }
        return rate
    }
}
