import Foundation

/// Before→after in words ("rollout 25→50, killed false→true"), for history views. Works
/// on the recorded JSON snapshots, so it also describes events written by older versions.
public enum EventDiff {
    public static func describe(before: String?, after: String?) -> String {
        let b = object(before), a = object(after)
        switch (b, a) {
        case (nil, nil): return ""
        case (nil, .some): return "created"
        case (.some, nil): return "removed"
        case (let b?, let a?):
            var parts: [String] = []
            for key in orderedKeys(b, a) where key != "version" {
                let x = render(b[key]), y = render(a[key])
                if x != y { parts.append("\(key) \(x)→\(y)") }
            }
            return parts.isEmpty ? "no change" : parts.joined(separator: ", ")
        }
    }

    /// Parsed with the product's own parser, so numbers and member order read back as
    /// they were written.
    static func object(_ text: String?) -> [String: JSONValue]? {
        guard let text, case .object(let o)? = try? JSONParser.parse(text) else { return nil }
        var out: [String: JSONValue] = [:]
        for m in o.members { out[m.key] = m.value }
        return out
    }

    static func orderedKeys(_ a: [String: JSONValue], _ b: [String: JSONValue]) -> [String] {
        let preferred = ["killed", "enabled", "rollout", "rules", "default", "owner", "type", "description",
                         "tags", "expires", "depends_on", "protected", "order"]
        let all = Set(a.keys).union(b.keys)
        return preferred.filter(all.contains) + all.subtracting(preferred).sorted()
    }

    static func render(_ v: JSONValue?) -> String {
        switch v {
        case nil, .null?: return "null"
        case .string(let s)?: return s
        case let v?: return JSONWriter.compact(v)
        }
    }
}
