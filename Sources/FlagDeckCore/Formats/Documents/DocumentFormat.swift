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
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw error.inFile(file) }
        return try detectFormat(root, file: file)
    }

    static func detectFormat(_ root: JSONValue, file: String) throws(FormatError) -> DocumentFormat {
        let at = FormatLocation(file: file, path: "$")
        guard case .object(let r) = root else {
            throw .schema(at, "the document is \(root.typeName == "array" ? "an array" : "a \(root.typeName)"), not an object of flags; flagdeck reads Powertools, features_config.json, flagd and AWS.AppConfig.FeatureFlags documents")
        }
        guard !r.isEmpty else {
            throw .schema(at, "the document is an empty object, which every format allows; name its format (powertools, features-config, flagd, appconfig-feature-flags)")
        }
        var found: [DocumentFormat] = []
        if isFlagd(r) { found.append(.flagd) }
        if isAppConfigHosted(r) { found.append(.appConfigFeatureFlags) }
        let features = r.members.map(\.value)
        if features.allSatisfy({ $0.objectValue?["default"] != nil }) { found.append(.powertools) }
        if features.allSatisfy({ $0.objectValue?["active"] != nil }) { found.append(.featuresConfig) }
        if features.allSatisfy({ f in
            guard let o = f.objectValue, o["enabled"]?.boolValue != nil else { return false }
            return o["default"] == nil && o["active"] == nil && o["state"] == nil
        }) { found.append(.appConfigFeatureFlagsServed) }
        if found.count == 1 { return found[0] }
        if found.isEmpty {
            throw .schema(at, "not a flag document flagdeck knows: expected Powertools features (each with \"default\"), features_config.json features (each with \"active\"), flagd (\"flags\" with \"state\" and \"variants\"), or AWS.AppConfig.FeatureFlags (\"version\" with \"flags\"/\"values\", or the served form where every flag has \"enabled\")")
        }
        throw .schema(at, "the document could be \(found.map(\.rawValue).joined(separator: " or ")); name its format explicitly")
    }

    static let flagdRootKeys: Set<String> = ["$schema", "flags", "$evaluators", "metadata"]
    static let appConfigRootKeys: Set<String> = ["version", "flags", "values"]

    static func isFlagd(_ r: JSONObject) -> Bool {
        guard case .object(let flags)? = r["flags"], r.keys.allSatisfy(flagdRootKeys.contains) else { return false }
        if let s = r["$schema"]?.stringValue, s.contains("flagd") { return true }
        return !flags.isEmpty && flags.members.allSatisfy { $0.value.objectValue?["variants"] != nil && $0.value.objectValue?["state"] != nil }
    }

    static func isAppConfigHosted(_ r: JSONObject) -> Bool {
        guard r["version"]?.stringValue != nil, r.keys.allSatisfy(appConfigRootKeys.contains) else { return false }
        return r["flags"]?.objectValue != nil || r["values"]?.objectValue != nil
    }
}
