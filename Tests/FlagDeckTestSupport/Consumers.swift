import Foundation

/// The real applications' flag readers, run on document files: what an application
/// would see. One Python process per evaluation set (documents × flags × contexts), from the
/// `consumers` virtualenv (provisioned on first use). Values come back as JSON texts, so
/// callers compare them with their own JSON types; `{"error": …}` marks an evaluation
/// that raised in the consumer.
///
/// - `powertools`: aws-lambda-powertools 3.37.0 `FeatureFlags.evaluate` over a file-backed store.
/// - `featuresConfig`: seed 003's own `FeatureManager.is_enabled` (copied verbatim).
/// - `flagd`: openfeature-provider-flagd 0.6.1 in FILE mode.
public enum Consumers {
    public struct Evaluation: Sendable {
        /// The flags evaluated, in column order.
        public var flags: [String]
        /// `results[context][flag]`: JSON text of the value the consumer returned.
        public var results: [[String]]
        /// flagd only: the resolution reason (`STATIC`, `TARGETING_MATCH`, `DISABLED`, …).
        public var reasons: [[String]]

        /// The column of one flag: its value for each context, in context order.
        public func values(_ flag: String) -> [String] {
            guard let i = flags.firstIndex(of: flag) else { return [] }
            return results.map { $0[i] }
        }
    }

    public static let scripts = RepoRoot.path("Tests/python/consumers")

    /// Powertools `FeatureFlags(store=file).evaluate(name, context, default)`, one
    /// `Evaluation` per document.
    public static func powertools(documents: [String], contexts: [String], flags: [String]? = nil,
                                  default defaultJSON: String = "false") throws -> [Evaluation] {
        try evaluate("powertools_eval.py", documents, contexts, flags, ["--default", defaultJSON])
    }

    public static func powertools(document: String, contexts: [String], flags: [String]? = nil,
                                  default defaultJSON: String = "false") throws -> Evaluation {
        try powertools(documents: [document], contexts: contexts, flags: flags, default: defaultJSON)[0]
    }

    /// Seed 003's `FeatureManager().is_enabled(name, context, environment)`.
    public static func featuresConfig(documents: [String], contexts: [String], flags: [String]? = nil,
                                      environment: String = "production") throws -> [Evaluation] {
        try evaluate("features_config_eval.py", documents, contexts, flags, ["--environment", environment])
    }

    public static func featuresConfig(document: String, contexts: [String], flags: [String]? = nil,
                                      environment: String = "production") throws -> Evaluation {
        try featuresConfig(documents: [document], contexts: contexts, flags: flags, environment: environment)[0]
    }

    /// Seed 003's own kill, `FeatureManager().disable(name)`: rewrites `document` in place
    /// (json.dump, indent=4), as the seed's application would.
    public static func featureManagerDisable(document: String, feature: String) throws {
        try PythonVenv.consumers.ensure()
        try ProcessRunner.ok(PythonVenv.consumers.python, [scripts + "/features_config_eval.py", document, "--disable", feature])
    }

    /// The flagd provider in FILE mode (a fresh provider per document); `defaultBool` is
    /// the caller's default for boolean flags.
    public static func flagd(documents: [String], contexts: [String], flags: [String]? = nil,
                             defaultBool: Bool = true) throws -> [Evaluation] {
        try evaluate("flagd_eval.py", documents, contexts, flags, ["--default-bool", defaultBool ? "true" : "false"])
    }

    public static func flagd(document: String, contexts: [String], flags: [String]? = nil,
                             defaultBool: Bool = true) throws -> Evaluation {
        try flagd(documents: [document], contexts: contexts, flags: flags, defaultBool: defaultBool)[0]
    }

    static func evaluate(_ script: String, _ documents: [String], _ contexts: [String], _ flags: [String]?,
                         _ extra: [String]) throws -> [Evaluation] {
        try PythonVenv.consumers.ensure()
        let dir = RepoRoot.temporaryDirectory("consumers")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ctxPath = dir + "/contexts.json"
        guard FileManager.default.createFile(atPath: ctxPath, contents: Data(("[" + contexts.joined(separator: ",\n") + "]").utf8)) else {
            throw ProcessFailure("cannot write \(ctxPath)")
        }
        var args = [scripts + "/" + script] + documents + [ctxPath] + extra
        if let flags { args += ["--flags", flags.joined(separator: ",")] }
        let r = try ProcessRunner.ok(PythonVenv.consumers.python, args, env: ["TZ": "UTC", "PYTHONHASHSEED": "0"])
        guard let data = r.stdout.data(using: .utf8),
              let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let docs = obj["documents"] as? [[String: Any]], docs.count == documents.count else {
            throw ProcessFailure("\(script) printed something that is not its result object: \(r.stdout.prefix(2000)) \(r.stderr.suffix(2000))")
        }
        return try docs.map { d in
            guard let fl = d["flags"] as? [String], let res = d["results"] as? [[String]] else {
                throw ProcessFailure("\(script): a document result without flags and results")
            }
            return Evaluation(flags: fl, results: res, reasons: d["reasons"] as? [[String]] ?? [])
        }
    }
}
