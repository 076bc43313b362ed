import FlagDeckCore

/// The documents the AppConfig tests seed, in both profile types.
public enum AppConfigDocs {
    /// Two Powertools flags: one on for everyone, one on for beta users only.
    public static let powertools = """
        {
          "checkout.new_flow": {"default": true},
          "search.beta": {
            "default": false,
            "rules": {"beta users": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "beta"}]}}
          }
        }
        """
    public static let contexts: [[String: String]] = [[:], ["tier": "beta"], ["tier": "free"]]

    public static let featureFlags = #"{"version":"1","flags":{"payments.instant":{"name":"payments.instant"},"payments.limit":{"name":"payments.limit","attributes":{"max":{"constraints":{"type":"number"}}}}},"values":{"payments.instant":{"enabled":true},"payments.limit":{"enabled":true,"max":5}}}"#

    /// The document with `key` killed, as the operations would write it.
    public static func killed(_ text: String, _ key: String, format: DocumentFormat = .powertools) throws -> [UInt8] {
        try FlagDocuments.parse(Array(text.utf8), format: format, file: "test").killing(key).bytes
    }
}
