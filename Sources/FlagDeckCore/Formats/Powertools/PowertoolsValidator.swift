/// Powertools 3.x `SchemaValidator`, rule for rule and in the same order, so a file we
/// accept is a file Powertools accepts and vice versa. Messages keep Powertools' wording
/// (operators may search for it) and add the JSON path of the offending member.
public enum PowertoolsValidator {
    /// Validates a parsed document. `envelope` is the member path Powertools' `envelope`
    /// option would extract (e.g. `["features"]`); errors are reported with it included.
    public static func validate(_ doc: JSONValue, envelope: [String] = []) throws(FormatError) -> PowertoolsConfig {
        var root = doc
        var base: [JSONPath.Component] = []
        for k in envelope {
            guard let next = root[k] else {
                throw .schema(FormatLocation(path: JSONPath.render(base)), "envelope member \(JSONText.quote(k)) not found")
            }
            base.append(.key(k))
            root = next
        }
        guard case .object(let features) = root else {
            throw .schema(FormatLocation(path: JSONPath.render(base)), "Features must be a dictionary, found \(root.typeName)")
        }
        var out: [PowertoolsFeature] = []
        out.reserveCapacity(features.count)
        for (name, feature) in features.members {
            out.append(try validateFeature(name: name, feature, at: base + [.key(name)]))
        }
        return PowertoolsConfig(features: out, raw: features)
    }

    static func err(_ path: [JSONPath.Component], _ msg: String) -> FormatError {
        .schema(FormatLocation(path: JSONPath.render(path)), msg)
    }

    static func validateFeature(name: String, _ feature: JSONValue, at path: [JSONPath.Component]) throws(FormatError) -> PowertoolsFeature {
        guard case .object(let f) = feature, !f.isEmpty else {
            throw err(path, "Feature must be a non-empty dictionary, feature=\(name)")
        }
        let isBoolean = f["boolean_type"]?.isTruthy ?? true
        let def = f["default"] ?? .null
        var badDefault = false
        if case .null = def { badDefault = true }
        if isBoolean, def.boolValue == nil { badDefault = true }
        if badDefault {
            throw err(path + [.key("default")], "feature 'default' boolean key must be present, feature=\(name)"
                      + (isBoolean ? " (a boolean feature needs true or false)" : " (it must not be null)"))
        }
        let rulesValue = f["rules"]
        var rules: [PowertoolsRule] = []
        if let rv = rulesValue, rv.isTruthy {
            guard case .object(let ro) = rv else {
                throw err(path + [.key("rules")], "Feature rules must be a dictionary, feature=\(name)")
            }
            for (ruleName, rule) in ro.members {
                rules.append(try validateRule(ruleName, rule, feature: name, isBoolean: isBoolean,
                                              at: path + [.key("rules"), .key(ruleName)]))
            }
        }
        return PowertoolsFeature(name: name, defaultValue: def, isBoolean: isBoolean, rulesValue: rulesValue, rules: rules)
    }

    static func validateRule(_ name: String, _ rule: JSONValue, feature: String, isBoolean: Bool,
                             at path: [JSONPath.Component]) throws(FormatError) -> PowertoolsRule {
        guard case .object(let r) = rule, !r.isEmpty else {
            throw err(path, "Feature rule must be a dictionary, feature=\(feature)")
        }
        guard !name.isEmpty else { throw err(path, "Rule name key must have a non-empty string, feature=\(feature)") }
        let whenMatch = r["when_match"] ?? .null
        if isBoolean, whenMatch.boolValue == nil {
            throw err(path + [.key("when_match")], "'rule_default_value' key must have be bool, rule=\(name)")
        }
        guard let cv = r["conditions"], cv.isTruthy, case .array(let conds) = cv else {
            throw err(path + [.key("conditions")], "Invalid condition, rule=\(name) (conditions must be a non-empty list)")
        }
        var out: [PowertoolsCondition] = []
        for (i, c) in conds.enumerated() {
            out.append(try validateCondition(c, rule: name, at: path + [.key("conditions"), .index(i)]))
        }
        return PowertoolsRule(name: name, whenMatch: whenMatch, conditions: out)
    }

