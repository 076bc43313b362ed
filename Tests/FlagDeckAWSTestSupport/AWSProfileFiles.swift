import FlagDeckTestSupport
import Foundation

/// Shared config and credentials files of a test's own (no `~/.aws`, no AWS_* from the
/// machine), one named profile per account. With AUTH=false a 12-digit access key is the
/// account, so every test gets accounts no other test uses.
public struct AWSProfileFiles {
    /// Profile name → account id (the access key).
    public let ids: [String: String]
    public let config: String
    public let credentials: String

    /// `keys`: profile → (access key, secret) for an AUTH=true emulator's IAM users.
    public init(_ profiles: [String], in directory: String, region: String, keys: [String: (String, String)] = [:],
                extraConfig: String = "", extraCredentials: String = "") {
        var ids: [String: String] = [:]
        var config = "", credentials = ""
        for p in profiles {
            let (key, secret) = keys[p] ?? (Ministack.freshAccount(), "test")
            ids[p] = key
            config += "[profile \(p)]\nregion = \(region)\n\n"
            credentials += "[\(p)]\naws_access_key_id = \(key)\naws_secret_access_key = \(secret)\n\n"
        }
        self.ids = ids
        self.config = directory + "/config"
        self.credentials = directory + "/credentials"
        _ = FileManager.default.createFile(atPath: self.config, contents: Data((config + extraConfig).utf8))
        _ = FileManager.default.createFile(atPath: self.credentials, contents: Data((credentials + extraCredentials).utf8))
    }
}
