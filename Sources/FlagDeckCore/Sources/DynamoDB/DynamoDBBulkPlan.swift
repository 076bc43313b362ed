import Foundation

/// A write to many jobs (a kill, an unkill, a hold) as the journal keeps it: every job,
/// what it must still hold, what to set, and how far the work got. The engine rewrites
/// it before each batch is sent, so after a SIGKILL at most the batch marked in flight
/// is unknown, and reading those items back settles them: no item change is ever
/// unaccounted for.
public struct DynamoDBBulkPlan: Sendable, Equatable {
    /// `set`: one job changed by `override set`/`override rm`.
    public enum Kind: String, Sendable { case kill, unkill, hold, set }

    public enum Status: String, Sendable {
        /// Not sent yet (or sent and refused before a resume retries it).
        case pending
        /// Sent, or about to be, in the batch running when the journal was last written.
        case inFlight = "in_flight"
        /// flagdeck wrote it (or found it written when reading back after an interruption).
        case applied
        /// The job no longer held `expect` (someone changed it, or the item is gone): left alone.
        case skipped
        /// Refused for good (access denied, validation): not written.
        case failed
        /// The network or the service failed: written or not, only a read can tell.
        case unknown
    }

    public struct Step: Sendable, Equatable {
        public var job: String
        /// What the job must still hold for the write to happen.
        public var expect: DynamoDBJobState
        public var set: DynamoDBJobState
        /// What an unkill puts back (kills and holds).
        public var restore: DynamoDBJobState?
        public var status: Status
        /// Skipped: what the job held instead; failed or unknown: the error; applied after
        /// an interruption: how it was confirmed.
        public var detail: String?

        public init(job: String, expect: DynamoDBJobState, set: DynamoDBJobState, restore: DynamoDBJobState? = nil,
                    status: Status = .pending, detail: String? = nil) {
            self.job = job
            self.expect = expect
            self.set = set
            self.restore = restore
            self.status = status
            self.detail = detail
        }
    }

    public var kind: Kind
    /// The binding's canonical URI: a plan is only ever resumed against its own table.
    public var uri: String
    /// Jobs per journalled batch.
    public var batchSize: Int
    public var steps: [Step]
    /// Why runs stopped early, oldest first ("network: …", "SIGKILL" is not known to us:
    /// a resume that finds work in flight says "resumed after an interruption").
    public var interruptions: [String]

    public init(kind: Kind, uri: String, steps: [Step], batchSize: Int? = nil, interruptions: [String] = []) {
        self.kind = kind
        self.uri = uri
        self.steps = steps
        self.batchSize = max(1, batchSize ?? Self.defaultBatchSize(steps.count))
        self.interruptions = interruptions
    }

    /// About 4 journal writes per run, between 100 and 2,000 jobs each: each journal write
    /// encodes the whole plan and fsyncs it, and each batch ends in a barrier (every write
    /// answered before the next batch), so fewer batches keep the concurrent transactions
    /// busy; reading back one in-flight batch of 2,000 after an interruption takes a
    /// second or two.
    public static func defaultBatchSize(_ count: Int) -> Int { max(100, min(2_000, count / 4)) }

    // MARK: what it says

    public func jobs(_ status: Status) -> [String] { steps.compactMap { $0.status == status ? $0.job : nil } }
    public var applied: [String] { jobs(.applied) }
    /// Jobs left alone, with what each held instead.
    public var skipped: [(job: String, found: String)] {
        steps.compactMap { $0.status == .skipped ? ($0.job, $0.detail ?? "?") : nil }
    }
    public var failed: [(job: String, error: String)] {
        steps.compactMap { $0.status == .failed ? ($0.job, $0.detail ?? "?") : nil }
    }
    /// Every job with no final outcome yet: pending, in flight, unknown or failed.
    public var remaining: [String] { steps.compactMap { $0.status.isFinal ? nil : $0.job } }
    /// Every job has its final outcome: written or left alone.
    public var isComplete: Bool { steps.allSatisfy { $0.status.isFinal } }
    /// Steps whose outcome only a read can tell.
    public var unsettled: Int { steps.reduce(0) { $0 + ($1.status == .inFlight || $1.status == .unknown ? 1 : 0) } }
    public var settledCount: Int { steps.reduce(0) { $0 + ($1.status.isFinal || $1.status == .failed ? 1 : 0) } }

    /// The jobs this plan turned off and what an unkill restores for each.
    public var killRecord: DynamoDBKillRecord {
        var r = DynamoDBKillRecord()
        for s in steps where s.status == .applied { if let v = s.restore { r.restore[s.job] = v } }
        return r
    }
}

extension DynamoDBBulkPlan.Status {
    /// Applied or skipped: nothing more will ever be done for the job.
    public var isFinal: Bool { self == .applied || self == .skipped }
}

/// What a kill (and the holds after it) turned off, job by job, with the value an unkill
/// puts back: `on` for a job that was on, `absent` for an item that had no attribute
/// (with `&default=true`), `off` or `absent` for a job another client turned on while
/// the cell was killed (its value before the kill).
public struct DynamoDBKillRecord: Sendable, Equatable {
    public var restore: [String: DynamoDBJobState]

    public init(restore: [String: DynamoDBJobState] = [:]) { self.restore = restore }

    public var count: Int { restore.count }

    /// This record plus what `later` (a hold) turned off. A job already here keeps its
    /// first restore value: that one is what the table held before the kill.
    public func merging(_ later: DynamoDBKillRecord) -> DynamoDBKillRecord {
        DynamoDBKillRecord(restore: restore.merging(later.restore) { first, _ in first })
    }
}
