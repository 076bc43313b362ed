import FlagDeckAWS
import Foundation

/// What a per-job change wrote: the job's value before and after.
public struct DynamoDBJobWrite: Sendable, Hashable {
    public var job: String
    public var before: DynamoDBJobState
    public var after: DynamoDBJobState

    public init(job: String, before: DynamoDBJobState, after: DynamoDBJobState) {
        self.job = job
        self.before = before
        self.after = after
    }
}

extension DynamoDBJobsSource {
    /// Sets one job to `target` (`.on`, `.off`, or `.absent` to remove the attribute and
    /// restore the default), on condition that it still holds `seen`, the value flagdeck
    /// last saw. Returns nil when the job already holds `target` (checked, not assumed).
    ///
    /// Throws `.conflict` naming the job when it holds something else now, `.noSuchJob`
    /// when no item has this id (flagdeck never creates one), and `.notBoolean` when the
    /// item holds a value flagdeck must not overwrite.
    public func change(job: String, to target: DynamoDBJobState, seen: DynamoDBJobState) throws(DynamoDBJobsError)
        -> DynamoDBJobWrite? {
        guard target.isBoolean else { throw .badPlan("a job can be set on, off or absent, not \(target)") }
        guard seen.isBoolean else { throw .notBoolean(table: tableName, attribute: attribute, job: job, value: seen.description) }
        if target == seen {
            guard let now = try read(job: job) else { throw .noSuchJob(table: tableName, key: key, job: job) }
            guard now == seen else { throw conflict(job, seen: seen, now: now) }
            return nil
        }
        switch send(DynamoDBConditionalWrite(job: job, expect: seen, set: target)) {
        case .applied:
            return DynamoDBJobWrite(job: job, before: seen, after: target)
        case .conditionFailed(nil):
            throw .noSuchJob(table: tableName, key: key, job: job)
        case .conditionFailed(let now?) where now == target:
            // A retry whose first answer was lost, or someone made the same change: done either way.
            return DynamoDBJobWrite(job: job, before: seen, after: target)
        case .conditionFailed(let now?):
            if !now.isBoolean { throw .notBoolean(table: tableName, attribute: attribute, job: job, value: now.description) }
            throw conflict(job, seen: seen, now: now)
        case .refused(let error):
            throw error
        case .retryLater(let why):
            throw .unreachable(table: tableName, detail: why + " (nothing was written; retry in a moment)")
        case .unknown(let why):
            throw .unreachable(table: tableName, detail: why + " (the change to job \(job) may or may not have been made; run `flagdeck sync` to see)")
        }
    }

    func conflict(_ job: String, seen: DynamoDBJobState, now: DynamoDBJobState) -> DynamoDBJobsError {
        .conflict(table: tableName, attribute: attribute, job: job, seen: seen.description, now: now.description)
    }
}
