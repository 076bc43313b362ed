import Foundation

/// Who is making a change. The CLI and dashboard always use `current()`, which reads the
/// OS account of the effective uid: an environment variable must never be able to
/// impersonate someone in the audit log.
public struct Actor: Hashable, Sendable {
    public var name: String
    public var host: String
    /// OS groups, for `group:` rules in the access policy.
    public var groups: [String]
    /// The role a PostgreSQL server authenticated (team mode), matched by `role:` rules.
    /// nil on SQLite, where the OS account is the identity.
    public var role: String?

    public init(name: String, host: String, groups: [String] = [], role: String? = nil) {
        self.name = name
        self.host = host
        self.groups = groups
        self.role = role
    }

    /// Team mode's actor: the server-authenticated role is the operator recorded and
    /// policed; the client's OS account and host are kept as context in `host`
    /// (`alice@laptop`), inside the hashed event, because the server never verified them.
    /// No OS groups: `user:` and `group:` rules name OS accounts, which a client can claim
    /// to be anything, so in team mode only `role:` (and `*`) rules match.
    public static func team(role: String, client: Actor) -> Actor {
        Actor(name: role, host: "\(client.name)@\(client.host)", groups: [], role: role)
    }

    /// The principal that names this actor in a policy: `role:NAME` in team mode, else `user:NAME`.
    public var principal: String { role.map { "role:\($0)" } ?? "user:\(name)" }

    public static func current() -> Actor {
        let name = osAccountName()
        return Actor(name: name, host: hostName(), groups: osGroups(of: name))
    }

    /// Group names of an OS account, primary group included.
    public static func osGroups(of user: String) -> [String] {
        guard let pw = getpwnam(user) else { return [] }
        let primary = pw.pointee.pw_gid
        var count: Int32 = 64
        var ids = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(user, primary, &ids, &count) == -1 {
            ids = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(user, primary, &ids, &count)
        }
        return ids.prefix(Int(max(0, count))).compactMap { gid in
            getgrgid(gid).flatMap { $0.pointee.gr_name.map { String(cString: $0) } }
        }
    }

    public static func osAccountName() -> String {
        let uid = geteuid()
        if let pw = getpwuid(uid), let n = pw.pointee.pw_name { return String(cString: n) }
        return "uid:\(uid)"
    }

    public static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "unknown-host" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
