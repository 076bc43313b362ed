import Foundation

/// Who may change which environments. Stored in the database (setting `policy`), so it
/// travels with the inventory and every change to it is audited like any other.
///
/// Semantics: with no `allow` rules the inventory is open — anyone who can write the file
/// may change any environment (file access is the trust boundary). Once any rule exists,
/// a change to `ACCOUNT/ENV` needs a rule whose principal matches the operator and whose
/// glob matches the environment. Only `admins` may change the policy itself.
///
/// A stored policy that cannot be read fails closed: `problem` is set and every change is
/// refused, because an empty policy would allow everything.
public struct AccessPolicy: Equatable, Sendable {
    public struct Rule: Equatable, Sendable {
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
    /// Why the stored policy could not be read; nil for a readable one.
    public var problem: String?

    public init(admins: [String] = [], allow: [Rule] = []) {
        self.admins = admins
        self.allow = allow
    }

    public static let settingKey = "policy"

    public var isOpen: Bool { problem == nil && allow.isEmpty }

    public func mayChange(_ env: EnvironmentID, as actor: Actor) -> Bool {
        guard problem == nil else { return false }
        return isOpen || allow.contains { Self.matches($0.principal, actor) && fnmatch($0.envs, env.path, 0) == 0 }
    }

    /// May change at least one environment (for flag metadata, which spans environments).
    public func mayChangeSomething(as actor: Actor) -> Bool {
        guard problem == nil else { return false }
        return isOpen || allow.contains { Self.matches($0.principal, actor) }
    }

    public func mayAdminister(as actor: Actor) -> Bool {
        problem == nil && admins.contains { Self.matches($0, actor) }
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
        JSONWriter.compact(.object(JSONObject([
            ("admins", .array(admins.map { .string($0) })),
            ("allow", .array(allow.map { .object(JSONObject([("principal", .string($0.principal)), ("envs", .string($0.envs))])) })),
        ])))
    }

    /// Fast path for the common case, checked on every mutation without decoding: the
    /// stored text is always written by `json`, whose open form ends with an empty list.
    static func isOpen(_ text: String?) -> Bool {
        guard let text else { return true }
        return text.hasSuffix("\"allow\":[]}") && DecodedPolicy.parse(text) != nil
    }

    /// The stored policy, or a closed one naming what is wrong. Never throws and never
    /// returns an open policy for text it cannot read.
    public static func decode(_ text: String?) -> AccessPolicy {
        guard let text else { return AccessPolicy() }
        if let p = DecodedPolicy.parse(text) { return p }
        var closed = AccessPolicy()
        closed.problem = "the stored access policy is not valid policy JSON (\(text.prefix(80)))"
        return closed
    }

    /// The stored policy for an enforcement decision: one that cannot be read refuses the
    /// change with the problem and the fix.
    static func load(_ text: String?) throws(FlagDeckError) -> AccessPolicy {
        let p = decode(text)
        if let problem = p.problem { throw .policyUnreadable(problem) }
        return p
    }

    static func parse(_ text: String) -> AccessPolicy? {
        guard case .object(let o)? = try? JSONParser.parse(text),
              case .array(let admins)? = o["admins"], case .array(let allow)? = o["allow"],
              o.members.count == 2 else { return nil }
        var p = AccessPolicy()
        for a in admins {
            guard let s = a.stringValue else { return nil }
            p.admins.append(s)
        }
        for r in allow {
            guard case .object(let m) = r, m.members.count == 2,
                  let principal = m["principal"]?.stringValue, let envs = m["envs"]?.stringValue else { return nil }
            p.allow.append(Rule(principal: principal, envs: envs))
        }
        return p
    }
}
