import Foundation

/// Who is making a change. The CLI and dashboard always use `current()`, which reads the
/// OS account of the effective uid: an environment variable must never be able to
/// impersonate someone in the audit log.
public struct Actor: Hashable, Sendable {
    public var name: String
    public var host: String
    /// OS groups, for `group:` rules in the access policy.
    public var groups: [String]

    public init(name: String, host: String, groups: [String] = []) {
        self.name = name
        self.host = host
        self.groups = groups
    }

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
