import Foundation
import Testing
import FlagDeckTestSupport
@testable import FlagDeckCore

/// Shared plumbing for the consumer-oracle tests: documents on disk, contexts as JSON
/// texts, and flagdeck's own evaluation of a desired cell to compare with the consumer.
struct Oracle {
    let dir = RepoRoot.temporaryDirectory("documents-oracle")
    var written = 0

    mutating func write(_ doc: FlagDocument, _ name: String = "doc") -> String {
        written += 1
        let path = "\(dir)/\(written)-\(name).json"
        FileManager.default.createFile(atPath: path, contents: Data(doc.bytes))
        return path
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: dir) }

    static func texts(_ contexts: [JSONValue]) -> [String] { contexts.map(JSONWriter.compact) }

    /// A consumer's JSON text, canonically (so `1.0`/`1`/`true` stay distinct).
    static func canon(_ text: String) -> String {
        guard let v = try? JSONParser.parse(text) else { return text }
        if v["error"] != nil, v.objectValue?.count == 1 { return "error" }
        return JSONWriter.compact(v)
    }

    static let env = EnvironmentID(account: "acme", name: "production")

    /// flagdeck's evaluator on a desired cell: what the document should make the consumer serve.
    static func expected(_ key: String, _ d: DesiredCell, _ ctx: JSONValue) -> String {
        let flag = Flag(key: key, createdAt: Date(timeIntervalSince1970: 0), valueKind: d.valueKind)
        let s = FlagState(flagKey: key, env: env, enabled: d.enabled, killed: d.killed, rolloutBasisPoints: d.rolloutBasisPoints,
                          rules: d.rules, defaultValue: d.defaultValue, changedAt: Date(timeIntervalSince1970: 0), changedBy: "t")
        let os = d.overrides.map {
            Override(flagKey: key, env: env, contextKey: $0.contextKey, matchValue: $0.matchValue, serve: $0.serve,
                     createdAt: Date(timeIntervalSince1970: 0), createdBy: "t")
        }
        return JSONWriter.compact(CellEvaluator.evaluate(flag: flag, state: s, overrides: os, context: ctx.objectValue ?? JSONObject()).value)
    }

    static func column(_ e: Consumers.Evaluation, _ flag: String) -> [String] { e.values(flag).map(canon) }
}

extension JSONValue {
    static func obj(_ m: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(m)) }
    static func s(_ x: String) -> JSONValue { .string(x) }
    static func i(_ x: Int) -> JSONValue { .int(Int64(x)) }
}
