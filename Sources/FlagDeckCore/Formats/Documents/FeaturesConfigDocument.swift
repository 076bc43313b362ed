/// `features_config.json` features (seed 003) as cells, and the fragment each change
/// writes. Checked against the seed's own `FeatureManager` (`is_enabled`, `disable`, `_save`)
/// and `rollout.py` (`sha256(f"{user_id}{feature}") % 100 < percentage_rollout`).
///
/// - Reading: the import's mapping (`FeaturesConfigImport.definition`, its strict field
///   checks included) for the binding's application environment, except that `users`
///   comes back as overrides `user_id = ID → true` — the only override the format has —
///   instead of a "listed users" rule. A feature whose `environments` leaves that
///   environment out is disabled there.
/// - Kill: `active: false` and nothing else, exactly what `FeatureManager.disable` writes.
///   `active` is shared by every environment the file serves, so a kill or a disable
///   through any binding turns the feature off in all of them (as the seed's own kill does).
/// - Enable: `active: true`, and the environment appended to `environments` when that list
///   exists and leaves it out (otherwise the feature would stay off there).
/// - Rollout: `percentage_rollout` in whole percent (the bucket is `% 100`, so 25.5 % would
///   really serve 26 %: refused). Rules and default values cannot be written: the file's
///   `regions`, `account_types`, `beta_program` and `activation_date` are its rules.
enum FeaturesConfigDocument {
    static let usersRule = "listed users"

    /// `defined` says which feature names the file has (a `depends_on` must name one).
    typealias Defined = (String) -> Bool

    static func object(_ key: String, _ fragment: JSONValue, doc: Defined, file: String?) throws(FormatError) -> JSONObject {
        try FeaturesConfigImport.validateFeature(key, fragment, isDefined: doc, file: file ?? "<input>")
        return fragment.objectValue!
    }

    static func cell(_ key: String, _ fragment: JSONValue, doc: Defined, context: DocumentContext, file: String?) throws(FormatError) -> DocumentCell {
        let f = try object(key, fragment, doc: doc, file: file)
        let d = FeaturesConfigImport.definition(f, environment: context.environment)
        var cell = DocumentCell(d)
        if d.enabled, let users = f["users"]?.arrayValue {
            cell.overrides = users.map { DocumentOverride(contextKey: "user_id", matchValue: $0, serve: "true") }
            cell.rules = JSONWriter.compact(.array(FeaturesConfigImport.cascadeRules(f).filter { $0["name"]?.stringValue != usersRule }))
        }
        return cell
    }

    static func killed(_ key: String, _ fragment: JSONValue, doc: Defined, file: String?) throws(FormatError) -> JSONValue {
        var f = try object(key, fragment, doc: doc, file: file)
        if f["active"]?.boolValue != false { f["active"] = .bool(false) }
        return .object(f)
    }

    static func applying(_ d: DesiredCell, to current: JSONValue?, key: String, doc: Defined, context: DocumentContext,
                         loc: FormatLocation) throws(FormatError) -> JSONValue {
        guard d.valueKind == .boolean else {
            throw .inexpressible(loc, "\(key) is a JSON-valued flag; features_config.json features are on or off")
        }
        if ((try? JSONParser.parse(d.defaultValue)) ?? .null).isTruthy {
            throw .inexpressible(loc, "features_config.json features have no default value; to serve \(key) to everyone, roll it out to 100%")
        }
        // Desired users: the overrides, plus a "listed users" rule if the inventory holds one (an import makes it).
        var storedRules = (try? JSONParser.parse(d.rules))?.arrayValue ?? []
        var users: [JSONValue] = []
        if let i = storedRules.firstIndex(where: { $0["name"]?.stringValue == usersRule }) {
            users += storedRules[i]["conditions"]?.arrayValue?.first?["value"]?.arrayValue ?? []
            storedRules.remove(at: i)
        }
        for o in d.overrides {
            guard o.contextKey == "user_id", o.serve == "true", o.matchValue.stringValue != nil || o.matchValue.isPythonInt else {
                throw .inexpressible(loc, "override \(o) of \(key) cannot be written: features_config.json can only turn a feature on for listed users (context key user_id, a string or integer id, serving true)")
            }
            if !users.contains(where: { JSONTextEdit.identical($0, o.matchValue) }) { users.append(o.matchValue) }
        }
        var f: JSONObject
        if let current {
            // Already what is wanted (off, however it is off; or on the same way): leave it alone.
            let have = try cell(key, current, doc: doc, context: context, file: loc.file)
            if !have.enabled && !d.enabled { return current }
            if have.enabled && d.enabled && have.rolloutBasisPoints == d.rolloutBasisPoints
                && Set(have.overrides) == Set(users.map { DocumentOverride(contextKey: "user_id", matchValue: $0, serve: "true") })
                && JSONCompare.pyEqual((try? JSONParser.parse(have.rules)) ?? .null, .array(storedRules)) { return current }
            f = try object(key, current, doc: doc, file: loc.file)
        } else {
            f = JSONObject([("active", .bool(d.enabled))])
        }
        if d.enabled {
            if f["active"]?.boolValue != true { f["active"] = .bool(true) }
            if var envs = f["environments"]?.arrayValue, !envs.contains(where: { $0.stringValue == context.environment }) {
                envs.append(.string(context.environment))
                f["environments"] = .array(envs)
            }
            let docBP = f["percentage_rollout"].flatMap { try? Percent.parse(JSONWriter.compact($0)) } ?? 10_000
            if d.rolloutBasisPoints != docBP {
                guard d.rolloutBasisPoints % 100 == 0 else {
                    throw .inexpressible(loc, "\(key) cannot be rolled out to \(Percent.format(d.rolloutBasisPoints))% in features_config.json: its rollout compares a whole-number bucket (sha256 % 100), so that would serve \((d.rolloutBasisPoints + 99) / 100)%. Use a whole percentage")
                }
                f["percentage_rollout"] = .int(Int64(d.rolloutBasisPoints / 100))
            }
            let have = FeaturesConfigImport.cascadeRules(f).filter { $0["name"]?.stringValue != usersRule }
            guard JSONCompare.pyEqual(.array(have), .array(storedRules)) else {
                throw .inexpressible(loc, "\(key)'s rules cannot be written to features_config.json, which has no rules: its regions, account_types, beta_program and activation_date fields decide who is served. Edit those fields in the file; flagdeck reads them back on sync")
            }
            let current = f["users"]?.arrayValue ?? []
            let same = current.count == users.count && users.allSatisfy { u in current.contains { JSONCompare.pyEqual($0, u) } }
            if !same {
                if users.isEmpty { f["users"] = nil } else {
                    var list = current.filter { c in users.contains { JSONCompare.pyEqual($0, c) } }
                    for u in users where !list.contains(where: { JSONCompare.pyEqual($0, u) }) { list.append(u) }
                    f["users"] = .array(list)
                }
            }
        } else if f["active"]?.boolValue != false {
            f["active"] = .bool(false)
        }
        let result = JSONValue.object(f)
        _ = try object(key, result, doc: { doc($0) || $0 == key }, file: loc.file)
        return result
    }
}
