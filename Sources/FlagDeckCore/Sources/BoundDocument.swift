import Foundation

/// A binding's document as read: parsed in the binding's format, with what the binding
/// knows that the document does not (the application's environment name).
struct BoundDocument {
    let binding: SourceBinding
    let snapshot: SourceSnapshot
    let document: FlagDocument
    var context: DocumentContext { DocumentContext(env: binding.env, appEnvironment: binding.options[SourceOption.appEnvironment]) }

    /// `served`: what applications read (an AppConfig FeatureFlags profile is served
    /// flattened), else what changes are written on top of.
    init(_ binding: SourceBinding, _ snapshot: SourceSnapshot, served: Bool) throws(SourceError) {
        self.binding = binding
        self.snapshot = snapshot
        do {
            document = try ParsedDocuments.parse(snapshot.bytes, format: Self.format(binding, served: served),
                                                 file: Self.name(binding.uri))
        } catch {
            throw .unparseable(source: Self.name(binding.uri), detail: error.description)
        }
    }

    static func format(_ binding: SourceBinding, served: Bool) -> DocumentFormat? {
        let format = DocumentFormat(rawValue: binding.format)
        return served && format == .appConfigFeatureFlags ? .appConfigFeatureFlagsServed : format
    }

    /// What the inventory records as "last seen" for `key`: equal fingerprints mean the
    /// flag says the same thing (whitespace aside).
    func fingerprint(_ key: String) -> String? { SourceFingerprint.of(document, key, context: context) }

    /// Asked several times per push; parsing the URI normalises its path each time, so
    /// the answer is kept per URI and working directory.
    static func name(_ uri: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let key = cwd + "\u{0}" + uri
        if let known = namesLock.withLock({ names[key] }) { return known }
        let name: String
        if let u = try? SourceURI(parsing: uri, cwd: cwd) {
            if case .file(let path) = u { name = FileSource.display(path) } else { name = u.description }
        } else {
            name = uri
        }
        namesLock.withLock { if names.count < 1_024 { names[key] = name } }
        return name
    }

    private static let namesLock = NSLock()
    nonisolated(unsafe) private static var names: [String: String] = [:]
}

/// Binding options, by name.
public enum SourceOption {
    /// The application's own name for this environment (features_config `environments`).
    public static let appEnvironment = "app_environment"
    /// AppConfig: the strategy a kill deploys with.
    public static let killStrategy = "kill_strategy"
    /// AppConfig: the strategy every other change deploys with.
    public static let strategy = "strategy"
}

/// A flag's value in a document, reduced to what means something: the fragment's bytes
/// without insignificant whitespace. Comparing these tells a real change from a
/// reformatting, in one pass over the fragment and without building values.
/// AppConfig FeatureFlags flags are compared by what they serve (`enabled` and the
/// attribute values), which the hosted and the served forms both say.
enum SourceFingerprint {
    static func of(_ doc: FlagDocument, _ key: String, context: DocumentContext) -> String? {
        switch doc.format {
        case .appConfigFeatureFlags, .appConfigFeatureFlagsServed:
            guard doc.contains(key), let cell = try? doc.cell(key, context: context) else { return nil }
            return "{\"enabled\":\(cell.enabled),\"attributes\":\(cell.attributes ?? "{}")}"
        default:
            return doc.fragmentText(key).map(minified)
        }
    }

    /// Whether `key`'s fingerprint is `seen`, without building it: sync asks this of every
    /// flag of a changed document, and nearly every flag answers yes.
    static func matches(_ doc: FlagDocument, _ key: String, context: DocumentContext, seen: String?) -> Bool {
        switch doc.format {
        case .appConfigFeatureFlags, .appConfigFeatureFlagsServed:
            return of(doc, key, context: context) == seen
        default:
            guard let range = doc.flagMember(key, container: 0)?.member.value.range else { return seen == nil }
            guard var seen else { return false }
            return seen.withUTF8 { expected in
                var i = 0
                let whole = significantBytes(doc.bytes[range]) { c in
                    guard i < expected.count, expected[i] == c else { return false }
                    i += 1
                    return true
                }
                return whole && i == expected.count
            }
        }
    }

    static func minified(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        _ = significantBytes(text.utf8) { out.append($0); return true }
        return String(decoding: out, as: UTF8.self)
    }

    /// Hands `visit` each byte of JSON text that is not insignificant whitespace, until it
    /// returns false; true when every byte was visited.
    static func significantBytes(_ bytes: some Sequence<UInt8>, _ visit: (UInt8) -> Bool) -> Bool {
        var inString = false, escaped = false
        for c in bytes {
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
                guard visit(c) else { return false }
                continue
            }
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
            case UInt8(ascii: "\""): inString = true
            default: break
            }
            guard visit(c) else { return false }
        }
        return true
    }
}
