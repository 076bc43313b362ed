import FlagDeckAWS
import Foundation

/// What can go wrong between flagdeck and a jobs table, worded for the operator at 3 a.m.:
/// which table, which job, what AWS said, what to do. Never holds a secret (the AWS
/// client's errors are already scrubbed).
public enum DynamoDBJobsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The profile, region or credentials could not be resolved (before any call).
    case configuration(uri: String, detail: String)
    case tableNotFound(table: String, detail: String)
    /// `key=` is not the table's partition key.
    case keyNotPartitionKey(table: String, key: String, partitionKey: String)
    /// The table has a sort key too: a job id alone does not name an item, and the
    /// seed's `get_item(Key={'job_id': …})` would fail on it.
    case compositeKey(table: String, partitionKey: String, sortKey: String)
    case unsupportedKeyType(table: String, key: String, type: String)
    /// `attribute=` names the key itself, or is empty.
    case badAttribute(table: String, attribute: String, reason: String)
    case accessDenied(table: String, detail: String)
    /// Any other failure reaching or using the table (network, throttling after retries…).
    case unreachable(table: String, detail: String)
    /// The job's value is not what flagdeck last saw: someone changed it meanwhile.
    case conflict(table: String, attribute: String, job: String, seen: String, now: String)
    /// No item has this job id; flagdeck never creates items.
    case noSuchJob(table: String, key: String, job: String)
    /// The item holds a non-boolean value; flagdeck never overwrites those.
    case notBoolean(table: String, attribute: String, job: String, value: String)
    case invalidJobID(table: String, key: String, job: String, reason: String)
    /// A journal plan does not belong to this table or does not decode.
    case badPlan(String)

    public var description: String {
        switch self {
        case .configuration(let uri, let d):
            return "\(uri): \(d)"
        case .tableNotFound(let t, let d):
            return "DynamoDB table \(t) does not exist (\(d)); check the table name, the profile's account and the region in the URI"
        case .keyNotPartitionKey(let t, let k, let pk):
            return "key=\(k) is not the partition key of DynamoDB table \(t) (its partition key is \(pk)); use key=\(pk)"
        case .compositeKey(let t, let pk, let sk):
            return "DynamoDB table \(t) has a sort key (\(sk)) as well as its partition key (\(pk)): a job id alone does not name one item, so it cannot hold per-job flags"
        case .unsupportedKeyType(let t, let k, let type):
            return "the partition key \(k) of DynamoDB table \(t) is of type \(type); per-job flags need a string (S) or number (N) key"
        case .badAttribute(let t, let a, let why):
            return "attribute=\(a) cannot hold per-job flags in DynamoDB table \(t): \(why)"
        case .accessDenied(let t, let d):
            return "access denied to DynamoDB table \(t): \(d)"
        case .unreachable(let t, let d):
            return "DynamoDB table \(t): \(d)"
        case .conflict(let t, let a, let j, let seen, let now):
            return "job \(j) was changed in DynamoDB table \(t) outside flagdeck (\(a) last seen \(seen), now \(now)); nothing written. Run `flagdeck sync` to record it, then retry"
        case .noSuchJob(let t, let k, let j):
            return "no item with \(k) = \(j) in DynamoDB table \(t); flagdeck never creates items"
        case .notBoolean(let t, let a, let j, let v):
            return "job \(j) in DynamoDB table \(t) holds \(a) = \(v), not a boolean; flagdeck never overwrites it. Fix the item with the application's own tools"
        case .invalidJobID(let t, let k, let j, let why):
            return "\(j) is not a valid \(k) for DynamoDB table \(t): \(why)"
        case .badPlan(let d):
            return d
        }
    }

    /// Conflicts exit 2 like any other stale write; everything else 1.
    public var exitCode: Int32 {
        if case .conflict = self { return 2 }
        return 1
    }

    /// The same failure as the sources mechanism's error type.
    public func sourceError(uri: String) -> SourceError {
        switch self {
        case .conflict(_, _, let job, let seen, let now):
            return .changedOutside(source: uri, flag: "job \(job)", seen: seen, now: now)
        case .configuration, .tableNotFound, .accessDenied, .unreachable:
            return .unreachable(source: uri, detail: description)
        case .keyNotPartitionKey, .compositeKey, .unsupportedKeyType, .badAttribute:
            return .badURI(uri, description)
        case .noSuchJob, .notBoolean, .invalidJobID, .badPlan:
            return .unsupported(source: uri, detail: description)
        }
    }

    /// Classifies what the AWS client threw for `table`.
    static func from(_ error: Error, table: String) -> DynamoDBJobsError {
        guard let aws = error as? AWSError else {
            if let mine = error as? DynamoDBJobsError { return mine }
            return .unreachable(table: table, detail: "\(error)")
        }
        switch aws.code {
        case "ResourceNotFoundException":
            return .tableNotFound(table: table, detail: aws.description)
        case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnrecognizedClientException",
             "InvalidSignatureException", "MissingAuthenticationTokenException":
            return .accessDenied(table: table, detail: aws.description)
        default:
            return .unreachable(table: table, detail: aws.description)
        }
    }
}
