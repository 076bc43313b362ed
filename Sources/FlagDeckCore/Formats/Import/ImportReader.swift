import Foundation

/// Reads import sources from disk into an `ImportPlan`. The only file I/O of the import
/// path; everything it calls is pure.
public enum ImportReader {
    /// Powertools schema files: a tree `PATH/ACCOUNT/ENV/*.json`, or one file for `env`.
    public static func powertools(path: String, env: String?, envelope: [String] = []) throws(FormatError) -> ImportPlan {
        var plan = ImportPlan()
        for (file, envID) in try files(path: path, env: env) {
            let doc = try parse(file)
            let config = try PowertoolsValidator.validate(doc, envelope: envelope, file: file)
            try rejectUnknownMembers(doc, envelope: envelope, file: file)
            plan.addEnvironment(envID)
            var seen = Set<String>()
            for f in config.features {
                let loc = FormatLocation(file: file, path: JSONPath.render(envelope.map { .key($0) } + [.key(f.name)]))
                do { try FlagKey.validate(f.name) } catch {
                    throw .schema(loc, "feature name is not a usable flag key: \(error.description)")
                }
                guard seen.insert(f.name).inserted,
                      !plan.cells.contains(where: { $0.flagKey == f.name && $0.env == envID }) else {
                    throw .schema(loc, "feature \(f.name) is defined twice for \(envID)")
                }
                let d = PowertoolsMapping.definition(of: f)
                try plan.addFlag(ImportPlan.FlagMeta(key: f.name, description: nil, owner: nil, dependsOn: nil, valueKind: d.valueKind),
                                 source: file)
                plan.cells.append(ImportPlan.Cell(flagKey: f.name, env: envID, definition: d, source: "\(file): \(loc.path)"))
            }
        }
        return plan
    }

    /// Powertools ignores members it does not know; an import refuses them, because a
    /// misspelt `when_match` or `conditons` silently changes who is served.
    static func rejectUnknownMembers(_ doc: JSONValue, envelope: [String], file: String) throws(FormatError) {
        var root = doc
        for k in envelope { root = root[k] ?? .null }
        let base: [JSONPath.Component] = envelope.map { .key($0) }
        func check(_ v: JSONValue, _ allowed: [String], _ path: [JSONPath.Component]) throws(FormatError) {
            guard case .object(let o) = v else { return }
            for k in o.keys where !allowed.contains(k) {
                throw .schema(FormatLocation(file: file, path: JSONPath.render(path + [.key(k)])),
                              "unknown member \(JSONText.quote(k)); expected one of \(allowed.joined(separator: ", "))")
            }
        }
        for (name, f) in root.objectValue?.members ?? [] {
            let fp = base + [.key(name)]
            try check(f, ["default", "boolean_type", "rules"], fp)
            for (rn, r) in f["rules"]?.objectValue?.members ?? [] {
                let rp = fp + [.key("rules"), .key(rn)]
                try check(r, ["when_match", "conditions"], rp)
                for (i, c) in (r["conditions"]?.arrayValue ?? []).enumerated() {
                    try check(c, ["action", "key", "value"], rp + [.key("conditions"), .index(i)])
                }
            }
        }
    }

    public static func parse(_ file: String) throws(FormatError) -> JSONValue {
        guard let data = FileManager.default.contents(atPath: file) else { throw .io(path: file, "cannot read the file") }
        do { return try JSONParser.parse(Array(data)) } catch { throw error.inFile(file) }
    }

    /// `(file, environment)` pairs in a stable order.
    static func files(path: String, env: String?) throws(FormatError) -> [(String, EnvironmentID)] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw .io(path: path, "no such file or directory") }
        if !isDir.boolValue {
            guard let env else { throw .invalidArgument("importing a single file needs --env ACCOUNT/ENV (a tree is laid out as ACCOUNT/ENV/*.json)") }
            do { return [(path, try EnvironmentID(parsing: env))] } catch { throw .invalidArgument(error.description) }
        }
        let fm = FileManager.default
        func list(_ p: String) -> [String] { ((try? fm.contentsOfDirectory(atPath: p)) ?? []).filter { !$0.hasPrefix(".") }.sorted() }
        var out: [(String, EnvironmentID)] = []
        for account in list(path) {
            let ap = path + "/" + account
            var d: ObjCBool = false
            guard fm.fileExists(atPath: ap, isDirectory: &d), d.boolValue else { continue }
            for envName in list(ap) {
                let ep = ap + "/" + envName
                guard fm.fileExists(atPath: ep, isDirectory: &d), d.boolValue else { continue }
                let id: EnvironmentID
                do { id = try EnvironmentID(parsing: account + "/" + envName) } catch {
                    throw .io(path: ep, "directory names must form ACCOUNT/ENV: \(error.description)")
                }
                if let env, env != id.path { continue }
                for f in list(ep) where f.hasSuffix(".json") { out.append((ep + "/" + f, id)) }
            }
        }
        guard !out.isEmpty else { throw .io(path: path, "no ACCOUNT/ENV/*.json files found") }
        return out
    }
}

extension PowertoolsValidator {
    /// Validation errors carry the file they came from.
    public static func validate(_ doc: JSONValue, envelope: [String], file: String) throws(FormatError) -> PowertoolsConfig {
        do { return try validate(doc, envelope: envelope) } catch { throw error.inFile(file) }
    }
}
