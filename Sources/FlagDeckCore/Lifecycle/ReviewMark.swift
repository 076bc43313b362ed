import Foundation

/// What a reviewer decided about a flagged flag.
public enum ReviewMarkKind: String, CaseIterable, Sendable {
    /// "We know, it stays": silences the hints until `until`, or for good without one.
    case keep
    /// "Agreed, it goes": recorded for the report; it silences nothing, the flag keeps
    /// showing until it is actually removed.
    case retire
    /// "Not now": silences the hints until `until` (default: the snooze setting).
    case snooze
}

/// A review mark as recorded in the audit log. The log is the only store of marks: the
/// newest `review.mark` event of a flag is its mark, so marks can never drift from their
/// audit trail, and a later mark simply replaces an earlier one.
public struct ReviewMark: Hashable, Sendable {
    public var flag: String
    public var kind: ReviewMarkKind
    public var until: Date?
    public var reason: String
    public var at: Date
    public var by: String
    public var seq: Int64

    public init(flag: String, kind: ReviewMarkKind, until: Date?, reason: String, at: Date, by: String, seq: Int64) {
        self.flag = flag
        self.kind = kind
        self.until = until
        self.reason = reason
        self.at = at
        self.by = by
        self.seq = seq
    }

    /// Whether the mark stops the flag's hints from nagging at `now`. The hints are still
    /// computed (the report lists silenced flags), they just do not count as candidates.
    public func silences(at now: Date) -> Bool {
        switch kind {
        case .retire: false
        case .keep: until.map { now < $0 } ?? true
        case .snooze: until.map { now < $0 } ?? false
        }
    }

    /// "keep until 2026-12-31", "snooze until 2026-12-05", "retire".
    public var summary: String {
        kind.rawValue + (until.map { " until \(UTC.formatDay($0))" } ?? "")
    }

    /// The `after` snapshot of a `review.mark` event.
    public static func snapshot(kind: ReviewMarkKind, until: Date?) -> String {
        "{\"mark\":\(JSONText.quote(kind.rawValue)),\"until\":\(until.map { JSONText.quote(UTC.format($0)) } ?? "null")}"
    }

    /// Reads a mark back from its audit event; nil for anything that is not a well-formed
    /// `review.mark` event (the log is never rewritten, so a bad one is skipped, not fatal).
    public init?(event e: AuditEvent) {
        guard e.action == AuditAction.reviewMark, let flag = e.flag, let after = e.after,
              case .object(let object)? = try? JSONParser.parse(after),
              let kindText = object["mark"]?.stringValue, let kind = ReviewMarkKind(rawValue: kindText)
        else { return nil }
        let until = object["until"]?.stringValue.flatMap(UTC.parseStored)
        self.init(flag: flag, kind: kind, until: until, reason: e.reason, at: e.date, by: e.operator, seq: e.seq)
    }
}

extension ReviewMark {
    /// The current mark of every flag that has one: one index-backed aggregate query.
    public static func current(in r: any StoreReading) throws -> [String: ReviewMark] {
        try r.latestEventPerFlag(action: AuditAction.reviewMark).compactMapValues(ReviewMark.init(event:))
    }

    /// Marks recorded at or after `since`, newest first: the report's "decisions made".
    public static func recorded(since: Date, in r: any StoreReading) throws -> [ReviewMark] {
        try r.events(AuditQuery(since: since, action: AuditAction.reviewMark)).compactMap(ReviewMark.init(event:))
    }
}
