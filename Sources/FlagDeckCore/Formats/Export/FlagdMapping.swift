/// flagd flag definitions (https://flagd.dev/reference/flag-definitions/) for one
/// environment. Boolean flags get variants `on`/`off`; JSON flags get `default` plus one
/// variant per distinct rule value. Killed and disabled flags are `ENABLED` with
/// `defaultVariant: "off"` (or `default`) and no targeting: consumers keep getting a
/// definite *off* rather than flagd's "flag disabled" error path.
///
/// A partial rollout becomes flagd's `fractional` operation, which buckets by
/// murmurhash3-32 of `flagKey + targetingKey` (flagd's own algorithm); flagdeck's own
/// evaluator buckets with SHA-256 (see `CellEvaluator`), so the two agree on the share
/// of contexts but not on which ones. Powertools conditions translate to JsonLogic for
/// EQUALS, NOT_EQUALS, the four comparisons, STARTSWITH, ENDSWITH, IN/KEY_IN_VALUE,
/// NOT_IN/KEY_NOT_IN_VALUE and MODULO_RANGE (`%`, which truncates in JsonLogic: equal to
/// Python's floor modulo for non-negative keys); a rule using any other action (the
/// schedules, list actions, VALUE_IN_KEY) is left out with a warning.
public enum FlagdMapping {
    public static func document(_ cells: [(Flag, FlagState)]) -> (JSONValue, warnings: [String]) {
        var flags: [(String, JSONValue)] = []
        var warnings: [String] = []
        for (f, s) in cells.sorted(by: { $0.0.key.utf8.lexicographicallyPrecedes($1.0.key.utf8) }) {
            let (v, w) = flag(f, s)
            flags.append((f.key, v))
            warnings += w
        }
        return (.object(JSONObject([("$schema", .string("https://flagd.dev/schema/v0/flags.json")),
                                    ("flags", .object(JSONObject(flags)))])), warnings)
    }

    /// One flag's definition, and what it had to leave out (a non-empty list: flagd cannot hold the cell).
    public static func flag(_ f: Flag, _ s: FlagState) -> (JSONValue, [String]) {
        var warnings: [String] = []
        let def = (try? JSONParser.parse(s.defaultValue)) ?? .null
        let boolean = f.valueKind == .boolean
        var variants: [(String, JSONValue)] = boolean ? [("on", .bool(true)), ("off", .bool(false))] : [("default", def)]
        let offName = boolean ? "off" : "default"
        let live = s.enabled && !s.killed
        var members: [(String, JSONValue)] = [("state", .string("ENABLED"))]
        var targeting: JSONValue?
        var defaultVariant = offName
        if live {
            // What contexts that match no rule get.
            var otherwise: JSONValue
            let weighted = f.variants.filter { $0.weight > 0 }
            if !boolean && !weighted.isEmpty && s.rolloutBasisPoints > 0 {
                // Multivariate: the same fractional split flagdeck evaluates (FractionalAssignment).
                for v in weighted { variants.append((v.name, (try? JSONParser.parse(v.value)) ?? .null)) }
                otherwise = .object(JSONObject([("fractional", .array(weighted.map { .array([.string($0.name), .int(Int64($0.weight))]) }))]))
            } else if s.rolloutBasisPoints >= 10_000 {
                otherwise = .string(boolean ? "on" : "default"); defaultVariant = boolean ? "on" : "default"
            } else if s.rolloutBasisPoints <= 0 {
                otherwise = .string(boolean && def.isTruthy ? "on" : offName)
                defaultVariant = boolean && def.isTruthy ? "on" : offName
            } else {
                let (on, off) = rolloutWeights(s.rolloutBasisPoints)
                otherwise = .object(JSONObject([("fractional", .array([
                    .array([.string(boolean ? "on" : "default"), .int(on)]),
                    .array([.string(offName), .int(off)]),
                ]))]))
            }
            var chain: [JSONValue] = []
            for (name, rule) in PowertoolsMapping.storedRules(s.rules) {
                let conds = rule["conditions"]?.arrayValue ?? []
                var logic: [JSONValue] = []
                var ok = true
                for c in conds {
                    guard let l = jsonLogic(c) else { ok = false; break }
                    logic.append(l)
                }
                guard ok else {
                    warnings.append("\(f.key) in \(s.env): rule \(JSONText.quote(name)) uses an action flagd cannot express; left out of the flagd export")
                    continue
                }
                let wm = rule["when_match"] ?? .null
                let variant: String
                if boolean {
                    variant = wm.isTruthy ? "on" : "off"
                } else if let existing = variants.first(where: { JSONWriter.compact($0.1) == JSONWriter.compact(wm) }) {
                    variant = existing.0
                } else {
                    variant = "rule-\(variants.count)"
                    variants.append((variant, wm))
                }
                chain.append(logic.count == 1 ? logic[0] : .object(JSONObject([("and", .array(logic))])))
                chain.append(.string(variant))
            }
            if !chain.isEmpty {
                targeting = .object(JSONObject([("if", .array(chain + [otherwise]))]))
            } else if case .object = otherwise {
                targeting = otherwise
            }
        }
        members.append(("variants", .object(JSONObject(variants))))
        members.append(("defaultVariant", .string(defaultVariant)))
        if let targeting { members.append(("targeting", targeting)) }
        var meta: [(String, JSONValue)] = []
        if !f.description.isEmpty { meta.append(("description", .string(f.description))) }
        if let o = f.owner { meta.append(("owner", .string(o))) }
        if s.killed { meta.append(("killed", .bool(true))) }
        if !meta.isEmpty { members.append(("metadata", .object(JSONObject(meta)))) }
        return (.object(JSONObject(members)), warnings)
    }

