/// `AWS.AppConfig.FeatureFlags` documents as cells. The hosted document (AWS AppConfig
/// user guide, "Type reference for AWS.AppConfig.FeatureFlags") is
/// `{"version": "1", "flags": {KEY: {"name", "description"?, "attributes"?, "_deprecation"?…}},
/// "values": {KEY: {"enabled": bool, ATTR: value…, "_createdAt"?, "_updatedAt"?}}}`;
/// AppConfigData serves it flattened, `{KEY: {"enabled": bool, ATTR: value…}}`, with a
/// disabled flag's attributes left out.
///
/// A flag is on or off for everyone: `enabled` ↔ enabled (rollout 100 %, default true) or
/// disabled; attribute values are kept verbatim (reported in `DocumentCell.attributes`) and
/// never touched by an edit. Kill writes `values.KEY.enabled = false` and nothing else.
/// Partial rollouts, rules and overrides have no place in the document and are refused;
/// so are multi-variant flags (`_variants`), which only AppConfig Agent evaluates.
enum AppConfigFeatureFlagsDocument {
    static let reserved: Set<String> = ["enabled", "_createdAt", "_updatedAt", "_variants"]

    static func values(_ key: String, _ v: JSONValue?, _ loc: FormatLocation, where sub: String) throws(FormatError) -> JSONObject? {
        guard let v else { return nil }
        guard case .object(let o) = v else {
            throw .schema(FormatLocation(file: loc.file, path: loc.path + sub), "a flag's values must be an object, found \(v.typeName)")
        }
        guard o["enabled"]?.boolValue != nil else {
            throw .schema(FormatLocation(file: loc.file, path: loc.path + sub + ".enabled"), "'enabled' must be true or false")
        }
        if o["_variants"] != nil {
            throw .inexpressible(loc, "\(key) is a multi-variant flag (_variants), which only AppConfig Agent evaluates; flagdeck reads and writes single-value flags")
        }
        return o
    }

    static func cell(_ key: String, values o: JSONObject?) -> DocumentCell {
        let on = o?["enabled"]?.boolValue ?? false
        let attrs = o.map { JSONObject($0.members.filter { !reserved.contains($0.key) }.map { ($0.key, $0.value) }) }
        return DocumentCell(enabled: on, rolloutBasisPoints: on ? 10_000 : 0, defaultValue: on ? "true" : "false",
                            attributes: attrs.map { JSONWriter.compact(.object($0)) })
    }

    /// Hosted pair fragment `{"flags": …, "values": …}` → cell.
    static func cell(_ key: String, pair: JSONValue, _ loc: FormatLocation) throws(FormatError) -> DocumentCell {
        if let def = pair["flags"], def.objectValue == nil {
            throw .schema(FormatLocation(file: loc.file, path: JSONPath.render([.key("flags"), .key(key)])), "a flag definition must be an object")
        }
        return cell(key, values: try values(key, pair["values"], loc, where: ""))
    }

    static func killed(_ key: String, pair: JSONValue?, _ loc: FormatLocation) throws(FormatError) -> JSONValue {
        var p = pair?.objectValue ?? JSONObject()
        var v = try values(key, p["values"], loc, where: "") ?? JSONObject()
        if v["enabled"]?.boolValue != false { v["enabled"] = .bool(false) }
        p["values"] = .object(v)
        return .object(p)
    }

    static func applying(_ d: DesiredCell, to pair: JSONValue?, key: String, _ loc: FormatLocation) throws(FormatError) -> JSONValue {
        guard d.valueKind == .boolean else {
            throw .inexpressible(loc, "\(key) is a JSON-valued flag; an AWS.AppConfig.FeatureFlags flag is enabled or not (its attributes are edited in AppConfig)")
        }
        let def = ((try? JSONParser.parse(d.defaultValue)) ?? .null).isTruthy
        let on: Bool
        if !d.enabled { on = false }
        else if d.rolloutBasisPoints >= 10_000 { on = true }
        else if d.rolloutBasisPoints <= 0 { on = def }
        else {
            throw .inexpressible(loc, "\(key) cannot be rolled out to \(Percent.format(d.rolloutBasisPoints))% in an AWS.AppConfig.FeatureFlags document, whose flags are on or off for everyone. Roll out 0% or 100% (a gradual AppConfig deployment strategy spreads a change over time, not over users)")
        }
        if d.enabled {
            if let r = (try? JSONParser.parse(d.rules))?.arrayValue, !r.isEmpty {
                throw .inexpressible(loc, "\(key)'s rules cannot be written to an AWS.AppConfig.FeatureFlags document, which has no targeting rules")
            }
            if !d.overrides.isEmpty {
                throw .inexpressible(loc, "overrides of \(key) cannot be written to an AWS.AppConfig.FeatureFlags document, which has no per-context values")
            }
        }
        if let pair, try values(key, pair["values"], loc, where: "")?["enabled"]?.boolValue ?? false == on { return pair }
        var p = pair?.objectValue ?? JSONObject()
        if p["flags"] == nil { p["flags"] = .object(JSONObject([("name", .string(String(key.prefix(64))))])) }
        var v = try values(key, p["values"], loc, where: "") ?? JSONObject()
        if v["enabled"]?.boolValue != on { v["enabled"] = .bool(on) }
        p["values"] = .object(v)
        return .object(p)
    }
}