    static func validateCondition(_ condition: JSONValue, rule: String,
                                  at path: [JSONPath.Component]) throws(FormatError) -> PowertoolsCondition {
        guard case .object(let c) = condition, !c.isEmpty else {
            throw err(path, "Feature rule condition must be a dictionary, rule=\(rule)")
        }
        let actionValue = c["action"] ?? .string("")
        guard let actionText = actionValue.stringValue, let action = PowertoolsAction(rawValue: actionText) else {
            let shown = actionValue.stringValue ?? JSONWriter.compact(actionValue)
            throw err(path + [.key("action")], "'action' value must be either \(PowertoolsAction.allCases.map(\.rawValue)), rule_name=\(rule), action=\(shown)")
        }
        guard let key = (c["key"] ?? .string("")).stringValue, !key.isEmpty else {
            throw err(path + [.key("key")], "'key' value must be a non empty string, rule=\(rule)")
        }
        if let expected = action.scheduleKey, !JSONCompare.sameScalars(key, expected) {
            throw err(path + [.key("key")], "'condition with a '\(action.rawValue)' action must have a '\(expected)' condition key, rule=\(rule)")
        }
        let value = c["value"] ?? .null
        if case .null = value { throw err(path + [.key("value")], "'value' key must not be null, rule=\(rule)") }
        let schedule = try validateValue(action, value, rule: rule, at: path + [.key("value")])
        return PowertoolsCondition(action: action, key: key, value: value, schedule: schedule)
    }

    static func validateValue(_ action: PowertoolsAction, _ value: JSONValue, rule: String,
                              at path: [JSONPath.Component]) throws(FormatError) -> ScheduleSpec? {
        switch action {
        case .scheduleBetweenDaysOfWeek:
            let msg = "condition with a CURRENT_DAY_OF_WEEK action must have a condition value dictionary with 'DAYS' and 'TIMEZONE' (optional) keys, rule=\(rule)"
            guard case .object(let o) = value, case .array(let days)? = o["DAYS"], !o.isEmpty else { throw err(path, msg) }
            var set = Set<String>()
            for (i, d) in days.enumerated() {
                guard let s = d.stringValue, PowertoolsAction.validDayNames.contains(where: { JSONCompare.sameScalars($0, s) }) else {
                    throw err(path + [.key("DAYS"), .index(i)], "condition value DAYS must represent a day of the week in 'TimeValues' enum, rule=\(rule)")
                }
                set.insert(s)
            }
            return ScheduleSpec(kind: .daysOfWeek(set), zone: try zone(o, rule: rule, at: path))
        case .scheduleBetweenTimeRange:
            guard case .object(let o) = value else {
                throw err(path, "SCHEDULE_BETWEEN_TIME_RANGE action must have a dictionary with 'START' and 'END' keys, rule=\(rule)")
            }
            guard let start = (o["START"] ?? .string("")).stringValue, let end = (o["END"] ?? .string("")).stringValue else {
                throw err(path, "'START' and 'END' must be a non empty string, rule=\(rule)")
            }
            guard let s = hourMinute(start), let e = hourMinute(end) else {
                throw err(path + [.key(hourMinute(start) == nil ? "START" : "END")],
                          "'START' and 'END' must be a valid time format, time_format=%H:%M, rule=\(rule)")
            }
            return ScheduleSpec(kind: .timeRange(start: s, end: e), zone: try zone(o, rule: rule, at: path))
        case .scheduleBetweenDatetimeRange:
            guard case .object(let o) = value else {
                throw err(path, "SCHEDULE_BETWEEN_DATETIME_RANGE action must have a dictionary with 'START' and 'END' keys, rule=\(rule)")
            }
            guard let start = (o["START"] ?? .string("")).stringValue, let end = (o["END"] ?? .string("")).stringValue else {
                throw err(path, "'START' and 'END' must be a non empty string, rule=\(rule)")
            }
            let s = try datetime(start, rule: rule, at: path + [.key("START")])
            let e = try datetime(end, rule: rule, at: path + [.key("END")])
            return ScheduleSpec(kind: .datetimeRange(start: s, end: e), zone: try zone(o, rule: rule, at: path))
        case .moduloRange:
            let msg = "condition with a 'MODULO_RANGE' action must have a condition value type dictionary with 'BASE', 'START' and 'END' keys, rule=\(rule)"
            guard case .object(let o) = value else { throw err(path, msg) }
            let base = o["BASE"] ?? .null, start = o["START"] ?? .null, end = o["END"] ?? .null
            for v in [base, start, end] { if case .null = v { throw err(path, msg) } }
            guard base.isPythonInt, start.isPythonInt, end.isPythonInt else {
                throw err(path, "'BASE', 'START' and 'END' must be integers, rule=\(rule)")
            }
            let b = bigInt(base), s = bigInt(start), e = bigInt(end)
            guard !(s < BigInteger(0)), !(e < s), !(b - BigInteger(1) < e) else {
                throw err(path, "condition with 'MODULO_RANGE' action must satisfy 0 <= START <= END <= BASE-1, rule=\(rule)")
            }
            return nil
        case .allInValue, .anyInValue, .noneInValue:
            guard case .array = value else { throw err(path, "\(action.rawValue) action must have a list value, rule=\(rule)") }
            return nil
        default:
            return nil
        }
    }

