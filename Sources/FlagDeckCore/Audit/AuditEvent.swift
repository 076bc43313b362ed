import Foundation

/// What an operation wants recorded; the store assigns `seq`, links the chain and hashes.
public struct AuditDraft: Sendable, Hashable {
    public var at: Date
    public var actor: Actor
    public var action: String
    public var flag: String?
    public var env: String?
    /// JSON text, or nil when there was nothing before (a create) or after.
    public var before: String?
    public var after: String?
    public var reason: String

    public init(at: Date, actor: Actor, action: String, flag: String?, env: String?,
                before: String?, after: String?, reason: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.flag = flag
        self.env = env
        self.before = before
        self.after = after
        self.reason = reason
    }
}

/// One row of the append-only log, exactly as stored and hashed.
public struct AuditEvent: Sendable, Hashable {
    public var seq: Int64
    /// Stored UTC text; kept verbatim because it is part of the hashed content.
    public var at: String
    public var `operator`: String
    public var host: String
    public var action: String
    public var flag: String?
    public var env: String?
    public var before: String?
    public var after: String?
    public var reason: String
    public var prevHash: String
    public var hash: String

    public init(seq: Int64, at: String, operator: String, host: String, action: String, flag: String?,
                env: String?, before: String?, after: String?, reason: String, prevHash: String, hash: String) {
        self.seq = seq
        self.at = at
        self.operator = `operator`
        self.host = host
        self.action = action
        self.flag = flag
        self.env = env
        self.before = before
        self.after = after
        self.reason = reason
        self.prevHash = prevHash
        self.hash = hash
    }

    public var date: Date { UTC.parseStored(at) ?? .distantPast }
}

/// The newest event: what `audit head` prints and what the next event links to.
public struct AuditHead: Sendable, Hashable {
    public var seq: Int64
    public var hash: String
    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }
}

/// Filters for reading the log, newest first unless `ascending`.
public struct AuditQuery: Sendable, Hashable {
    public var flag: String?
    public var env: String?
    public var since: Date?
    public var `operator`: String?
    public var action: String?
    /// Keyset paging: only events with seq below this (newest-first) or above it (ascending).
    public var afterCursor: Int64?
    public var limit: Int?
    public var ascending: Bool

    public init(flag: String? = nil, env: String? = nil, since: Date? = nil, operator: String? = nil,
                action: String? = nil, afterCursor: Int64? = nil, limit: Int? = nil, ascending: Bool = false) {
        self.flag = flag
        self.env = env
        self.since = since
        self.operator = `operator`
        self.action = action
        self.afterCursor = afterCursor
        self.limit = limit
        self.ascending = ascending
    }
}
