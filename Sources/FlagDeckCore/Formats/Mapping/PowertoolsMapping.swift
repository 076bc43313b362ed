/// How a Powertools feature and a flagdeck cell correspond. Powertools has no
/// percentage and no kill, so the mapping is:
///
/// | Powertools feature                         | flagdeck cell                                            |
/// |--------------------------------------------|----------------------------------------------------------|
/// | boolean, `default: true`                   | enabled, rollout 100 %, rules kept, default `true`        |
/// | boolean, `default: false`, with rules      | enabled, rollout 0 % (only rule matches get `true`), default `false` |
/// | boolean, `default: false`, no rules        | disabled                                                 |
/// | `boolean_type: false` (JSON value)         | enabled, rollout 100 %, rules kept, default = the value  |
///
/// Rules are stored as an ordered array `[{"name", "when_match", "conditions"}]`, the
/// conditions verbatim, so Powertools evaluation of a stored cell is exact.
///
/// Export is the inverse; a disabled or killed cell exports as *off*: `{"default": false}`
/// for boolean flags, or the default value with no rules for JSON flags. A partial
/// rollout (1-99.99 %) cannot be expressed in Powertools and exports as off, with a warning.
/// Re-import compares the file's feature with what export would write for the current
/// cell and changes nothing when they are equal, so import → export → import is a no-op.
public enum PowertoolsMapping {
    /// What one feature in a file asks a cell to become.
    public struct CellDefinition: Sendable, Hashable {
        public var enabled: Bool
        public var rolloutBasisPoints: Int
        public var rules: String
        public var defaultValue: String
        public var valueKind: ValueKind
    }

    public static func definition(of f: PowertoolsFeature) -> CellDefinition {
        let rules = JSONWriter.compact(.array(f.rules.map(ruleJSON)))
        if !f.isBoolean {
            return CellDefinition(enabled: true, rolloutBasisPoints: 10_000, rules: rules,
                                  defaultValue: JSONWriter.compact(f.defaultValue), valueKind: .json)
        }
        if f.defaultValue.isTruthy {
            return CellDefinition(enabled: true, rolloutBasisPoints: 10_000, rules: rules, defaultValue: "true", valueKind: .boolean)
        }
        if f.rules.isEmpty {
            return CellDefinition(enabled: false, rolloutBasisPoints: 0, rules: "[]", defaultValue: "false", valueKind: .boolean)
        }
        return CellDefinition(enabled: true, rolloutBasisPoints: 0, rules: rules, defaultValue: "false", valueKind: .boolean)
    }

    static func ruleJSON(_ r: PowertoolsRule) -> JSONValue {
        .object(JSONObject([
            ("name", .string(r.name)), ("when_match", r.whenMatch),
            ("conditions", .array(r.conditions.map { c in
                .object(JSONObject([("action", .string(c.action.rawValue)), ("key", .string(c.key)), ("value", c.value)]))
            })),
        ]))
    }

    /// The Powertools feature a cell exports as, and a warning when it could not be exact.
    public static func feature(kind: ValueKind, state s: FlagState) -> (JSONValue, warning: String?) {
        let def = (try? JSONParser.parse(s.defaultValue)) ?? .null
        let rules = storedRules(s.rules)
        if kind == .json {
            var m: [(String, JSONValue)] = [("default", def), ("boolean_type", .bool(false))]
            if s.enabled && !s.killed && !rules.isEmpty { m.append(("rules", .object(JSONObject(rules)))) }
            return (.object(JSONObject(m)), nil)
        }
        guard s.enabled && !s.killed else { return (.object(JSONObject([("default", .bool(false))])), nil) }
        var warning: String?
        let defaultOn: Bool
        switch s.rolloutBasisPoints {
        case 10_000: defaultOn = true
        case 0: defaultOn = def.isTruthy
        default:
            defaultOn = false
            warning = "\(s.flagKey) in \(s.env) is rolled out to \(Percent.format(s.rolloutBasisPoints))%, which Powertools cannot express; exported as off outside its rules"
        }
        var m: [(String, JSONValue)] = [("default", .bool(defaultOn))]
        if !rules.isEmpty { m.append(("rules", .object(JSONObject(rules)))) }
        return (.object(JSONObject(m)), warning)
    }

    /// Stored rule array → Powertools `rules` members, in order.
    public static func storedRules(_ text: String) -> [(String, JSONValue)] {
        guard case .array(let a)? = try? JSONParser.parse(text) else { return [] }
        return a.compactMap { r in
            guard let name = r["name"]?.stringValue else { return nil }
            return (name, .object(JSONObject([("when_match", r["when_match"] ?? .null), ("conditions", r["conditions"] ?? .array([]))])))
        }
    }

    /// The Powertools document for one environment, features in flag-key order.
    public static func document(_ cells: [(Flag, FlagState)]) -> (JSONValue, warnings: [String]) {
        var members: [(String, JSONValue)] = []
        var warnings: [String] = []
        for (f, s) in cells.sorted(by: { $0.0.key.utf8.lexicographicallyPrecedes($1.0.key.utf8) }) {
            let (v, w) = feature(kind: f.valueKind, state: s)
            members.append((f.key, v))
            if let w { warnings.append(w) }
        }
        return (.object(JSONObject(members)), warnings)
    }
}
