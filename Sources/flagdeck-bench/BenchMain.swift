import Foundation

/// `flagdeck-bench [--json] [--only PREFIX] [--no-peers]`: figures measured side by side
/// in one run. Run it as a release build: `swift run -c release flagdeck-bench`.
///
/// Every ratio is against a baseline measured in the same run. A suite that does not
/// return every metric it declares is a failure (exit 1), so a baseline that could not
/// run is never silently left out; `--no-peers` is the one explicit way to skip the
/// baselines that need another program (the Python Powertools).
@main
enum BenchMain {
    static func main() {
        var json = false
        var only: String?
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let a = args.next() {
            switch a {
            case "--json": json = true
            case "--only": only = args.next()
            case "--no-peers": BenchOptions.noPeers = true
            case "--no-aws": AWSBench.enabled = false
            case "--no-postgres", "--no-pg-migrate": break  // read by PostgresBench
            case "-h", "--help":
                print("""
                    usage: flagdeck-bench [--json] [--only NAME-PREFIX] [--no-peers] [--no-postgres] [--no-pg-migrate] [--no-aws]

                      --no-peers       skip baselines that run another program (Powertools in Python); their
                                       metrics and ratios are then reported as skipped, not measured
                      --no-postgres    skip the team-store benchmarks (no PostgreSQL cluster is started)
                      --no-pg-migrate  skip the 1M-event migration figure
                      --no-aws         skip the AWS AppConfig and DynamoDB benchmarks (otherwise an emulator that cannot
                                       start fails the run)

                    benchmarks: \(Suites.all.map(\.name).joined(separator: ", "))
                    """)
                return
            default:
                FileHandle.standardError.write(Data("flagdeck-bench: unknown argument \(a)\n".utf8))
                exit(64)
            }
        }
        #if DEBUG
        warn("warning: debug build; use `swift run -c release flagdeck-bench`")
        #endif
        var results: [(suite: BenchSuite, metrics: [(String, Double)])] = []
        var failures: [String] = []
        for suite in Suites.all where only.map({ p in suite.name.hasPrefix(p) || suite.metrics.contains { $0.hasPrefix(p) } }) ?? true {
            if !json { warn("running \(suite.name)...") }
            do {
                let measured = try suite.run()
                let names = Set(measured.map(\.0))
                let skipped = BenchOptions.noPeers ? Set(suite.peers) : []
                let missing = suite.metrics.filter { !names.contains($0) && !skipped.contains($0) }
                if !missing.isEmpty { failures.append("\(suite.name) did not measure \(missing.joined(separator: ", "))") }
                if !skipped.isEmpty {
                    warn("flagdeck-bench: --no-peers: \(suite.peers.joined(separator: ", ")) NOT measured")
                }
                results.append((suite, measured.filter { m in only.map { p in suite.name.hasPrefix(p) || m.0.hasPrefix(p) } ?? true }))
            } catch {
                failures.append("\(suite.name) failed: \(error)")
            }
        }
        BenchDatabase.removeAll()
        if json {
            let body = results.flatMap(\.metrics).map { "  \"\($0.0)\": \(format($0.1))" }.joined(separator: ",\n")
            print("{\n\(body)\n}")
        } else {
            let w = max(results.flatMap(\.metrics).map(\.0.count).max() ?? 10, 6)
            print("metric".padding(toLength: w, withPad: " ", startingAt: 0) + "  value")
            for (suite, metrics) in results {
                print("# \(suite.name): \(suite.how.isEmpty ? "(the suite does not say how it measures)" : suite.how)")
                for (k, v) in metrics { print(k.padding(toLength: w, withPad: " ", startingAt: 0) + "  " + format(v)) }
            }
        }
        if !failures.isEmpty {
            for f in failures { warn("flagdeck-bench: FAILED: \(f)") }
            exit(1)
        }
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.3f", v)
    }

    static func warn(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
}

/// Command-line choices the suites read. Written once by `main` before any suite runs.
enum BenchOptions {
    nonisolated(unsafe) static var noPeers = false
}

/// One group of related metrics, measured together so ratios compare like with like.
struct BenchSuite: Sendable {
    var name: String
    /// Every metric the suite must return; one missing fails the run.
    var metrics: [String]
    var run: @Sendable () throws -> [(String, Double)]
    /// The metrics that need a peer program, left out (loudly) only with `--no-peers`.
    var peers: [String] = []
    /// One line for the table: what is measured, how many samples, on which database.
    var how: String = ""
}
