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

    static func object(_ text: String?) -> [String: Any]? {
        guard let text, let d = text.data(using: .utf8),
              let o = try? JSONSerialization.jsonObject(with: d, options: [.fragmentsAllowed]) as? [String: Any]
        else { return nil }
        return o
    }

    static func orderedKeys(_ a: [String: Any], _ b: [String: Any]) -> [String] {
        let preferred = ["killed", "enabled", "rollout", "rules", "default", "owner", "type", "description",
                         "tags", "expires", "depends_on", "protected", "order"]
        let all = Set(a.keys).union(b.keys)
        return preferred.filter(all.contains) + all.subtracting(preferred).sorted()
    }

    static func render(_ v: Any?) -> String {
        guard let v, !(v is NSNull) else { return "null" }
        if let n = v as? NSNumber {
            let t = String(cString: n.objCType)
            if t == "c" || t == "B" { return n.boolValue ? "true" : "false" }
            return n.stringValue
        }
        if let s = v as? String { return s }
        if let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed]) {
            return String(decoding: d, as: UTF8.self)
        }
        return "\(v)"
    }
}
