import FlagDeckCore

/// Powertools evaluation throughput (issue 6): 200 features × (EQUALS, MODULO_RANGE),
/// 10,000 contexts; see `FormatsBenchmark`. Powertools itself does ~100k/s on this kind of
/// machine (Tests/FlagDeckCoreTests/Vectors/bench_powertools.py measures it).
enum EvalBench {
    static let suite = BenchSuite(name: "eval", metrics: ["evals_per_sec"], run: {
        [("evals_per_sec", FormatsBenchmark.evalsPerSecond(minimumSeconds: 2))]
    })
}
