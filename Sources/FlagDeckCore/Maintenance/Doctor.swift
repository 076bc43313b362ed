import Foundation
import GRDB

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
            let result = try store.withDatabase { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            out.append(result == ["ok"]
                ? Finding(check: "integrity", status: .ok, detail: "PRAGMA integrity_check: ok", fix: nil)
                : Finding(check: "integrity", status: .fail, detail: result.prefix(5).joined(separator: "; "),
                          fix: "stop all writers and restore from a backup (`flagdeck backup` makes consistent copies)"))
        } catch {
            out.append(Finding(check: "integrity", status: .fail, detail: "\(error)", fix: "restore from a backup"))
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
        out.append(wal(store: store, path: path))
        out.append(cells(store: store))
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

    static func wal(store: SQLiteStore, path: String) -> Finding {
        do {
            let mode = try store.withDatabase { try String.fetchOne($0, sql: "PRAGMA journal_mode") } ?? "?"
            guard mode == "wal" || store.isReadOnly else {
                return Finding(check: "wal", status: .warn, detail: "journal mode is \(mode), expected wal",
                               fix: "open it once with a writable flagdeck command, which switches it to WAL")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            if size > 64 << 20 {
                return Finding(check: "wal", status: .warn, detail: "write-ahead log is \(size >> 20) MiB",
                               fix: "a long-running reader may be blocking checkpoints; close idle dashboards")
            }
            return Finding(check: "wal", status: .ok, detail: "journal mode \(mode), wal file \(size) bytes", fix: nil)
        } catch {
            return Finding(check: "wal", status: .fail, detail: "\(error)", fix: "check the directory is writable")
        }
    }

    static func cells(store: SQLiteStore) -> Finding {
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
