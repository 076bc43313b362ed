import Foundation

/// Where a binding points, parsed by scheme so each kind of place gets its own driver:
///
/// - `file:PATH` — a document on disk (relative paths are made absolute at `source add`).
/// - `appconfig://PROFILE@REGION/APPLICATION/ENVIRONMENT/CONFIGURATION-PROFILE` — an AWS
///   AppConfig configuration profile; names or ids; `PROFILE@` and `@REGION` optional
///   (the default credentials chain and region apply).
/// - `dynamodb://PROFILE@REGION/TABLE?key=job_id&attribute=is_feature_enabled&flag=FLAG[&default=true]`
///   — one boolean attribute of every item of a table, as per-item overrides of one flag.
public enum SourceURI: Hashable, Sendable, CustomStringConvertible {
    case file(path: String)
    case appConfig(AppConfigLocation)
    case dynamoDB(DynamoDBLocation)

    public struct AppConfigLocation: Hashable, Sendable {
        public var profile: String?
        public var region: String?
        public var application: String
        public var environment: String
        public var configurationProfile: String

        public init(profile: String?, region: String?, application: String, environment: String, configurationProfile: String) {
            self.profile = profile
            self.region = region
            self.application = application
            self.environment = environment
            self.configurationProfile = configurationProfile
        }
    }

    public struct DynamoDBLocation: Hashable, Sendable {
        public var profile: String?
        public var region: String?
        public var table: String
        /// The table's partition key (`job_id` in the per-job seed).
        public var key: String
        /// The boolean attribute holding the flag's value per item.
        public var attribute: String
        /// The flagdeck flag this attribute is.
        public var flag: String
        /// What a missing attribute means; the seed's code reads `.get(attr, False)`.
        public var defaultValue: Bool

        public init(profile: String?, region: String?, table: String, key: String, attribute: String, flag: String,
                    defaultValue: Bool = false) {
            self.profile = profile
            self.region = region
            self.table = table
            self.key = key
            self.attribute = attribute
            self.flag = flag
            self.defaultValue = defaultValue
        }
    }

    /// The scheme, lowercased, without parsing the rest (a `file:` path is normalised
    /// against the working directory, which a caller that only asks "which kind?" need
    /// not pay for).
    public static func scheme(of text: String) -> String? {
        text.firstIndex(of: ":").map { text[..<$0].lowercased() }
    }

    /// Parses what an operator typed. `cwd` makes a relative `file:` path absolute, so a
    /// binding means the same file from any directory.
    public init(parsing text: String, cwd: String = FileManager.default.currentDirectoryPath) throws(SourceError) {
        guard let scheme = Self.scheme(of: text), let colon = text.firstIndex(of: ":") else {
            throw .badURI(text, "expected SCHEME:…, e.g. file:flags/prod.json, appconfig://profile@region/app/env/profile or dynamodb://profile@region/table?key=…&attribute=…&flag=…")
        }
        let rest = String(text[text.index(after: colon)...])
        switch scheme {
        case "file":
            var path = rest.hasPrefix("//") ? String(rest.dropFirst(2)) : rest
            guard !path.isEmpty else { throw .badURI(text, "file: needs a path") }
            if !path.hasPrefix("/") { path = (cwd as NSString).appendingPathComponent(path) }
            self = .file(path: Self.normalized(path))
        case "appconfig":
            let (profile, region, parts, query) = try Self.split(text, rest)
            guard query.isEmpty else { throw .badURI(text, "appconfig URIs take no query") }
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
                throw .badURI(text, "expected appconfig://PROFILE@REGION/APPLICATION/ENVIRONMENT/CONFIGURATION-PROFILE")
            }
            self = .appConfig(AppConfigLocation(profile: profile, region: region, application: parts[0], environment: parts[1],
                                                configurationProfile: parts[2]))
        case "dynamodb":
            let (profile, region, parts, query) = try Self.split(text, rest)
            guard parts.count == 1, !parts[0].isEmpty else { throw .badURI(text, "expected dynamodb://PROFILE@REGION/TABLE?…") }
            var q = query
            func take(_ name: String) throws(SourceError) -> String {
                guard let v = q.removeValue(forKey: name), !v.isEmpty else {
                    throw .badURI(text, "missing \(name)= (dynamodb URIs need key=, attribute= and flag=)")
                }
                return v
            }
            let key = try take("key"), attribute = try take("attribute"), flag = try take("flag")
            var def = false
            if let d = q.removeValue(forKey: "default") {
                guard d == "true" || d == "false" else { throw .badURI(text, "default= must be true or false, not \(d)") }
                def = d == "true"
            }
            if let unknown = q.keys.sorted().first { throw .badURI(text, "unknown parameter \(unknown)=") }
            self = .dynamoDB(DynamoDBLocation(profile: profile, region: region, table: parts[0], key: key, attribute: attribute,
                                              flag: flag, defaultValue: def))
        default:
            throw .badURI(text, "unknown scheme \(scheme): (known: file:, appconfig://, dynamodb://)")
        }
    }

    /// `.` and `..` and doubled slashes removed, symlinks NOT resolved: a binding names the
    /// path the operator gave, and `source add` checks where it really leads.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for c in path.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == ".." { _ = parts.popLast(); continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `//PROFILE@REGION/a/b?x=y` → profile, region, path parts, query.
    private static func split(_ text: String, _ rest: String) throws(SourceError)
        -> (String?, String?, [String], [String: String]) {
        guard rest.hasPrefix("//") else { throw .badURI(text, "expected // after the scheme") }
        var body = String(rest.dropFirst(2))
        var query: [String: String] = [:]
        if let q = body.firstIndex(of: "?") {
            for pair in body[body.index(after: q)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let k = String(kv[0]).removingPercentEncoding ?? String(kv[0])
                let v = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
                guard query[k] == nil else { throw .badURI(text, "\(k)= given twice") }
                query[k] = v
            }
            body = String(body[..<q])
        }
        var parts = body.split(separator: "/", omittingEmptySubsequences: false).map { $0.removingPercentEncoding ?? String($0) }
        let authority = parts.isEmpty ? "" : parts.removeFirst()
        var profile: String?, region: String?
        if let at = authority.firstIndex(of: "@") {
            profile = String(authority[..<at])
            region = String(authority[authority.index(after: at)...])
        } else {
            profile = authority
        }
        if profile?.isEmpty == true { profile = nil }
        if region?.isEmpty == true { region = nil }
        return (profile, region, parts, query)
    }

    /// The stored, canonical spelling.
    public var description: String {
        func authority(_ p: String?, _ r: String?) -> String { (p ?? "") + (r.map { "@" + $0 } ?? "") }
        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "&", "="])) ?? s }
        switch self {
        case .file(let path): return "file:" + path
        case .appConfig(let a):
            return "appconfig://\(authority(a.profile, a.region))/\(enc(a.application))/\(enc(a.environment))/\(enc(a.configurationProfile))"
        case .dynamoDB(let d):
            return "dynamodb://\(authority(d.profile, d.region))/\(enc(d.table))?key=\(enc(d.key))&attribute=\(enc(d.attribute))"
                + "&flag=\(enc(d.flag))" + (d.defaultValue ? "&default=true" : "")
        }
    }
}
