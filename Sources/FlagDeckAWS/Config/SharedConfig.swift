import Foundation

/// One profile as the SDKs see it: the `[profile NAME]` (or `[default]`) section of the
/// config file with the `[NAME]` section of the credentials file laid over it (credentials
/// file wins, as in botocore's `full_config`). Each setting remembers its file, so errors
/// can say where a bad value came from.
public struct AWSProfile: Sendable, Hashable, CustomReflectable {
    public var name: String
    public var settings: [String: INIValue]
    /// For each setting, the file it came from.
    public var sources: [String: String]

    public func string(_ key: String) -> String? {
        guard let v = settings[key]?.string, !v.isEmpty else { return nil }
        return v
    }

    public func has(_ key: String) -> Bool { settings[key] != nil }

    func source(of key: String) -> String { sources[key] ?? "?" }

    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "settings": INIValue.redacted(settings), "sources": sources],
               displayStyle: .struct)
    }
}

/// Both shared files, parsed. Missing files are simply empty; unreadable or malformed
/// ones are errors naming the file (and line).
public struct SharedConfig: Sendable, Hashable {
    public var configFile: String
    public var credentialsFile: String
    var configProfiles: [String: INISection] = [:]
    var credentialProfiles: [String: INISection] = [:]
    var servicesSections: [String: INISection] = [:]

    public init(configFile: String, configText: String?, credentialsFile: String,
                credentialsText: String?) throws {
        self.configFile = configFile
        self.credentialsFile = credentialsFile
        if let configText {
            for section in try INIParser.parse(configText, file: configFile) {
                let name = section.name
                if name == "default" {
                    // `[default]` and `[profile default]` are the same profile; the later one wins.
                    configProfiles["default"] = section
                } else if name.hasPrefix("profile") {
                    let parts = Self.shellWords(name)
                    guard parts.count == 2, parts[0] == "profile" else { continue }
                    configProfiles[parts[1]] = section
                } else if name.hasPrefix("services") {
                    let parts = Self.shellWords(name)
                    guard parts.count == 2, parts[0] == "services" else { continue }
                    servicesSections[parts[1]] = section
                }
                // Other sections (`sso-session`, `plugins`, …) are not profiles.
            }
        }
        if let credentialsText {
            for section in try INIParser.parse(credentialsText, file: credentialsFile) {
                credentialProfiles[section.name] = section
            }
        }
    }

    /// Reads the files `environment` points at.
    public static func load(_ environment: AWSEnvironment) throws -> SharedConfig {
        let config = environment.configFilePath
        let creds = environment.credentialsFilePath
        return try SharedConfig(configFile: config, configText: try read(config), credentialsFile: creds,
                                credentialsText: try read(creds))
    }

    static func read(_ path: String) throws -> String? {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return nil }
        guard !isDir.boolValue, let data = fm.contents(atPath: path) else {
            throw AWSError.configUnreadable(file: path, reason: isDir.boolValue ? "it is a directory" : "permission denied or unreadable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AWSError.configUnreadable(file: path, reason: "not UTF-8 text")
        }
        return text
    }

    /// Every profile name in either file, sorted.
    public var profileNames: [String] { Array(Set(configProfiles.keys).union(credentialProfiles.keys)).sorted() }

    public func profile(_ name: String) -> AWSProfile? {
        let c = configProfiles[name], k = credentialProfiles[name]
        guard c != nil || k != nil else { return nil }
        var p = AWSProfile(name: name, settings: [:], sources: [:])
        for (key, v) in c?.values ?? [:] { p.settings[key] = v; p.sources[key] = configFile }
        for (key, v) in k?.values ?? [:] { p.settings[key] = v; p.sources[key] = credentialsFile }
        return p
    }

    /// Which file(s) hold the profile, for messages.
    func files(of name: String) -> [String] {
        (configProfiles[name] != nil ? [configFile] : []) + (credentialProfiles[name] != nil ? [credentialsFile] : [])
    }

    /// A keys-only view of one file's section, for rules that depend on which file a key
    /// is in (static keys in the credentials file come before `credential_process`, keys
    /// in the config file after it, as in botocore's provider order).
    func credentialsSection(_ name: String) -> [String: INIValue]? { credentialProfiles[name]?.values }
    func configSection(_ name: String) -> [String: INIValue]? { configProfiles[name]?.values }

    public func servicesSection(_ name: String) -> [String: INIValue]? { servicesSections[name]?.values }

    /// POSIX shell word splitting (Python's `shlex.split`), for section names like
    /// `[profile "my prod"]` and for `credential_process` command lines. Returns nil
    /// on an unterminated quote.
    static func shellWordsOrNil(_ s: String) -> [String]? {
        var words: [String] = []
        var cur = ""
        var inWord = false
        var it = Array(s)
        var i = 0
        while i < it.count {
            let c = it[i]
            switch c {
            case " ", "\t", "\n":
                if inWord { words.append(cur); cur = ""; inWord = false }
            case "'":
                inWord = true
                i += 1
                while i < it.count, it[i] != "'" { cur.append(it[i]); i += 1 }
                if i >= it.count { return nil }
            case "\"":
                inWord = true
                i += 1
                while i < it.count, it[i] != "\"" {
                    if it[i] == "\\", i + 1 < it.count, "\"\\$`\n".contains(it[i + 1]) { i += 1 }
                    cur.append(it[i])
                    i += 1
                }
                if i >= it.count { return nil }
            case "\\":
                inWord = true
                if i + 1 < it.count { i += 1; cur.append(it[i]) }
            default:
                inWord = true
                cur.append(c)
            }
            i += 1
        }
        if inWord { words.append(cur) }
        it.removeAll()
        return words
    }

    static func shellWords(_ s: String) -> [String] { shellWordsOrNil(s) ?? [] }
}
