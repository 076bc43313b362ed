import FlagDeckAWSTestSupport
import FlagDeckTestSupport
import Foundation

/// The seed's own `toggle_feature` (Tests/python/consumers/ddb_toggle_feature.py, copied
/// verbatim from /work/shared/seeds/000_*.txt) run over many jobs in one process: what
/// the application really gets for each job.
enum SeedOracle {
    enum Value: Equatable, CustomStringConvertible {
        case bool(Bool)
        /// Not a bool: the Python type and repr the application got.
        case other(type: String, repr: String)

        var description: String {
            switch self {
            case .bool(let b): b ? "True" : "False"
            case .other(let t, let r): "\(t) \(r)"
            }
        }
    }

    static func read(_ table: JobsTable, jobs: [String]) throws -> [String: Value] {
        let venv = try PythonVenv.consumers.ensure()
        let r = try ProcessRunner.run(venv.python, [RepoRoot.path("Tests/python/consumers/ddb_toggle_feature.py"), table.name],
                                      env: ["AWS_ENDPOINT_URL": table.endpoint, "AWS_ACCESS_KEY_ID": table.account,
                                            "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
                                            "AWS_CONFIG_FILE": "/nonexistent/flagdeck-aws-config",
                                            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/flagdeck-aws-credentials"],
                                      removing: ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION"],
                                      stdin: jobs.joined(separator: "\n") + "\n")
        guard r.status == 0 else { throw ProcessFailure("the seed's toggle_feature failed (\(r.status)): \(r.stderr.suffix(3000))") }
        var out: [String: Value] = [:]
        for line in r.stdout.split(separator: "\n") {
            guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let job = o["job"] as? String else { throw ProcessFailure("unreadable oracle line: \(line)") }
            if let b = o["value"] as? Bool {  // the harness prints a bool or an object, nothing else
                out[job] = .bool(b)
            } else if let v = o["value"] as? [String: Any] {
                out[job] = .other(type: v["type"] as? String ?? "?", repr: v["repr"] as? String ?? "?")
            } else {
                throw ProcessFailure("unreadable oracle value: \(line)")
            }
        }
        guard out.count == Set(jobs).count else {
            throw ProcessFailure("the oracle answered for \(out.count) of \(Set(jobs).count) jobs")
        }
        return out
    }
}
