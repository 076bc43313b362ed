/// The before/after snapshots recorded in audit events. Hand-written with a fixed key
/// order because the text is hashed: it must be byte-identical on every machine.
/// Rules and default are embedded verbatim (they are already JSON).
public enum StateJSON {
    public static func encode(_ s: FlagState) -> String {
        "{\"enabled\":\(s.enabled),\"killed\":\(s.killed),\"rollout\":\(Percent.format(s.rolloutBasisPoints)),"
            + "\"rules\":\(s.rules),\"default\":\(s.defaultValue),\"version\":\(s.version)}"
    }

    public static func encode(_ f: Flag) -> String {
        let deps = f.dependsOn.map(JSONText.quote).joined(separator: ",")
        let tags = f.tags.map(JSONText.quote).joined(separator: ",")
        let variants = f.variants.map { "{\"name\":\(JSONText.quote($0.name)),\"value\":\($0.value),\"weight\":\($0.weight)}" }
            .joined(separator: ",")
        return "{\"key\":\(JSONText.quote(f.key)),\"type\":\(JSONText.quote(f.type.rawValue)),"
            + "\"owner\":\(f.owner.map(JSONText.quote) ?? "null"),\"description\":\(JSONText.quote(f.description)),"
            + "\"tags\":[\(tags)],\"expires\":\(f.expiresAt.map { JSONText.quote(UTC.formatDay($0)) } ?? "null"),"
            + "\"depends_on\":[\(deps)],\"value_kind\":\(JSONText.quote(f.valueKind.rawValue)),"
            + "\"variants\":[\(variants)],\"version\":\(f.version)}"
    }

    public static func encode(_ e: Environment) -> String {
        "{\"env\":\(JSONText.quote(e.id.path)),\"protected\":\(e.isProtected),\"order\":\(e.displayOrder),\"version\":\(e.version)}"
    }
}

/// Minimal JSON string quoting, shared by every hand-written encoder in the core.
public enum JSONText {
    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
        return out
    }
}
