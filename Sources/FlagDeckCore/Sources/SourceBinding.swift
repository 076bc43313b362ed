import Foundation

/// Where one environment's flags really live: a document (a file, an AppConfig
/// configuration profile) or a table (DynamoDB), bound to a flagdeck environment. The
/// inventory mirrors it (sync) and every change to a bound cell is written to it (push).
public struct SourceBinding: Sendable, Hashable {
    /// Assigned by the store.
    public var id: Int64
    public var env: EnvironmentID
    /// Canonical URI (`file:/abs/path`, `appconfig://…`, `dynamodb://…`), see `SourceURI`.
    public var uri: String
    /// `DocumentFormat.rawValue`, or `dynamodb`.
    public var format: String
    /// Per-binding settings (kill strategy, deployment strategy, the application's own
    /// environment name…), by name.
    public var options: [String: String]
    /// The source's version as last read: a content hash for files, a hosted version
    /// number for AppConfig. Nil before the first read.
    public var version: String?
    public var syncedAt: Date?
    /// Why the last sync failed, shown on the environment's header; nil when it worked.
    public var syncError: String?
    public var createdAt: Date
    public var createdBy: String

    public init(id: Int64 = 0, env: EnvironmentID, uri: String, format: String, options: [String: String] = [:],
                version: String? = nil, syncedAt: Date? = nil, syncError: String? = nil, createdAt: Date, createdBy: String) {
        self.id = id
        self.env = env
        self.uri = uri
        self.format = format
        self.options = options
        self.version = version
        self.syncedAt = syncedAt
        self.syncError = syncError
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// What the inventory last saw of one flag in one bound source. A push compares the
/// source's current value with `seen`: a difference means someone changed it outside
/// flagdeck. `preKill` is what a kill replaced, so unkill restores exactly that.
public struct SourceFlagRecord: Sendable, Hashable {
    public var bindingID: Int64
    public var flag: String
    /// Canonical JSON of the flag's value in the source (see `FlagDocument.fingerprint`);
    /// nil when the flag is gone from the source (shown as absent, history kept).
    public var seen: String?
    public var preKill: String?

    public init(bindingID: Int64, flag: String, seen: String?, preKill: String? = nil) {
        self.bindingID = bindingID
        self.flag = flag
        self.seen = seen
        self.preKill = preKill
    }
}

/// A change about to be written to a source, recorded before the write and resolved after
/// it, so a crash between the two can never leave a source changed without an audit row:
/// the next open finds the intent and reconciles it against the source.
public struct PushIntent: Sendable, Hashable {
    /// Random, and written into the source where it can carry one (an AppConfig version's
    /// description), so an orphaned write can be recognised.
    public var id: String
    public var bindingID: Int64
    public var createdAt: Date
    public var `operator`: String
    public var host: String
    public var action: String
    public var flag: String
    public var env: EnvironmentID
    public var reason: String
    /// Cell snapshots (`StateJSON`) before and after the change.
    public var before: String
    public var after: String
    /// Source-specific JSON: what the source held and what it will hold (for files,
    /// content hashes and fragments; for DynamoDB, the items and how far the work got).
    public var plan: String

    public init(id: String, bindingID: Int64, createdAt: Date, operator: String, host: String, action: String,
                flag: String, env: EnvironmentID, reason: String, before: String, after: String, plan: String) {
        self.id = id
        self.bindingID = bindingID
        self.createdAt = createdAt
        self.operator = `operator`
        self.host = host
        self.action = action
        self.flag = flag
        self.env = env
        self.reason = reason
        self.before = before
        self.after = after
        self.plan = plan
    }
}
