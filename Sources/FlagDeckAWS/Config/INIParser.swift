import Foundation

/// One value in a shared config file: a plain string, or the indented sub-section that
/// `services` sections (and `s3 =` style keys) use.
public enum INIValue: Sendable, Hashable {
    case string(String)
    case nested([String: String])

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

/// A section with the file and line it started on, for error messages.
public struct INISection: Sendable, Hashable, CustomReflectable {
    public var name: String
    public var values: [String: INIValue]
    public var file: String
    public var line: Int

    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "values": INIValue.redacted(values), "file": file, "line": line],
               displayStyle: .struct)
    }
}

extension INIValue {
    /// Settings whose values are secrets: shown as `<redacted>` by `dump` and debuggers.
    static let secretKeys: Set<String> = ["aws_secret_access_key", "aws_session_token", "aws_security_token"]

    static func redacted(_ values: [String: INIValue]) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in values {
            switch v {
            case .string(let s): out[k] = secretKeys.contains(k) ? "<redacted>" : s
            case .nested(let n): out[k] = n.keys.sorted().map { "\($0) = \(secretKeys.contains($0) ? "<redacted>" : n[$0]!)" }
                .joined(separator: "; ")
            }
        }
        return out
    }
}

/// The AWS shared config dialect as botocore reads it (Python `RawConfigParser` plus
/// botocore's nested-value step): `[section]` headers; `key = value` or `key: value`;
/// keys lower-cased; full-line comments with `#` or `;` (no inline comments, as in
/// botocore, so a `#` inside a value stays); an indented line continues the previous
/// value, and a value that is empty on its own line with indented `k = v` lines below is
/// a nested map. Duplicate sections or keys are errors, as in botocore.
enum INIParser {
    static func parse(_ text: String, file: String) throws -> [INISection] {
        var sections: [INISection] = []
        var index: [String: Int] = [:]
        var currentKey: String?
        var currentValue = ""

        func finishValue() {
            guard let key = currentKey, let s = sections.indices.last else { return }
            let raw = currentValue
            if raw.hasPrefix("\n") {
                var nested: [String: String] = [:]
                for l in raw.split(separator: "\n") {
                    let t = l.trimmingCharacters(in: .whitespaces)
                    if t.isEmpty { continue }
                    if let eq = t.firstIndex(of: "=") {
                        nested[t[..<eq].trimmingCharacters(in: .whitespaces)] =
                            t[t.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                    }
                }
                sections[s].values[key] = .nested(nested)
            } else {
                sections[s].values[key] = .string(raw.trimmingCharacters(in: .whitespaces))
            }
            currentKey = nil
            currentValue = ""
        }

        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, rawLine) in lines.enumerated() {
            let lineNo = i + 1
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.isEmpty {
                // RawConfigParser keeps blank lines inside a value; they never matter here.
                continue
            }
            let indented = line.first == " " || line.first == "\t"
            if indented, currentKey != nil {
                currentValue += "\n" + trimmed
                continue
            }
            finishValue()
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    throw AWSError.configSyntax(file: file, line: lineNo, reason: "section header without a closing ]")
                }
                let name = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if let prior = index[name] {
                    throw AWSError.configSyntax(file: file, line: lineNo,
                                        reason: "section [\(name)] appears again (first on line \(sections[prior].line))")
                }
                index[name] = sections.count
                sections.append(INISection(name: name, values: [:], file: file, line: lineNo))
                continue
            }
            guard !sections.isEmpty else {
                throw AWSError.configSyntax(file: file, line: lineNo, reason: "a setting before any [section] header")
            }
            guard let sep = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw AWSError.configSyntax(file: file, line: lineNo, reason: "expected `name = value`")
            }
            let key = trimmed[..<sep].trimmingCharacters(in: .whitespaces).lowercased()
            guard !key.isEmpty else { throw AWSError.configSyntax(file: file, line: lineNo, reason: "a setting with no name") }
            if sections[sections.count - 1].values[key] != nil {
                throw AWSError.configSyntax(file: file, line: lineNo,
                                    reason: "`\(key)` is set twice in [\(sections[sections.count - 1].name)]")
            }
            currentKey = key
            currentValue = String(trimmed[trimmed.index(after: sep)...]).trimmingCharacters(in: .whitespaces)
        }
        finishValue()
        return sections
    }
}
