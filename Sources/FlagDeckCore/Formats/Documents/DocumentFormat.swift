/// The documents applications really read, which flagdeck can bind an environment to.
public enum DocumentFormat: String, Sendable, CaseIterable {
    /// Powertools feature flags JSON (a file, or the same JSON in an AppConfig freeform profile).
    case powertools
    /// The `features_config.json` that seed 003's `FeatureManager` reads.
    case featuresConfig = "features-config"
    /// flagd flag definitions (https://flagd.dev/reference/flag-definitions/).
    case flagd
    /// An `AWS.AppConfig.FeatureFlags` hosted document: `{"version", "flags", "values"}`.
    case appConfigFeatureFlags = "appconfig-feature-flags"
    /// What AppConfigData serves for such a profile: `{KEY: {"enabled", ATTR…}}`. Read-only:
    /// it is what was deployed, not something AppConfig accepts back.
    case appConfigFeatureFlagsServed = "appconfig-feature-flags-served"

    /// Where the flags live in the document (`[]`: the root object's members).
    var containers: [[String]] {
        switch self {
        case .powertools, .featuresConfig, .appConfigFeatureFlagsServed: [[]]
        case .flagd: [["flags"]]
        case .appConfigFeatureFlags: [["flags"], ["values"]]
        }
    }
}

extension FlagDocuments {
    /// The format a document's content says it is, or nil when it is unknown or could be
    /// more than one (see `detectFormat` for the reason).
    public static func detect(_ bytes: [UInt8]) -> DocumentFormat? {
        try? detectFormat(bytes, file: "<input>")
    }

    /// The format a document's content says it is; an unparsable, unknown or ambiguous
    /// document is an error naming the file and why.
    public static func detectFormat(_ bytes: [UInt8], file: String) throws(FormatError) -> DocumentFormat {
        let spans: JSONSpan
        do { spans = try JSONParser.validateWithSpans(bytes, spanDepth: 3) } catch { throw error.inFile(file) }
        return try detectFormat(bytes, spans: spans, file: file)
    }

    /// Detection from spans (three levels recorded) and a few small values, so that a big
    /// document is never materialised to be recognised.
    static func detectFormat(_ b: [UInt8], spans root: JSONSpan, file: String) throws(FormatError) -> DocumentFormat {
        let at = FormatLocation(file: file, path: "$")
        func first(_ s: JSONSpan) -> UInt8 { b[s.start] }
        func isObject(_ s: JSONSpan?) -> Bool { s.map { first($0) == UInt8(ascii: "{") } ?? false }
        func string(_ s: JSONSpan?) -> String? {
            guard let s, first(s) == UInt8(ascii: "\"") else { return nil }
            return (try? JSONParser.parse(Array(b[s.range])))?.stringValue
        }
        func isBool(_ s: JSONSpan?) -> Bool { s.map { first($0) == UInt8(ascii: "t") || first($0) == UInt8(ascii: "f") } ?? false }
        guard isObject(root), let members = root.members else {
            let name = FlagDocument.typeName(b, root)
            throw .schema(at, "the document is \(name == "array" ? "an array" : "a \(name)"), not an object of flags; flagdeck reads Powertools, features_config.json, flagd and AWS.AppConfig.FeatureFlags documents")
        }
        guard !members.isEmpty else {
            throw .schema(at, "the document is an empty object, which every format allows; name its format (powertools, features-config, flagd, appconfig-feature-flags)")
        }
        let keys = members.map(\.key)
        var found: [DocumentFormat] = []
        let flags = root.member("flags")?.value
        if isObject(flags), keys.allSatisfy(flagdRootKeys.contains) {
            if let s = string(root.member("$schema")?.value), s.contains("flagd") { found.append(.flagd) }
            else if let fs = flags?.members, !fs.isEmpty,
                    fs.allSatisfy({ isObject($0.value) && $0.value.member("variants") != nil && $0.value.member("state") != nil }) {
                found.append(.flagd)
            }
        }
        if string(root.member("version")?.value) != nil, keys.allSatisfy(appConfigRootKeys.contains),
           isObject(flags) || isObject(root.member("values")?.value) {
            found.append(.appConfigFeatureFlags)
        }
        let features = members.map(\.value)
        if features.allSatisfy({ isObject($0) && $0.member("default") != nil }) { found.append(.powertools) }
        if features.allSatisfy({ isObject($0) && $0.member("active") != nil }) { found.append(.featuresConfig) }
        if features.allSatisfy({ f in
            isObject(f) && isBool(f.member("enabled")?.value) && f.member("default") == nil && f.member("active") == nil && f.member("state") == nil
        }) { found.append(.appConfigFeatureFlagsServed) }
        if found.count == 1 { return found[0] }
        if found.isEmpty {
            throw .schema(at, "not a flag document flagdeck knows: expected Powertools features (each with \"default\"), features_config.json features (each with \"active\"), flagd (\"flags\" with \"state\" and \"variants\"), or AWS.AppConfig.FeatureFlags (\"version\" with \"flags\"/\"values\", or the served form where every flag has \"enabled\")")
        }
        throw .schema(at, "the document could be \(found.map(\.rawValue).joined(separator: " or ")); name its format explicitly")
    }

    static let flagdRootKeys: Set<String> = ["$schema", "flags", "$evaluators", "metadata"]
    static let appConfigRootKeys: Set<String> = ["version", "flags", "values"]
}
