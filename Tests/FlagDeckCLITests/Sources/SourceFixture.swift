import FlagDeckTestSupport
import Foundation

/// A database with one environment bound to a document file, driven through the real
/// binary, so every test exercises `source add`, the push and the audit log as shipped.
struct SourceFixture {
    let dir: String
    let db: String
    let doc: String
    let env: String

    /// `document` is written to `dir/name` and bound to `env` with `format`.
    init(document: String, name: String = "features.json", format: String, env: String = "shop/prod",
         options: [String] = []) throws {
        dir = CLIRunner.temporaryDirectory()
        db = dir + "/flags.sqlite"
        doc = dir + "/" + name
        self.env = env
        FileManager.default.createFile(atPath: doc, contents: Data(document.utf8))
        try ok(["init"])
        try ok(["source", "add", env, "file:" + doc, "--format", format, "--reason", "bind"] + options)
    }

    @discardableResult
    func run(_ args: [String], env extra: [String: String] = [:]) throws -> CLIResult {
        try CLIRunner.run(args + ["--db", db], env: extra)
    }

    @discardableResult
    func ok(_ args: [String], env extra: [String: String] = [:]) throws -> CLIResult {
        let r = try run(args, env: extra)
        guard r.status == 0 else { throw CLIError("`flagdeck \(args.joined(separator: " "))` exited \(r.status): \(r.stderr)") }
        return r
    }

    func kill(_ flag: String, env extra: [String: String] = [:]) throws -> CLIResult {
        try run(["kill", flag, "--env", env, "--reason", "incident", "--yes"], env: extra)
    }

    func unkill(_ flag: String, env extra: [String: String] = [:]) throws -> CLIResult {
        try run(["unkill", flag, "--env", env, "--reason", "fixed", "--yes"], env: extra)
    }

    func history() throws -> [[String: Any]] {
        try CLIRunner.json(try ok(["history", "--json"]).stdout) as! [[String: Any]]
    }

    func text() throws -> String { try String(contentsOfFile: doc, encoding: .utf8) }
    func write(_ s: String) { FileManager.default.createFile(atPath: doc, contents: Data(s.utf8)) }
    func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: db)) }

    /// Contexts every consumer accepts: users, tiers, regions, emails.
    static func contexts(_ n: Int = 120) -> [String] {
        (0..<n).map { i in
            let tier = ["basic", "premium", "enterprise"][i % 3]
            let region = ["US", "RO", "EU", "UK"][i % 4]
            return "{\"user_id\":\(i),\"targetingKey\":\"user-\(i)\",\"tier\":\"\(tier)\",\"region\":\"\(region)\","
                + "\"email\":\"u\(i)@\(i % 5 == 0 ? "example.com" : "mail.test")\",\"account_type\":\"\(i % 2 == 0 ? "premium" : "free")\","
                + "\"beta_program\":\(i % 3 == 0)}"
        }
    }
}
