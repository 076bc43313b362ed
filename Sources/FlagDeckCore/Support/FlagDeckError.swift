import Foundation

/// Every failure an operator can meet, worded for them: what went wrong, where, and
/// what to do next. The CLI maps `exitCode`; the dashboard shows `description`.
public enum FlagDeckError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidFlagKey(String)
    case invalidFlagType(String)
    case invalidEnvironmentName(String)
    case invalidPercent(String)
    case invalidDate(String)
    case invalidJSON(field: String, detail: String)
    case unknownFlag(String)
    case unknownEnvironment(String, known: [String])
    case ambiguousEnvironment(String, matches: [String])
    case duplicateFlag(String)
    case duplicateEnvironment(String)
    case dependencyCycle([String])
    case unknownDependency(flag: String, dependsOn: String)
    case reasonRequired(action: String, env: String?)
    case flagIsKilled(flag: String, env: String)
    /// The change is already in place; nothing was written. Not a failure: the CLI
    /// prints it and exits 0, so scripts that converge a state can re-run.
    case nothingToDo(String)
    /// An argument that names nothing usable (an unknown override id, generator sizes).
    case invalidArgument(String)
    /// A setting value that does not parse or is out of range; names the key and the value.
    case invalidSetting(key: String, value: String, expected: String)
    case unknownSetting(String, known: [String])
    /// A review mark that cannot be recorded as asked (for example an "until" in the past).
    case invalidReviewMark(String)
    case conflict(Conflict)
    case databaseMissing(path: String)
    case notAFlagdeckDatabase(path: String, detail: String)
    case newerSchema(path: String, found: Int, supported: Int)
    case olderSchemaReadOnly(path: String, found: Int, supported: Int)
    case readOnlyDatabase(path: String)
    case databaseBusy(path: String)
    case databaseCorrupt(path: String, detail: String)
    case storage(String)
    case confirmationRefused(String)
    case internalInvariant(String)
    case invalidPolicy(String)
    /// The stored policy does not decode: every change is refused until it is replaced.
    case policyUnreadable(String)
    case denied(operator: String, action: String, target: String, allowed: [String])

    /// A stale write: someone else changed the cell (or flag) after it was read.
    public struct Conflict: Equatable, Sendable {
        public var subject: String
        public var expectedVersion: Int64
        public var currentVersion: Int64
        public var changedBy: String
        public var changedAt: String
        public var lastAction: String?
        public var now: String

        public init(subject: String, expectedVersion: Int64, currentVersion: Int64, changedBy: String,
                    changedAt: String, lastAction: String?, now: String) {
            self.subject = subject
            self.expectedVersion = expectedVersion
            self.currentVersion = currentVersion
            self.changedBy = changedBy
            self.changedAt = changedAt
            self.lastAction = lastAction
            self.now = now
        }
    }

    /// 0 ok (nothing to do), 1 operation failed, 2 conflict; usage errors use ArgumentParser's own code.
    public var exitCode: Int32 {
        switch self {
        case .nothingToDo: 0
        case .conflict: 2
        default: 1
        }
    }

    public var description: String {
        switch self {
        case .invalidFlagKey(let k):
            "invalid flag key \"\(k)\": use 1-\(FlagKey.maxLength) letters, digits, '_', '.' or '-'"
        case .invalidFlagType(let t):
            "invalid flag type \"\(t)\": expected one of \(FlagType.allCases.map(\.rawValue).joined(separator: ", "))"
        case .invalidEnvironmentName(let e):
            "invalid environment \"\(e)\": expected ACCOUNT/ENV using letters, digits, '_', '.' or '-'"
        case .invalidPercent(let p):
            "invalid percentage \"\(p)\": expected a number from 0 to 100 with at most two decimals"
        case .invalidDate(let d):
            "invalid date \"\(d)\": expected YYYY-MM-DD or an ISO 8601 time such as 2026-11-21T09:30:00Z"
        case .invalidJSON(let field, let detail):
            "invalid JSON in \(field): \(detail)"
        case .unknownFlag(let k):
            "unknown flag \"\(k)\" (see `flagdeck list`)"
        case .unknownEnvironment(let e, let known):
            "unknown environment \"\(e)\"" + (known.isEmpty ? "; there are no environments yet (`flagdeck env add ACCOUNT/ENV`)" : "; known: \(known.joined(separator: ", "))")
        case .ambiguousEnvironment(let e, let matches):
            "environment \"\(e)\" is ambiguous; it matches \(matches.joined(separator: ", ")). Write ACCOUNT/ENV"
        case .duplicateFlag(let k): "flag \"\(k)\" already exists"
        case .duplicateEnvironment(let e): "environment \"\(e)\" already exists"
        case .dependencyCycle(let path): "dependency cycle: \(path.joined(separator: " -> "))"
        case .unknownDependency(let f, let d): "flag \"\(f)\" depends on unknown flag \"\(d)\""
        case .reasonRequired(let action, let env):
            if let env { "a reason is required to \(action) in \(env) (use --reason)" }
            else { "a reason is required to \(action) (use --reason)" }
        case .flagIsKilled(let f, let e): "\(f) is killed in \(e); unkill it first (`flagdeck unkill \(f) --env \(e) --reason ...`)"
        case .nothingToDo(let s): s
        case .invalidArgument(let s): s
        case .invalidSetting(let k, let v, let expected):
            "invalid value \"\(v)\" for setting \(k): expected \(expected)"
        case .unknownSetting(let k, let known):
            "unknown setting \"\(k)\"; known: \(known.joined(separator: ", "))"
        case .invalidReviewMark(let s): "cannot record review mark: \(s)"
        case .conflict(let c):
            "conflict: \(c.subject) was changed by \(c.changedBy) at \(c.changedAt)"
                + (c.lastAction.map { " (\($0))" } ?? "")
                + "; you read version \(c.expectedVersion), it is now version \(c.currentVersion): \(c.now). Nothing was written; reload and retry"
        case .databaseMissing(let p): "no flagdeck database at \(p); create one with `flagdeck init --db \(p)`"
        case .notAFlagdeckDatabase(let p, let d): "\(p) is not a flagdeck database (\(d)); refusing to touch it"
        case .newerSchema(let p, let found, let supported):
            "\(p) uses schema version \(found), but this flagdeck supports up to \(supported); upgrade flagdeck"
        case .olderSchemaReadOnly(let p, let found, let supported):
            "\(p) uses schema version \(found) and needs migrating to \(supported), but it is read-only"
        case .readOnlyDatabase(let p):
            "\(p) is read-only (file permissions); nothing was written. Ask its owner, or use a writable copy"
        case .databaseBusy(let p): "\(p) is locked by another writer and stayed busy; nothing was written, try again"
        case .databaseCorrupt(let p, let d): "\(p) is damaged: \(d). Run `flagdeck doctor --db \(p)` and restore from a backup"
        case .storage(let s): "storage error: \(s)"
        case .confirmationRefused(let s): s
        case .internalInvariant(let s): "internal error: \(s)"
        case .invalidPolicy(let s): "invalid access policy: \(s)"
        case .policyUnreadable(let s):
            "\(s), so every change is refused (an unreadable policy must not allow everything). Reads still work. "
                + "Fix: an admin of the last recorded policy replaces it with `flagdeck policy set --admin user:NAME ... --reason ...`"
        case .denied(let op, let action, let target, let allowed):
            "\(op) may not \(action) in \(target): the access policy allows "
                + (allowed.isEmpty ? "nobody" : allowed.joined(separator: ", "))
                + " there. The attempt was recorded in the audit log; ask a policy admin (`flagdeck policy show`)"
        }
    }
}
