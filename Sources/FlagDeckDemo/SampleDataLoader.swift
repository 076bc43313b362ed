import FlagDeckCore
import Foundation

/// Reads `sample-data/`. Metadata files are parsed with `JSONSerialization` (member
/// order does not matter there); the Powertools feature files go through `RawJSON`
/// because rule order is semantics. Everything is cross-checked so a typo in the data
/// fails the build with the file and line instead of producing a subtly wrong demo.
extension SampleData {
    public static func load(from root: URL) throws -> SampleData {
        let envs = try loadEnvironments(root)
        let operators = try object(root, "operators.json") as? [String: String] ?? [:]
        let config = try loadFeaturesConfig(root)
        var features: [EnvironmentID: [String: FeatureConfig]] = [:]
        for e in envs { features[e.id] = try loadPowertools(root, e.id) }
        let (keys, flags) = try loadFlags(root, config: config, envs: Set(envs.map(\.id)), features: features)
        let history = try loadHistory(root)
        let data = SampleData(root: root, environments: envs, flagKeys: keys, flags: flags, features: features,
                              operators: operators, history: history)
        try data.crossCheck()
        return data
    }

    static func object(_ root: URL, _ name: String) throws -> Any {
        let url = root.appendingPathComponent(name)
        guard let d = FileManager.default.contents(atPath: url.path) else { throw SampleDataError(name, "missing") }
        do { return try JSONSerialization.jsonObject(with: d) }
        catch { throw SampleDataError(name, "malformed JSON: \(error.localizedDescription)") }
    }

    static func loadEnvironments(_ root: URL) throws -> [EnvironmentSpec] {
        guard let doc = try object(root, "environments.json") as? [String: Any],
              let list = doc["environments"] as? [[String: Any]] else {
            throw SampleDataError("environments.json", "expected {\"environments\": [...]}")
        }
        return try list.map { e in
            guard let id = e["id"] as? String, let order = e["order"] as? Int else {
                throw SampleDataError("environments.json", "each environment needs \"id\" and \"order\"")
            }
            do {
                return EnvironmentSpec(id: try EnvironmentID(parsing: id), isProtected: e["protected"] as? Bool ?? false, order: order)
            } catch { throw SampleDataError("environments.json", "\(error)") }
        }.sorted { $0.order < $1.order }
    }

    /// seed-003 documents: `{name: {active, depends_on, metadata: {description, owner}, ...}}`.
    static func loadFeaturesConfig(_ root: URL) throws -> [String: [String: Any]] {
        guard let doc = try object(root, "features_config.json") as? [String: [String: Any]] else {
            throw SampleDataError("features_config.json", "expected an object of features")
        }
        return doc
    }

    static func loadPowertools(_ root: URL, _ env: EnvironmentID) throws -> [String: FeatureConfig] {
        let name = "\(env.account)/\(env.name)/features.json"
        guard let d = FileManager.default.contents(atPath: root.appendingPathComponent(name).path) else {
            throw SampleDataError(name, "missing")
        }
        var out: [String: FeatureConfig] = [:]
        let doc: JSONValue
        do { doc = try JSONParser.parse(Array(d)) } catch { throw SampleDataError(name, "malformed JSON: \(error)") }
        guard case .object(let features) = doc else { throw SampleDataError(name, "expected an object of features") }
        for (key, body) in features.members {
            guard case .object(let m) = body, let def = m["default"] else {
                throw SampleDataError(name, "feature \(key) has no \"default\"")
            }
            var rules: [String] = []
            if case .object(let r)? = m["rules"] {
                // Rules keep file order (Powertools evaluates them in that order) and are
                // stored the way the core keeps them: a list with each rule's name inside.
                for (ruleName, ruleBody) in r.members {
                    guard case .object(let rule) = ruleBody else { throw SampleDataError(name, "rule \(ruleName) of \(key) is not an object") }
                    rules.append(JSONWriter.compact(.object(JSONObject([("name", .string(ruleName))] + rule.members.map { ($0.key, $0.value) }))))
                }
            }
            let isBoolean = m["boolean_type"] != .bool(false)
            let defText = JSONWriter.compact(def)
            out[key] = FeatureConfig(rules: "[" + rules.joined(separator: ",") + "]",
                                     defaultValue: isBoolean ? "false" : defText, isBoolean: isBoolean,
                                     fileSaysOn: isBoolean && def == .bool(true))
        }
        return out
    }

