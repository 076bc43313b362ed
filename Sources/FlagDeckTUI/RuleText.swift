import FlagDeckCore

/// Stored rules as an operator reads them: one line per rule, in evaluation order,
/// `internal staff: email ENDSWITH "@example.com" → on`. Actions and values are
/// Powertools' own (the rule is what Powertools evaluates), values as JSON so a string
/// and a number never look alike. The raw JSON stays one key away in the detail screen.
public enum RuleText {
    /// One line per rule; `[]` (or no rules at all) is empty. Text that is not a rule
    /// array comes back as itself, one line, so nothing stored is ever hidden.
    public static func lines(_ stored: String) -> [String] {
        guard let parsed = try? JSONParser.parse(stored) else { return blank(stored) ? [] : [stored] }
        if case .null = parsed { return [] }
        guard case .array(let rules) = parsed else { return [JSONWriter.compact(parsed)] }
        return rules.map(line)
    }

    /// The stored JSON, pretty-printed so no rule runs off the edge: the raw view.
    public static func rawLines(_ stored: String) -> [String] {
        guard let parsed = try? JSONParser.parse(stored) else { return blank(stored) ? [] : [stored] }
        if case .null = parsed { return [] }
        if case .array(let rules) = parsed, rules.isEmpty { return [] }
        return JSONWriter.pretty(parsed).split(separator: "\n").map(String.init)
    }

    /// How many rules the stored text holds (a non-array counts as one, so it shows).
    public static func count(_ stored: String) -> Int {
        guard let parsed = try? JSONParser.parse(stored) else { return blank(stored) ? 0 : 1 }
        if case .null = parsed { return 0 }
        if case .array(let rules) = parsed { return rules.count }
        return 1
    }

    public static func line(_ rule: JSONValue) -> String {
        guard case .object = rule, let conditions = rule["conditions"]?.arrayValue else { return JSONWriter.compact(rule) }
        let name = rule["name"]?.stringValue ?? "(unnamed)"
        let when = conditions.isEmpty ? "always" : conditions.map(condition).joined(separator: " and ")
        return "\(name): \(when) → \(serves(rule["when_match"] ?? .null))"
    }

    static func condition(_ c: JSONValue) -> String {
        guard let action = c["action"]?.stringValue else { return JSONWriter.compact(c) }
        let key = c["key"]?.stringValue ?? "?"
        return "\(key) \(action) \(JSONWriter.compact(c["value"] ?? .null))"
    }

    /// `when_match` of a boolean rule reads on/off; anything else is the value served.
    static func serves(_ v: JSONValue) -> String {
        if case .bool(let b) = v { return b ? "on" : "off" }
        return JSONWriter.compact(v)
    }

    static func blank(_ s: String) -> Bool { s.allSatisfy(\.isWhitespace) }
}