    static func bigInt(_ v: JSONValue) -> BigInteger {
        switch v {
        case .bool(let b): BigInteger(b ? 1 : 0)
        case .int(let i): BigInteger(i)
        case .bigInt(let b): b
        default: BigInteger(0)
        }
    }

    /// `(?:2[0-3]|[01]\d):[0-5]\d` with `fullmatch`; Python's `\d` admits any Unicode
    /// decimal digit and `int()` reads it, so this does too.
    static func hourMinute(_ s: String) -> Int? {
        let u = Array(s.unicodeScalars)
        guard u.count == 5, u[2] == ":" else { return nil }
        func digit(_ c: Unicode.Scalar) -> Int? {
            guard c.properties.numericType == .decimal, let v = c.properties.numericValue else { return nil }
            return Int(v)
        }
        guard let h1 = digit(u[0]), let h2 = digit(u[1]), let m1 = digit(u[3]), let m2 = digit(u[4]) else { return nil }
        // The pattern's literal classes only admit ASCII for the first digit of each part.
        guard u[0].isASCII, u[3].isASCII else { return nil }
        if h1 == 2 { guard u[1].isASCII, h2 <= 3 else { return nil } } else { guard h1 <= 1 else { return nil } }
        guard m1 <= 5 else { return nil }
        return (h1 * 10 + h2) * 60 + m1 * 10 + m2
    }

    static func datetime(_ s: String, rule: String, at path: [JSONPath.Component]) throws(FormatError) -> CivilDateTime {
        switch PythonISODateTime.parse(s.replacingOccurrences(of: "Z", with: "+00:00")) {
        case .naive(let dt)?: return dt
        case .aware?:
            throw err(path, "'START' and 'END' must not include timezone information. Set the timezone using the 'TIMEZONE' field, rule=\(rule)")
        case nil:
            throw err(path, "'START' and 'END' must be a valid ISO8601 time format, rule=\(rule)")
        }
    }

    /// Validation reads `TIMEZONE or "UTC"`; evaluation reads `TIMEZONE` with default
    /// "UTC" and hands it to gettz, where a falsy value means the process zone (UTC for
    /// flagdeck, by design) and a list or object raises, so the condition never matches.
    static func zone(_ o: JSONObject, rule: String, at path: [JSONPath.Component]) throws(FormatError) -> ZoneRef? {
        let tz = o["TIMEZONE"] ?? .null
        guard tz.isTruthy else {
            switch tz {
            case .array, .object: return nil
            default: return ZoneResolver.resolve("UTC")
            }
        }
        guard let name = tz.stringValue else { throw err(path + [.key("TIMEZONE")], "'TIMEZONE' must be a string, rule=\(rule)") }
        guard let z = ZoneResolver.resolve(name) else {
            throw err(path + [.key("TIMEZONE")], "'TIMEZONE' value must represent a valid IANA timezone, rule=\(rule) (got \(JSONText.quote(name)))")
        }
        return z
    }
}
