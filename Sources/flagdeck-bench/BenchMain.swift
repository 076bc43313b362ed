import Foundation

/// `flagdeck-bench [--json] [--only PREFIX]`: figures measured side by side in one run.
/// Run it as a release build: `swift run -c release flagdeck-bench`.
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
            case "--no-postgres", "--no-pg-migrate": break  // read by PostgresBench
            case "--no-aws": break  // read by DynamoDBBench
            case "-h", "--help":
                print("usage: flagdeck-bench [--json] [--only NAME-PREFIX] [--no-postgres] [--no-aws]\n\nbenchmarks: \(Suites.all.map(\.name).joined(separator: ", "))")
                return
            default:
                FileHandle.standardError.write(Data("flagdeck-bench: unknown argument \(a)\n".utf8))
                exit(64)
            }
        }
        #if DEBUG
        FileHandle.standardError.write(Data("flagdeck-bench: warning: debug build; use `swift run -c release flagdeck-bench`\n".utf8))
        #endif
        var metrics: [(String, Double)] = []
        for suite in Suites.all where only.map({ p in suite.name.hasPrefix(p) || suite.metrics.contains { $0.hasPrefix(p) } }) ?? true {
            if !json { FileHandle.standardError.write(Data("running \(suite.name)...\n".utf8)) }
            do {
                metrics += try suite.run().filter { m in only.map { p in suite.name.hasPrefix(p) || m.0.hasPrefix(p) } ?? true }
            } catch {
                FileHandle.standardError.write(Data("flagdeck-bench: \(suite.name) failed: \(error)\n".utf8))
                exit(1)
            }
        }
        if json {
            let body = metrics.map { "  \"\($0.0)\": \(format($0.1))" }.joined(separator: ",\n")
            print("{\n\(body)\n}")
        } else {
            let w = metrics.map(\.0.count).max() ?? 10
            print("metric".padding(toLength: w, withPad: " ", startingAt: 0) + "  value")
            for (k, v) in metrics { print(k.padding(toLength: w, withPad: " ", startingAt: 0) + "  " + format(v)) }
        }
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.3f", v)
    }
}

/// One group of related metrics, measured together so ratios compare like with like.
struct BenchSuite: Sendable {
    var name: String
    var metrics: [String]
    var run: @Sendable () throws -> [(String, Double)]
}

enum Percentile {
    static func of(_ samples: [Double], _ p: Double) -> Double {
        let s = samples.sorted()
        guard !s.isEmpty else { return 0 }
        let idx = min(s.count - 1, max(0, Int((p / 100 * Double(s.count)).rounded(.up)) - 1))
        return s[idx]
    }
}

enum Clock {
    static func micros(_ body: () throws -> Void) rethrows -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000
    }
}
