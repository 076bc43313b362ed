import Foundation

/// Who is making a change. The CLI and dashboard always use `current()`, which reads the
/// OS account of the effective uid: an environment variable must never be able to
/// impersonate someone in the audit log.
public struct Actor: Hashable, Sendable {
    public var name: String
    public var host: String

    public init(name: String, host: String) {
        self.name = name
        self.host = host
    }

    public static func current() -> Actor {
        Actor(name: osAccountName(), host: hostName())
    }

    public static func osAccountName() -> String {
        let uid = geteuid()
        if let pw = getpwuid(uid), let n = pw.pointee.pw_name { return String(cString: n) }
        return "uid:\(uid)"
    }

    public static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "unknown-host" }
        return String(cString: buf)
    }
}
