import Foundation

/// Scrubs passwords out of anything flagdeck prints about a connection. A conninfo
/// string or URL is the operator's own input, yet it ends up in error messages, the
/// dashboard header and logs; libpq's own messages can quote fragments of it (a bad
/// percent-escape, an unknown option). So every message about a connection passes
/// through `redact`, which removes three things: `password=` values in conninfo, the
/// password in a URL's userinfo and `?password=` query, and any literal occurrence of a
/// password it was told about (from the target or `PGPASSWORD`), wherever it appears.
public struct Redactor: Sendable {
    public static let mask = "***"
    private let secrets: [String]

    /// `target` is the conninfo or URL the operator gave; `environment` supplies
    /// `PGPASSWORD`, which libpq reads too.
    public init(target: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        var s = Self.passwords(in: target)
        if let p = environment["PGPASSWORD"], !p.isEmpty { s.append(p) }
        // Longest first, so a password containing another is removed whole.
        secrets = Array(Set(s.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        var out = Self.redactStructure(text)
        for s in secrets where out.contains(s) {
            out = out.replacingOccurrences(of: s, with: Self.mask)
        }
        return out
    }

    /// Removes the password syntactically (no secrets known): conninfo `password=…`
    /// (bare or single-quoted with backslash escapes), URL userinfo `user:…@` and a
    /// `password=` query parameter.
    public static func redactStructure(_ text: String) -> String {
        var out = redactURLUserinfo(text)
        out = redactKeyValue(out)
        return out
    }

    /// Every password spelled in a conninfo string or URL, raw and percent-decoded.
    static func passwords(in target: String) -> [String] {
        var found: [String] = []
        for range in userinfoPasswordRanges(target) {
            let raw = String(target[range])
            found.append(raw)
            if let decoded = raw.removingPercentEncoding { found.append(decoded) }
        }
        for range in keyValuePasswordRanges(target) {
            let raw = String(target[range])
            found.append(raw)
            found.append(unquote(raw))
            if let decoded = raw.removingPercentEncoding { found.append(decoded) }
        }
        return found
    }

    // MARK: - URL userinfo

    private static let schemes = ["postgresql://", "postgres://"]

    /// Ranges of `PASSWORD` in `scheme://USER:PASSWORD@…`, for every URL in `text`.
    static func userinfoPasswordRanges(_ text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var searchFrom = text.startIndex
        while let hit = schemes.compactMap({ text.range(of: $0, options: .caseInsensitive, range: searchFrom..<text.endIndex) })
            .min(by: { $0.lowerBound < $1.lowerBound }) {
            let authorityStart = hit.upperBound
            // The authority ends at the first '/', '?' or whitespace; the userinfo at its last '@'.
            var end = authorityStart
            while end < text.endIndex, !"/?# \t\n".contains(text[end]) { end = text.index(after: end) }
            let authority = authorityStart..<end
            if let at = text.range(of: "@", options: .backwards, range: authority),
               let colon = text.range(of: ":", range: authorityStart..<at.lowerBound) {
                ranges.append(colon.upperBound..<at.lowerBound)
            }
            searchFrom = end
            if searchFrom >= text.endIndex { break }
        }
        return ranges
    }

    static func redactURLUserinfo(_ text: String) -> String {
        var out = text
        for r in userinfoPasswordRanges(text).reversed() where !r.isEmpty { out.replaceSubrange(r, with: mask) }
        return out
    }

    // MARK: - key=value (conninfo and URL query)

    /// Ranges of the value after `password=` (conninfo, or `?password=`/`&password=` in a URL).
    static func keyValuePasswordRanges(_ text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var searchFrom = text.startIndex
        while let hit = text.range(of: "password", options: .caseInsensitive, range: searchFrom..<text.endIndex) {
            searchFrom = hit.upperBound
            // Must be a whole key: start of text or preceded by a separator.
            if hit.lowerBound > text.startIndex {
                let before = text[text.index(before: hit.lowerBound)]
                guard " \t\n?&;".contains(before) else { continue }
            }
            var i = hit.upperBound
            while i < text.endIndex, text[i] == " " { i = text.index(after: i) }
            guard i < text.endIndex, text[i] == "=" else { continue }
            i = text.index(after: i)
            while i < text.endIndex, text[i] == " " { i = text.index(after: i) }
            let valueStart = i
            if i < text.endIndex, text[i] == "'" {
                i = text.index(after: i)
                while i < text.endIndex, text[i] != "'" {
                    if text[i] == "\\" { i = text.index(after: i); if i == text.endIndex { break } }
                    i = text.index(after: i)
                }
                if i < text.endIndex { i = text.index(after: i) }
            } else {
                while i < text.endIndex, !" \t\n&#".contains(text[i]) { i = text.index(after: i) }
            }
            if valueStart < i { ranges.append(valueStart..<i) }
            searchFrom = i
        }
        return ranges
    }

    static func redactKeyValue(_ text: String) -> String {
        var out = text
        for r in keyValuePasswordRanges(text).reversed() { out.replaceSubrange(r, with: mask) }
        return out
    }

    static func unquote(_ s: String) -> String {
        guard s.hasPrefix("'"), s.hasSuffix("'"), s.count >= 2 else { return s }
        var out = ""
        var escaped = false
        for c in s.dropFirst().dropLast() {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}
