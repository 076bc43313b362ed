/// Maps a `features_config.json` document onto flagdeck flags, one cell per environment
/// named in any feature's `environments` (under `--account`, default `default`):
///
/// - `metadata.description` / `metadata.owner` → the flag's description and owner;
///   `depends_on` → the flag's dependencies (a cycle is refused here, at import).
/// - the cell is enabled when `active` is true and the environment is listed (or no list);
/// - `percentage_rollout` → the rollout percentage (100 % when absent); flagdeck's bucket
///   selects the same users as the document's `sha256 % 100 < pct` for whole percentages;
/// - rules, in the cascade's order: before `activation_date` → off; `user_id` in `users`
///   → on; `region` not in `regions`, `account_type` not in `account_types`, or not in the
///   beta program when `beta_program` is true → off. Stickiness is `user_id`.
///
/// The import is stricter than the document's Python: every field must have the type the
/// cascade expects, so a typo fails the import instead of silently changing who is served.
public enum FeaturesConfigImport {
    public static func plan(_ doc: JSONValue, file: String, account: String = "default") throws(FormatError) -> ImportPlan {
        func err(_ path: [JSONPath.Component], _ m: String) -> FormatError {
            .schema(FormatLocation(file: file, path: JSONPath.render(path)), m)
        }
        guard case .object(let features) = doc else { throw err([], "features_config must be an object of features") }
        var envNames: [String] = []
        var deps: [String: [String]] = [:]
        for (name, fv) in features.members {
            try validateFeature(name, fv, in: features, file: file)
            let f = fv.objectValue!
            for e in f["environments"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !envNames.contains(e) { envNames.append(e) }
            if let d = f["depends_on"]?.arrayValue { deps[name] = d.compactMap(\.stringValue) }
        }
        if let cycle = findCycle(deps, order: features.keys) {
            throw .dependencyCycle(FormatLocation(file: file, path: JSONPath.render([.key(cycle[0]), .key("depends_on")])), cycle)
        }
        if envNames.isEmpty { envNames = ["production"] }
        var plan = ImportPlan()
        var envIDs: [String: EnvironmentID] = [:]
        for e in envNames {
            do { envIDs[e] = try EnvironmentID(parsing: account + "/" + e) } catch {
                throw err([], "environment \(JSONText.quote(e)) cannot be an environment name: \(error.description)")
            }
            plan.addEnvironment(envIDs[e]!)
        }
        for (name, fv) in features.members {
            let f = fv.objectValue!
            let meta = f["metadata"]?.objectValue
            try plan.addFlag(ImportPlan.FlagMeta(key: name, description: meta?["description"]?.stringValue ?? "",
                                                 owner: meta?["owner"]?.stringValue, dependsOn: deps[name] ?? [],
                                                 valueKind: .boolean), source: file)
            for e in envNames {
                let d = definition(f, environment: e)
                plan.cells.append(ImportPlan.Cell(flagKey: name, env: envIDs[e]!, definition: d, source: "\(file): $.\(name)"))
            }
        }
        return plan
    }

    /// One feature checked as strictly as the import checks it (every field the type the
    /// cascade expects, dependencies defined in `features`), shared with the document layer.
    static func validateFeature(_ name: String, _ fv: JSONValue, in features: JSONObject, file: String) throws(FormatError) {
        try validateFeature(name, fv, isDefined: { features[$0] != nil }, file: file)
    }

    /// The same, with the file's feature names given as a membership test.
    static func validateFeature(_ name: String, _ fv: JSONValue, isDefined: (String) -> Bool, file: String) throws(FormatError) {
        func err(_ path: [JSONPath.Component], _ m: String) -> FormatError {
            .schema(FormatLocation(file: file, path: JSONPath.render(path)), m)
        }
        let p: [JSONPath.Component] = [.key(name)]
        do { try FlagKey.validate(name) } catch { throw err(p, "feature name is not a usable flag key: \(error.description)") }
        guard case .object(let f) = fv else { throw err(p, "feature must be an object") }
        guard case .bool? = f["active"] else { throw err(p + [.key("active")], "'active' must be true or false") }
        for (k, v) in f.members {
            let kp = p + [.key(k)]
            switch k {
            case "active", "beta_program":
                guard case .bool = v else { throw err(kp, "'\(k)' must be true or false") }
            case "regions", "account_types", "environments", "depends_on":
                guard case .array(let a) = v, a.allSatisfy({ $0.stringValue != nil }) else { throw err(kp, "'\(k)' must be a list of strings") }
                if k == "depends_on" {
                    for (i, d) in a.compactMap(\.stringValue).enumerated() where !isDefined(d) {
                        throw err(kp + [.index(i)], "depends on \(JSONText.quote(d)), which is not defined in this file")
                    }
                }
            case "users":
                guard case .array(let a) = v, a.allSatisfy({ $0.stringValue != nil || $0.isPythonInt }) else {
                    throw err(kp, "'users' must be a list of user ids (strings or integers)")
                }
            case "percentage_rollout":
                guard let n = JSONCompare.numericCompare(v, .int(0)), n >= 0, JSONCompare.order(v, .int(100), .le) == true,
                      v.boolValue == nil, (try? Percent.parse(JSONWriter.compact(v))) != nil else {
                    throw err(kp, "'percentage_rollout' must be a number from 0 to 100 with at most two decimals")
                }
            case "activation_date":
                guard case .string(let s) = v, case .naive? = PythonISODateTime.parse(s) else {
                    throw err(kp, "'activation_date' must be an ISO 8601 date-time without a UTC offset")
                }
            case "error_threshold", "performance_threshold", "performance_baseline":
                guard Num(v) != nil, v.boolValue == nil else { throw err(kp, "'\(k)' must be a number") }
            case "metadata":
                guard case .object(let m) = v else { throw err(kp, "'metadata' must be an object") }
                for key in ["description", "owner"] {
                    if let x = m[key], x.stringValue == nil { throw err(kp + [.key(key)], "'\(key)' must be a string") }
                }
            default:
                throw err(kp, "unknown field \(JSONText.quote(k)); expected active, activation_date, environments, depends_on, users, regions, account_types, beta_program, percentage_rollout, error_threshold, performance_threshold, performance_baseline, metadata")
            }
        }
    }

    /// The cell one feature defines for the application environment `environment`.
    static func definition(_ f: JSONObject, environment e: String) -> PowertoolsMapping.CellDefinition {
        let active = f["active"]?.boolValue ?? false
        let listed = f["environments"]?.arrayValue?.compactMap(\.stringValue)
        let bp = f["percentage_rollout"].flatMap { try? Percent.parse(JSONWriter.compact($0)) } ?? 10_000
        let on = active && (listed?.contains(e) ?? true)
        return PowertoolsMapping.CellDefinition(enabled: on, rolloutBasisPoints: on ? bp : 0,
                                                rules: on ? JSONWriter.compact(.array(cascadeRules(f))) : "[]",
                                                defaultValue: "false", valueKind: .boolean)
    }

    static func cascadeRules(_ f: JSONObject) -> [JSONValue] {
        func rule(_ name: String, _ on: Bool, _ conds: [(String, String, JSONValue)]) -> JSONValue {
            .object(JSONObject([("name", .string(name)), ("when_match", .bool(on)), ("conditions", .array(conds.map {
                .object(JSONObject([("action", .string($0.0)), ("key", .string($0.1)), ("value", $0.2)]))
            }))]))
        }
        var out: [JSONValue] = []
        if let s = f["activation_date"]?.stringValue {
            out.append(rule("before activation_date", false, [("SCHEDULE_BETWEEN_DATETIME_RANGE", "CURRENT_DATETIME",
                                                                .object(JSONObject([("START", .string("0001-01-01T00:00:00")), ("END", .string(s))])))]))
        }
        if let u = f["users"] { out.append(rule("listed users", true, [("KEY_IN_VALUE", "user_id", u)])) }
        if let r = f["regions"] { out.append(rule("region not eligible", false, [("KEY_NOT_IN_VALUE", "region", r)])) }
        if let a = f["account_types"] { out.append(rule("account type not eligible", false, [("KEY_NOT_IN_VALUE", "account_type", a)])) }
        if f["beta_program"]?.boolValue == true {
            out.append(rule("not in the beta program", false, [("EQUALS", "beta_program", .bool(false))]))
        }
        return out
    }

    /// The first dependency cycle, as `a -> b -> a`.
    static func findCycle(_ deps: [String: [String]], order: [String]) -> [String]? {
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ n: String) -> [String]? {
            if state[n] == 2 { return nil }
            if state[n] == 1 { return Array(stack[stack.firstIndex(of: n)!...]) + [n] }
            state[n] = 1
            stack.append(n)
            for d in deps[n] ?? [] { if let c = visit(d) { return c } }
            stack.removeLast()
            state[n] = 2
            return nil
        }
        for n in order { if let c = visit(n) { return c } }
        return nil
    }
}

extension ImportReader {
    public static func featuresConfig(path: String, account: String = "default") throws(FormatError) -> ImportPlan {
        try FeaturesConfigImport.plan(try parse(path), file: path, account: account)
    }
}
