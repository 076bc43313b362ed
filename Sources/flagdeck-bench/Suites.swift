/// Every benchmark suite, in the order they run.
enum Suites {
    static var all: [BenchSuite] {
        [KillBench.suite, EvalBench.suite, LifecycleBench.suite, DashboardBench.suite, SourcesBench.suite,
         PostgresBench.suite, AWSBench.suite, DynamoDBBench.suite]
    }
}