    static func loadFlags(_ root: URL, config: [String: [String: Any]], envs: Set<EnvironmentID>,
                          features: [EnvironmentID: [String: FeatureConfig]]) throws -> ([String], [String: FlagSpec]) {
        guard let doc = try object(root, "flags.json") as? [String: Any], let list = doc["flags"] as? [[String: Any]] else {
            throw SampleDataError("flags.json", "expected {\"flags\": [...]}")
        }
        var keys: [String] = []
        var out: [String: FlagSpec] = [:]
        for f in list {
            guard let key = f["key"] as? String else { throw SampleDataError("flags.json", "a flag has no \"key\"") }
            let file = "flags.json (\(key))"
            guard out[key] == nil else { throw SampleDataError(file, "duplicate key") }
            let type: FlagType
            do { type = try FlagType(parsing: f["type"] as? String ?? "") } catch { throw SampleDataError(file, "\(error)") }
            var owner = f["owner"] as? String
            var description = f["description"] as? String ?? ""
            var deps = f["depends_on"] as? [String] ?? []
            if let fc = config[key] {
                // features_config.json is this flag's metadata source (seed 003 layout).
                let meta = fc["metadata"] as? [String: Any] ?? [:]
                owner = owner ?? (meta["owner"] as? String)
                if description.isEmpty { description = meta["description"] as? String ?? "" }
                for d in fc["depends_on"] as? [String] ?? [] where !deps.contains(d) { deps.append(d) }
            }
            let expires: TimeInterval?
            do { expires = try (f["expires"] as? String).map { try RelativeTime.seconds($0) } }
            catch { throw SampleDataError(file, "bad \"expires\"") }
            let variants = try (f["variants"] as? [[String: Any]] ?? []).map { v -> Variant in
                guard let n = v["name"] as? String, let value = v["value"] else { throw SampleDataError(file, "variant needs name and value") }
                return Variant(name: n, value: try jsonText(value), weight: v["weight"] as? Int ?? 0)
            }
            let overrides = try (f["overrides"] as? [[String: Any]] ?? []).map { o -> OverrideSpec in
                guard let e = o["env"] as? String, let env = try? EnvironmentID(parsing: e), envs.contains(env),
                      let k = o["key"] as? String, let eq = o["equals"], let serve = o["serve"] else {
                    throw SampleDataError(file, "override needs a known env, key, equals and serve")
                }
                let exp: TimeInterval?
                do { exp = try (o["expires"] as? String).map { try RelativeTime.seconds($0) } }
                catch { throw SampleDataError(file, "bad override \"expires\"") }
                return OverrideSpec(env: env, contextKey: k, equals: try jsonText(eq), serve: try jsonText(serve),
                                    expiresIn: exp, note: o["note"] as? String ?? "")
            }
            let kinds = Set(features.values.compactMap { $0[key]?.isBoolean })
            guard kinds.count <= 1 else { throw SampleDataError(file, "boolean_type differs between environments") }
            keys.append(key)
            out[key] = FlagSpec(key: key, type: type, owner: owner, description: description,
                                tags: f["tags"] as? [String] ?? [], expiresIn: expires, dependsOn: deps,
                                variants: variants, overrides: overrides,
                                valueKind: kinds.first == false ? .json : .boolean)
        }
        for k in config.keys where out[k] == nil {
            throw SampleDataError("features_config.json", "\(k) has no entry in flags.json (type, tags)")
        }
        return (keys, out)
    }

    /// Canonical JSON text for values from the metadata files (sorted keys: stable bytes).
    static func jsonText(_ v: Any) throws -> String {
        let d = try JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: d, as: UTF8.self)
    }

    static func loadHistory(_ root: URL) throws -> [HistoryEntry] {
        guard let d = FileManager.default.contents(atPath: root.appendingPathComponent("history.jsonl").path) else {
            throw SampleDataError("history.jsonl", "missing")
        }
        var out: [HistoryEntry] = []
        for (i, line) in String(decoding: d, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("//") { continue }
            out.append(try HistoryEntry.parse(t, line: i + 1))
        }
        return out
    }

    /// Every flag is in every feature file and in flags.json, and every flag the
    /// history touches is defined.
    func crossCheck() throws {
        for e in environments {
            let file = "\(e.id.account)/\(e.id.name)/features.json"
            let inFile = Set(features[e.id]?.keys.map { $0 } ?? [])
            if let extra = inFile.subtracting(flags.keys).sorted().first { throw SampleDataError(file, "\(extra) is not in flags.json") }
            if let missing = Set(flags.keys).subtracting(inFile).sorted().first { throw SampleDataError(file, "\(missing) is missing") }
        }
        let created = Set(history.filter { $0.op == .create }.compactMap(\.flag))
        if let missing = Set(flags.keys).subtracting(created).sorted().first {
            throw SampleDataError("history.jsonl", "\(missing) is never created")
        }
        for h in history where h.flag != nil && flags[h.flag!] == nil {
            throw SampleDataError("history.jsonl line \(h.line)", "unknown flag \(h.flag!)")
        }
    }
}
