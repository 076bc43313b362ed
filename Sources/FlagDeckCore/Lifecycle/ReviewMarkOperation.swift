import Foundation

/// Recording a review decision: one transaction, exactly one `review.mark` audit event
/// whose before/after are the previous and the new mark, and nothing else written (the
/// event itself is the stored mark, see `ReviewMark`).
extension Operations {
    @discardableResult
    public func markForReview(flag key: String, _ kind: ReviewMarkKind, reason: String, until: Date? = nil) throws -> ReviewMark {
        let why = reason.trimmingWhitespace()
        guard !why.isEmpty else { throw FlagDeckError.reasonRequired(action: "mark \(key) \(kind.rawValue)", env: nil) }
        let now = clock()
        if kind == .retire, until != nil {
            throw FlagDeckError.invalidReviewMark("a retire mark has no until date; it stands until the flag is removed")
        }
        if let until, until <= now {
            throw FlagDeckError.invalidReviewMark("until \(UTC.format(until)) is not after now (\(UTC.format(now)))")
        }
        // Marks are flag metadata spanning environments: whoever may change something may
        // mark (the same rule as editing a flag); a refusal is itself audited.
        return try transaction(AuditAction.reviewMark, flag: key, env: nil, reason: why) { tx in
            let w = tx.w
            try tx.authorizeAny(action: "mark flags for review")
            guard try w.flag(key: key) != nil else { throw FlagDeckError.unknownFlag(key) }
            var end = until
            if kind == .snooze, end == nil {
                let settings = try LifecycleSettings.load(from: w)
                end = tx.now.addingTimeInterval(LifecycleSettings.seconds(days: settings.snoozeDays))
            }
            let previous = try w.events(AuditQuery(flag: key, action: AuditAction.reviewMark, limit: 1)).first
                .flatMap(ReviewMark.init(event:))
            let e = try tx.append(AuditAction.reviewMark, flag: key, env: nil,
                                  before: previous.map { ReviewMark.snapshot(kind: $0.kind, until: $0.until) },
                                  after: ReviewMark.snapshot(kind: kind, until: end), reason: why)
            guard let mark = ReviewMark(event: e) else {
                throw FlagDeckError.internalInvariant("review mark event \(e.seq) does not read back")
            }
            return mark
        }
    }
}
