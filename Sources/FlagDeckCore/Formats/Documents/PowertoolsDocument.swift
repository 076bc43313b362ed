/// Powertools features as cells, and the fragment each change writes. Checked against
/// aws-lambda-powertools 3.37.0 `feature_flags/feature_flags.py` (`_evaluate`: rules in
/// order, first match's `when_match`, else `default`) and `schema.py` (`SchemaValidator`:
/// a boolean feature's `default` and `when_match` must be booleans; conditions need
/// `action`, `key`, `value`; unknown members are ignored, so they are kept).
///
/// - Reading: `PowertoolsMapping.definition` (the import's mapping), except that leading
///   rules named `flagdeck override: K = V` with one `EQUALS` condition on `K` come back as
///   overrides (they are how overrides are written, and Powertools evaluates them first,
///   exactly where flagdeck's evaluator puts overrides: after disabled, before rules).
/// - Kill: off for every context — a boolean feature gets `default: false` and no
///   `rules`; a JSON feature (`boolean_type: false`) keeps its declared `default` and loses
///   its `rules`, which is what flagdeck's evaluator serves for a killed JSON flag. Every
///   other member is kept.
/// - A partial rollout (1–99.99 %) cannot be written: Powertools has no percentage.
enum PowertoolsDocument {
    static let overridePrefix = "flagdeck override: "

    static func overrideRuleName(_ o: DocumentOverride) -> String {
        overridePrefix + o.contextKey + " = " + JSONWriter.compact(o.matchValue)
    }

    static func feature(_ key: String, _ fragment: JSONValue, _ loc: FormatLocation) throws(FormatError) -> PowertoolsFeature {
        do {
            return try PowertoolsValidator.validateFeature(name: key, fragment, at: [.key(key)])
        } catch {
            // Re-root the validator's path at the flag's place in this document.
            let inner = error.location?.path ?? "$"
            let path = loc.path + inner.dropFirst(JSONPath.render([.key(key)]).count)
            if case .schema(_, let m) = error { throw .schema(FormatLocation(file: loc.file, path: path), m) }
            throw error
        }
    }

    static func cell(_ key: String, _ fragment: JSONValue, _ loc: FormatLocation) throws(FormatError) -> DocumentCell {
        let f = try feature(key, fragment, loc)
        var def = PowertoolsMapping.definition(of: f)
        var overrides: [DocumentOverride] = []
        var rest = f.rules
        while let r = rest.first, let o = override(r) {
            overrides.append(o)
            rest.removeFirst()
        }
        if !overrides.isEmpty { def.rules = JSONWriter.compact(.array(rest.map(PowertoolsMapping.ruleJSON))) }
        return DocumentCell(def, overrides: overrides)
    }

    static func override(_ r: PowertoolsRule) -> DocumentOverride? {
        guard r.name.hasPrefix(overridePrefix), r.conditions.count == 1, r.conditions[0].action == .equals else { return nil }
        let o = DocumentOverride(contextKey: r.conditions[0].key, matchValue: r.conditions[0].value, serve: JSONWriter.compact(r.whenMatch))
        return JSONCompare.sameScalars(overrideRuleName(o), r.name) ? o : nil
    }

    static func killed(_ key: String, _ fragment: JSONValue, _ loc: FormatLocation) throws(FormatError) -> JSONValue {
        let f = try feature(key, fragment, loc)
        var o = fragment.objectValue!
        if f.isBoolean { o["default"] = .bool(false) }
        o["rules"] = nil
        return .object(o)
    }

    static func applying(_ d: DesiredCell, to current: JSONValue?, key: String, _ loc: FormatLocation) throws(FormatError) -> JSONValue {
        var o: JSONObject
        if let current {
            _ = try feature(key, current, loc)
            o = current.objectValue!
        } else {
            o = JSONObject()
        }
        let existingRules = o["rules"]?.objectValue ?? JSONObject()
        var rules: [(String, JSONValue)] = []
        if d.valueKind == .json {
            guard let def = try? JSONParser.parse(d.defaultValue), def != .null else {
                throw .inexpressible(loc, "\(key) is a JSON flag whose default \(FormatError.clip(d.defaultValue)) Powertools cannot serve (it must not be null)")
            }
            if current == nil || !(o["default"].map { JSONTextEdit.identical($0, def) } ?? false) { o["default"] = def }
            if (o["boolean_type"]?.isTruthy ?? true) { o["boolean_type"] = .bool(false) }
        } else {
            let on: Bool
            if !d.enabled {
                on = false
            } else {
                switch d.rolloutBasisPoints {
                case 10_000...: on = true
                case ...0: on = ((try? JSONParser.parse(d.defaultValue)) ?? .null).isTruthy
                default:
                    throw .inexpressible(loc, "\(key) cannot be rolled out to \(Percent.format(d.rolloutBasisPoints))% in a Powertools document: Powertools has no percentage rollout. Roll out 0% or 100%, or target a share of contexts with a MODULO_RANGE rule")
                }
            }
            if !(o["default"]?.boolValue == on) { o["default"] = .bool(on) }
            if let bt = o["boolean_type"], !bt.isTruthy { o["boolean_type"] = .bool(true) }
        }
        if d.enabled {
            for ov in d.overrides {
                guard let serve = try? JSONParser.parse(ov.serve) else {
                    throw .inexpressible(loc, "override \(ov) of \(key) serves text that is not JSON")
                }
                if d.valueKind == .boolean, serve.boolValue == nil {
                    throw .inexpressible(loc, "override \(ov) of \(key) serves \(ov.serve); a boolean Powertools feature can only serve true or false")
                }
                rules.append((overrideRuleName(ov), .object(JSONObject([
                    ("when_match", serve),
                    ("conditions", .array([.object(JSONObject([("action", .string("EQUALS")), ("key", .string(ov.contextKey)), ("value", ov.matchValue)]))])),
                ]))))
            }
            rules += PowertoolsMapping.storedRules(d.rules)
        }
        var seen = Set<[UInt8]>()
        for (name, _) in rules where !seen.insert(Array(name.utf8)).inserted {
            throw .inexpressible(loc, "\(key) would have two rules named \(JSONText.quote(name)); Powertools rule names are object keys and must be unique")
        }
        // Keep each rule's existing JSON (member order, unknown members) when it says the same.
        let merged: [(String, JSONValue)] = rules.map { name, r in
            if let old = existingRules[name], let oo = old.objectValue,
               JSONCompare.pyEqual(oo["when_match"] ?? .null, r["when_match"] ?? .null),
               JSONTextEdit.identical(oo["conditions"] ?? .null, r["conditions"] ?? .null) {
                return (name, old)
            }
            return (name, r)
        }
        if merged.isEmpty {
            if let r = o["rules"], r.isTruthy { o["rules"] = nil }
        } else {
            o["rules"] = .object(JSONObject(merged))
        }
        let result = JSONValue.object(o)
        _ = try feature(key, result, loc)  // what we write must be a feature Powertools accepts
        return result
    }
}
