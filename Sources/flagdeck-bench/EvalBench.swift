import FlagDeckCore
import Foundation

/// Powertools evaluation throughput (issue 6): 200 features × (EQUALS, MODULO_RANGE),
/// 10,000 contexts; see `FormatsBenchmark`. When a Python with aws-lambda-powertools is
/// available ($FLAGDECK_POWERTOOLS_PYTHON, else /tmp/pt-venv/bin/python), the same
/// workload is run through the real library in the same run for the baseline and ratio.
enum EvalBench {
    static let suite = BenchSuite(name: "eval", metrics: ["evals_per_sec", "powertools_evals_per_sec", "evals_vs_powertools"], run: {
        let ours = FormatsBenchmark.evalsPerSecond(minimumSeconds: 2)
        var out = [("evals_per_sec", ours)]
        if let base = powertoolsBaseline() {
            out.append(("powertools_evals_per_sec", base))
            out.append(("evals_vs_powertools", ours / base))
        }
        return out
    })

    static func powertoolsBaseline() -> Double? {
        let python = ProcessInfo.processInfo.environment["FLAGDECK_POWERTOOLS_PYTHON"] ?? "/tmp/pt-venv/bin/python"
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let script = root.appendingPathComponent("Tests/FlagDeckCoreTests/Vectors/bench_powertools.py").path
        guard FileManager.default.isExecutableFile(atPath: python), FileManager.default.fileExists(atPath: script) else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, case .object(let o)? = try? JSONParser.parse(Array(data)),
              let v = o["powertools_evals_per_sec"] else { return nil }
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}
