import FlagDeckCore
import Foundation

/// Reads `sample-data/`, every file with the formats' parser (rule order is semantics in
/// the Powertools files, and values keep their exact text in the metadata ones).
/// Everything is cross-checked so a typo in the data fails the build with the file and
/// line instead of producing a subtly wrong demo.
extension SampleData {
    public static func load(from root: URL) throws -> SampleData {
        let envs = try loadEnvironments(root)
        var operators: [String: String] = [:]
        for (name, v) in try object(root, "operators.json").members {
            guard let s = v.stringValue else { throw SampleDataError("operators.json", "\(name) must map to a string") }
            operators[name] = s
        }
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

    static func object(_ root: URL, _ name: String) throws -> JSONObject {
        let url = root.appendingPathComponent(name)
        guard let d = FileManager.default.contents(atPath: url.path) else { throw SampleDataError(name, "missing") }
        let v: JSONValue
        do { v = try JSONParser.parse(Array(d)) } catch { throw SampleDataError(name, "malformed JSON: \(error)") }
        guard let o = v.objectValue else { throw SampleDataError(name, "expected a JSON object") }
        return o
    }

    /// `["a", "b"]` as strings; nil when absent, an error naming `what` when not strings.
    static func strings(_ v: JSONValue?, _ file: String, _ what: String) throws -> [String]? {
        guard let v, v != .null else { return nil }
        guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
            throw SampleDataError(file, "\"\(what)\" must be an array of strings")
        }
        return a.compactMap(\.stringValue)
    }

    static func int(_ v: JSONValue?) -> Int? { if case .int(let i)? = v { Int(exactly: i) } else { nil } }

    static func loadEnvironments(_ root: URL) throws -> [EnvironmentSpec] {
        guard let list = try object(root, "environments.json")["environments"]?.arrayValue?.compactMap(\.objectValue) else {
            throw SampleDataError("environments.json", "expected {\"environments\": [...]}")
        }
        return try list.map { e in
            guard let id = e["id"]?.stringValue, let order = int(e["order"]) else {
                throw SampleDataError("environments.json", "each environment needs \"id\" and \"order\"")
            }
            do {
                return EnvironmentSpec(id: try EnvironmentID(parsing: id), isProtected: e["protected"]?.boolValue ?? false, order: order)
            } catch { throw SampleDataError("environments.json", "\(error)") }
        }.sorted { $0.order < $1.order }
    }

    /// seed-003 documents: `{name: {active, depends_on, metadata: {description, owner}, ...}}`.
    static func loadFeaturesConfig(_ root: URL) throws -> [String: JSONObject] {
        var out: [String: JSONObject] = [:]
        for (name, v) in try object(root, "features_config.json").members {
            guard let o = v.objectValue else { throw SampleDataError("features_config.json", "\(name) is not an object") }
            out[name] = o
        }
        return out
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

    static func loadFlags(_ root: URL, config: [String: JSONObject], envs: Set<EnvironmentID>,
                          features: [EnvironmentID: [String: FeatureConfig]]) throws -> ([String], [String: FlagSpec]) {
        guard let list = try object(root, "flags.json")["flags"]?.arrayValue?.compactMap(\.objectValue) else {
            throw SampleDataError("flags.json", "expected {\"flags\": [...]}")
        }
        var keys: [String] = []
        var out: [String: FlagSpec] = [:]
        for f in list {
            guard let key = f["key"]?.stringValue else { throw SampleDataError("flags.json", "a flag has no \"key\"") }
            let file = "flags.json (\(key))"
            guard out[key] == nil else { throw SampleDataError(file, "duplicate key") }
            let type: FlagType
            do { type = try FlagType(parsing: f["type"]?.stringValue ?? "") } catch { throw SampleDataError(file, "\(error)") }
            var owner = f["owner"]?.stringValue
            var description = f["description"]?.stringValue ?? ""
            var deps = try strings(f["depends_on"], file, "depends_on") ?? []
            if let fc = config[key] {
                // features_config.json is this flag's metadata source (seed 003 layout).
                let meta = fc["metadata"]?.objectValue ?? JSONObject()
                owner = owner ?? meta["owner"]?.stringValue
                if description.isEmpty { description = meta["description"]?.stringValue ?? "" }
                for d in try strings(fc["depends_on"], "features_config.json (\(key))", "depends_on") ?? [] where !deps.contains(d) {
                    deps.append(d)
                }
            }
            let expires: TimeInterval?
            do { expires = try f["expires"]?.stringValue.map { try RelativeTime.seconds($0) } }
            catch { throw SampleDataError(file, "bad \"expires\"") }
            let variants = try (f["variants"]?.arrayValue ?? []).map { v -> Variant in
                guard let n = v["name"]?.stringValue, let value = v["value"] else { throw SampleDataError(file, "variant needs name and value") }
                return Variant(name: n, value: JSONWriter.compact(value), weight: int(v["weight"]) ?? 0)
            }
            let overrides = try (f["overrides"]?.arrayValue ?? []).map { o -> OverrideSpec in
                guard let e = o["env"]?.stringValue, let env = try? EnvironmentID(parsing: e), envs.contains(env),
                      let k = o["key"]?.stringValue, let eq = o["equals"], let serve = o["serve"] else {
                    throw SampleDataError(file, "override needs a known env, key, equals and serve")
                }
                let exp: TimeInterval?
                do { exp = try o["expires"]?.stringValue.map { try RelativeTime.seconds($0) } }
                catch { throw SampleDataError(file, "bad override \"expires\"") }
                return OverrideSpec(env: env, contextKey: k, equals: JSONWriter.compact(eq), serve: JSONWriter.compact(serve),
                                    expiresIn: exp, note: o["note"]?.stringValue ?? "")
            }
            let kinds = Set(features.values.compactMap { $0[key]?.isBoolean })
            guard kinds.count <= 1 else { throw SampleDataError(file, "boolean_type differs between environments") }
            keys.append(key)
            out[key] = FlagSpec(key: key, type: type, owner: owner, description: description,
                                tags: try strings(f["tags"], file, "tags") ?? [], expiresIn: expires, dependsOn: deps,
                                variants: variants, overrides: overrides,
                                valueKind: kinds.first == false ? .json : .boolean)
        }
        for k in config.keys where out[k] == nil {
            throw SampleDataError("features_config.json", "\(k) has no entry in flags.json (type, tags)")
        }
        return (keys, out)
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
