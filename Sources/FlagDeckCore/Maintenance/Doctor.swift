import Foundation

/// `flagdeck doctor`: every check says plainly what is wrong and what to do about it, so
/// an on-call engineer can act on the output without reading code.
public enum Doctor {
    public enum Status: String, Sendable { case ok, warn, fail }

    public struct Finding: Sendable {
        public var check: String
        public var status: Status
        public var detail: String
        public var fix: String?
    }

    public static func examine(path: String) -> [Finding] {
        var out: [Finding] = []
        var st = stat()
        guard stat(path, &st) == 0 else {
            return [Finding(check: "file", status: .fail, detail: "\(path) does not exist",
                            fix: "create it with `flagdeck init --db \(path)` or pass the right --db")]
        }
        out.append(permissions(path: path, mode: st.st_mode & 0o777))
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: path)
            out.append(Finding(check: "schema", status: .ok, detail: "flagdeck schema version \(Schema.latestVersion)", fix: nil))
        } catch {
            out.append(Finding(check: "schema", status: .fail, detail: error.operatorText,
                               fix: "restore the newest good copy made with `flagdeck backup`, or use a flagdeck that supports this schema"))
            return out
        }
        do {
            let r = try AuditLog.verify(store)
            out.append(r.ok
                ? Finding(check: "audit chain", status: .ok, detail: "\(r.count) events, head \(r.head?.seq ?? 0) \(r.head?.hash ?? "")", fix: nil)
                : Finding(check: "audit chain", status: .fail, detail: r.problem!.description,
                          fix: "the log was changed outside flagdeck; compare with a backup and with recorded `audit head` hashes"))
        } catch {
            out.append(Finding(check: "audit chain", status: .fail, detail: "\(error)", fix: "restore from a backup"))
        }
        out += store.healthChecks().map {
            Finding(check: $0.check, status: Status(rawValue: $0.status.rawValue) ?? .fail, detail: $0.detail, fix: $0.fix)
        }
        out.append(cells(store: store))
        out.append(policy(store: store))
        return out
    }

    static func permissions(path: String, mode: mode_t) -> Finding {
        let octal = String(mode, radix: 8)
        if mode & 0o007 != 0 {
            return Finding(check: "permissions", status: .fail, detail: "mode \(octal): other accounts can read or write flags and the log",
                           fix: "chmod 600 \(path) (or 660 with a group policy)")
        }
        if mode & 0o222 == 0 {
            return Finding(check: "permissions", status: .warn, detail: "mode \(octal): read-only, changes will be refused",
                           fix: "chmod u+w \(path) if this copy should accept changes")
        }
        return Finding(check: "permissions", status: .ok, detail: "mode \(octal)", fix: nil)
    }

    /// A stored policy that does not decode refuses every change (fail closed); say so and how to fix it.
    static func policy(store: any FlagStore) -> Finding {
        do {
            let p = try store.read { AccessPolicy.decode(try $0.setting(AccessPolicy.settingKey)) }
            if let problem = p.problem {
                return Finding(check: "policy", status: .fail, detail: "\(problem); every change is refused",
                               fix: "an admin of the last recorded policy runs `flagdeck policy set --admin user:NAME ... --reason ...`")
            }
            return Finding(check: "policy", status: .ok,
                           detail: p.isOpen ? "open (no allow rules): anyone who can write the database may change flags"
                                            : "\(p.allow.count) allow rules, admins \(p.admins.joined(separator: ", "))")
        } catch {
            return Finding(check: "policy", status: .fail, detail: error.operatorText, fix: "restore from a backup")
        }
    }

    static func cells(store: any FlagStore) -> Finding {
        do {
            let (flags, envs, cells) = try store.read { r in (try r.flags().count, try r.environments().count, try r.states().count) }
            return cells == flags * envs
                ? Finding(check: "cells", status: .ok, detail: "\(flags) flags × \(envs) environments", fix: nil)
                : Finding(check: "cells", status: .fail, detail: "\(cells) cells for \(flags) flags × \(envs) environments",
                          fix: "cells were removed outside flagdeck; restore from a backup")
        } catch {
            return Finding(check: "cells", status: .fail, detail: "\(error)", fix: "restore from a backup")
        }
    }
}

extension Error {
    /// The operator-facing text for a typed error, else the raw error.
    var operatorText: String { (self as? FlagDeckError)?.description ?? "\(self)" }
}