    /// `fractional` weights for a rollout: whole percentages as percent, others in basis
    /// points. They must be integers: flagd-core ignores a `fractional` with a float weight
    /// (it returns null, so every context gets the default variant).
    static func rolloutWeights(_ bp: Int) -> (Int64, Int64) {
        bp % 100 == 0 ? (Int64(bp / 100), Int64(100 - bp / 100)) : (Int64(bp), Int64(10_000 - bp))
    }

    static func jsonLogic(_ c: JSONValue) -> JSONValue? {
        guard let action = c["action"]?.stringValue.flatMap(PowertoolsAction.init(rawValue:)),
              let key = c["key"]?.stringValue, let value = c["value"] else { return nil }
        let v: JSONValue = .object(JSONObject([("var", .string(key))]))
        func op(_ name: String, _ a: JSONValue, _ b: JSONValue) -> JSONValue { .object(JSONObject([(name, .array([a, b]))])) }
        switch action {
        case .equals: return op("==", v, value)
        case .notEquals: return op("!=", v, value)
        case .keyGreaterThanValue: return op(">", v, value)
        case .keyGreaterThanOrEqualValue: return op(">=", v, value)
        case .keyLessThanValue: return op("<", v, value)
        case .keyLessThanOrEqualValue: return op("<=", v, value)
        case .startsWith: return op("starts_with", v, value)
        case .endsWith: return op("ends_with", v, value)
        case .in, .keyInValue: return op("in", v, value)
        case .notIn, .keyNotInValue: return .object(JSONObject([("!", op("in", v, value))]))
        case .moduloRange:
            // JsonLogic's `%` truncates like JavaScript; for the non-negative ids this is
            // used with it equals Python's floor modulo. `<=` with three operands is "between".
            guard case .object(let o) = value, let base = o["BASE"], let start = o["START"], let end = o["END"] else { return nil }
            let mod: JSONValue = .object(JSONObject([("%", .array([v, base]))]))
            return .object(JSONObject([("<=", .array([start, mod, end]))]))
        default: return nil
        }
    }
}
