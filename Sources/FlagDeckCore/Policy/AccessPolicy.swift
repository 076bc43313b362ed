import Foundation

/// Who may change which environments. Stored in the database (setting `policy`), so it
/// travels with the inventory and every change to it is audited like any other.
///
/// Semantics: with no `allow` rules the inventory is open — anyone who can write the file
/// may change any environment (file access is the trust boundary). Once any rule exists,
/// a change to `ACCOUNT/ENV` needs a rule whose principal matches the operator and whose
/// glob matches the environment. Only `admins` may change the policy itself.
public struct AccessPolicy: Codable, Equatable, Sendable {
    public struct Rule: Codable, Equatable, Sendable {
        /// `user:NAME`, `group:NAME` (OS accounts, SQLite), `role:NAME` (PostgreSQL roles) or `*`.
        public var principal: String
        /// fnmatch glob over `ACCOUNT/ENV`, e.g. `payments-prod/*`.
        public var envs: String

        public init(principal: String, envs: String) {
            self.principal = principal
            self.envs = envs
        }
    }

    public var admins: [String]
    public var allow: [Rule]

    public init(admins: [String] = [], allow: [Rule] = []) {
        self.admins = admins
        self.allow = allow
    }

    public static let settingKey = "policy"

    public var isOpen: Bool { allow.isEmpty }

    public func mayChange(_ env: EnvironmentID, as actor: Actor) -> Bool {
        isOpen || allow.contains { Self.matches($0.principal, actor) && fnmatch($0.envs, env.path, 0) == 0 }
    }

    /// May change at least one environment (for flag metadata, which spans environments).
    public func mayChangeSomething(as actor: Actor) -> Bool {
        isOpen || allow.contains { Self.matches($0.principal, actor) }
    }

    public func mayAdminister(as actor: Actor) -> Bool {
        admins.contains { Self.matches($0, actor) }
    }

    public func whoMayChange(_ env: EnvironmentID) -> [String] {
        allow.filter { fnmatch($0.envs, env.path, 0) == 0 }.map(\.principal)
    }

    static func matches(_ principal: String, _ actor: Actor) -> Bool {
        if principal == "*" { return true }
        if principal.hasPrefix("role:") { return actor.role.map { principal.dropFirst(5) == $0 } ?? false }
        // An OS account is only an identity where nothing authenticates a role (SQLite).
        if actor.role != nil { return false }
        if principal.hasPrefix("user:") { return principal.dropFirst(5) == actor.name }
        if principal.hasPrefix("group:") { return actor.groups.contains(String(principal.dropFirst(6))) }
        return false
    }

    public static func validatePrincipal(_ p: String) throws(FlagDeckError) {
        let ok = p == "*" || ((p.hasPrefix("user:") || p.hasPrefix("group:") || p.hasPrefix("role:")) && !p.hasSuffix(":"))
        guard ok else { throw .invalidPolicy("principal \"\(p)\": expected user:NAME, group:NAME, role:NAME or *") }
    }

    public var hasGroupRules: Bool {
        allow.contains { $0.principal.hasPrefix("group:") } || admins.contains { $0.hasPrefix("group:") }
    }

    /// Deterministic JSON (it is hashed into the audit log).
    public var json: String {
        let admins = self.admins.map(JSONText.quote).joined(separator: ",")
        let rules = allow.map { "{\"principal\":\(JSONText.quote($0.principal)),\"envs\":\(JSONText.quote($0.envs))}" }
            .joined(separator: ",")
        return "{\"admins\":[\(admins)],\"allow\":[\(rules)]}"
    }

    /// Fast path for the common case, checked on every mutation without decoding: the
    /// stored text is always written by `json`, whose open form ends with an empty list.
    static func isOpen(_ text: String?) -> Bool {
        guard let text else { return true }
        return text.hasSuffix("\"allow\":[]}")
    }

    public static func decode(_ text: String?) -> AccessPolicy {
        guard let text, let p = try? JSONDecoder().decode(AccessPolicy.self, from: Data(text.utf8)) else { return AccessPolicy() }
        return p
    }
}
