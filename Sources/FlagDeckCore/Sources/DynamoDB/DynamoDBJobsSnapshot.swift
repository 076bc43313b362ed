import Crypto
import Foundation

/// Every job of a table and its attribute, as one scan read them.
public struct DynamoDBJobsSnapshot: Sendable, Equatable {
    public var states: [String: DynamoDBJobState]
    /// What an absent attribute serves (`&default=true`).
    public var defaultValue: Bool
    public var readAt: Date
    /// Items DynamoDB examined (equals `states.count` for a full scan).
    public var scannedCount: Int

    public init(states: [String: DynamoDBJobState], defaultValue: Bool, readAt: Date = Date(), scannedCount: Int? = nil) {
        self.states = states
        self.defaultValue = defaultValue
        self.readAt = readAt
        self.scannedCount = scannedCount ?? states.count
    }

    public var count: Int { states.count }

    /// Jobs the application runs with the feature on (absent counts as the default;
    /// a non-boolean by the seed's truthiness).
    public var servedOnCount: Int { states.values.reduce(0) { $0 + ($1.served(default: defaultValue) ? 1 : 0) } }

    /// Job ids in `state`, sorted.
    public func jobs(_ state: DynamoDBJobState) -> [String] {
        states.compactMap { $0.value == state ? $0.key : nil }.sorted()
    }

    /// Items whose attribute is not a boolean, sorted by job: reported, never overwritten.
    public var nonBoolean: [(job: String, value: DynamoDBJobState)] {
        states.filter { !$0.value.isBoolean }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Jobs a kill must turn off: those whose attribute is true, and with `&default=true`
    /// those without it (they serve true). Non-booleans are not among them.
    public var killTargets: [(job: String, state: DynamoDBJobState)] {
        states.filter { $0.value == .on || ($0.value == .absent && defaultValue) }.sorted { $0.key < $1.key }
            .map { ($0.key, $0.value) }
    }

    /// What changed since `earlier`, by job (sorted); a job missing on one side is
    /// `nil` there (created or deleted meanwhile).
    public func changes(since earlier: DynamoDBJobsSnapshot) -> [DynamoDBJobChangeRecord] {
        var out: [DynamoDBJobChangeRecord] = []
        for (job, now) in states where earlier.states[job] != now {
            out.append(DynamoDBJobChangeRecord(job: job, before: earlier.states[job], after: now))
        }
        for (job, was) in earlier.states where states[job] == nil {
            out.append(DynamoDBJobChangeRecord(job: job, before: was, after: nil))
        }
        return out.sorted { $0.job < $1.job }
    }

    /// `sha256:…` of every (job, state) in job order: equal versions mean equal tables as
    /// far as this flag goes, so a sync that finds the same version records nothing.
    public var version: String {
        var h = SHA256()
        for job in states.keys.sorted() {
            h.update(data: Data(job.utf8))
            h.update(data: Data([0]))
            h.update(data: Data(states[job]!.description.utf8))
            h.update(data: Data([10]))
        }
        return "sha256:" + AuditChain.hex(h.finalize())
    }
}

/// One job whose value differs between two snapshots; nil means "no such item".
public struct DynamoDBJobChangeRecord: Sendable, Hashable {
    public var job: String
    public var before: DynamoDBJobState?
    public var after: DynamoDBJobState?

    public init(job: String, before: DynamoDBJobState?, after: DynamoDBJobState?) {
        self.job = job
        self.before = before
        self.after = after
    }
}
