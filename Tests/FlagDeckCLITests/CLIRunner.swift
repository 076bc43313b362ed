import Foundation
import FlagDeckTestSupport

/// Runs the built `flagdeck` binary the way a person or script would, so these tests
/// exercise argument parsing, exit codes and output exactly as shipped.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLIRunner {
    /// The repository root, found from this file's location.
    static var repoRoot: URL { RepoRoot.url }

    /// The `flagdeck` executable SwiftPM built next to this test bundle.
    static let binary: String = {
        var dir = URL(fileURLWithPath: Bundle.main.bundlePath)
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("flagdeck").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        for config in ["debug", "release"] {
            let candidate = repoRoot.appendingPathComponent(".build/\(config)/flagdeck").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        fatalError("flagdeck binary not found; run `swift build` first")
    }()

    @discardableResult
    static func run(_ args: [String], env extra: [String: String] = [:], stdin: String? = nil, cwd: String? = nil) throws -> CLIResult {
        let r = try ProcessRunner.run(binary, args, env: extra, removing: ["FLAGDECK_DB"], stdin: stdin, cwd: cwd)
        return CLIResult(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    static func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "flagdeck-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    static var osUser: String {
        String(cString: getpwuid(geteuid())!.pointee.pw_name)
    }
}

/// A database made through the CLI: 2 accounts × 2 environments (prod protected), 3 flags.
struct CLIFixture {
    let dir: String
    let db: String

    init() throws {
        dir = CLIRunner.temporaryDirectory()
        db = dir + "/flags.sqlite"
        try ok(["init"])
        for (e, p) in [("payments/prod", true), ("payments/staging", false), ("sandbox/prod", true), ("sandbox/dev", false)] {
            try ok(["env", "add", e] + (p ? ["--protected"] : []))
        }
        try ok(["flag", "add", "checkout.v2", "--owner", "payments-team", "--tag", "checkout"])
        try ok(["flag", "add", "search-ranking", "--type", "experiment"])
        try ok(["flag", "add", "beta.api", "--depends-on", "checkout.v2"])
    }

    @discardableResult
    func run(_ args: [String], stdin: String? = nil) throws -> CLIResult {
        try CLIRunner.run(args + ["--db", db], stdin: stdin)
    }

    @discardableResult
    func ok(_ args: [String]) throws -> CLIResult {
        let r = try run(args)
        guard r.status == 0 else {
            throw CLIError("`flagdeck \(args.joined(separator: " "))` exited \(r.status): \(r.stderr)")
        }
        return r
    }

    func history() throws -> [[String: Any]] {
        try CLIRunner.json(try ok(["history", "--json"]).stdout) as! [[String: Any]]
    }

    func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: db)) }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
