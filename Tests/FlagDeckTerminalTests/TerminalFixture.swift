import FlagDeckTestSupport
import Foundation

/// The `flagdeck` executable SwiftPM built for these tests.
enum Flagdeck {
    static let binary: String = {
        var dir = URL(fileURLWithPath: Bundle.main.bundlePath)
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("flagdeck").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        for config in ["debug", "release"] {
            let candidate = RepoRoot.path(".build/\(config)/flagdeck")
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        fatalError("flagdeck binary not found; run `swift build` first")
    }()

    @discardableResult
    static func run(_ args: [String]) throws -> ProcessResult {
        try ProcessRunner.run(binary, args, removing: ["FLAGDECK_DB"])
    }
}

/// A database made through the CLI, as an operator would make it: 2 accounts × 2
/// environments (prod protected) and 3 flags, `beta.api` depending on `checkout.v2`.
struct TerminalFixture {
    let dir: String
    let db: String

    init() throws {
        dir = RepoRoot.temporaryDirectory("flagdeck-terminal")
        db = dir + "/flags.sqlite"
        try ok(["init"])
        for (e, p) in [("payments/prod", true), ("payments/staging", false), ("sandbox/prod", true), ("sandbox/dev", false)] {
            try ok(["env", "add", e] + (p ? ["--protected"] : []))
        }
        try ok(["flag", "add", "checkout.v2", "--owner", "payments-team", "--tag", "checkout"])
        try ok(["flag", "add", "search-ranking", "--type", "experiment"])
        try ok(["flag", "add", "beta.api", "--depends-on", "checkout.v2"])
    }

    /// Another process changing the database: `flagdeck ARGS --db DB`, which must succeed.
    @discardableResult
    func ok(_ args: [String]) throws -> ProcessResult {
        let r = try Flagdeck.run(args + ["--db", db])
        guard r.status == 0 else {
            throw TerminalTestError("`flagdeck \(args.joined(separator: " "))` exited \(r.status): \(r.stderr)")
        }
        return r
    }

    /// The audit log as `flagdeck history --json` prints it.
    func history() throws -> [[String: Any]] {
        let out = try ok(["history", "--json"]).stdout
        return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]] ?? []
    }

    func events(action: String) throws -> [[String: Any]] {
        try history().filter { ($0["action"] as? String) == action }
    }
}

struct TerminalTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
