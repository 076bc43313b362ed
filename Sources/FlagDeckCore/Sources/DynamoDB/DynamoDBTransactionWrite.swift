import FlagDeckAWS
import Foundation

/// Many conditional writes in one round trip: `TransactWriteItems` with each job's own
/// condition, so a kill across thousands of jobs costs a few hundred requests instead of
/// thousands. All or none, so a job that fails its condition cancels the rest: the
/// cancellation reasons say which, those are settled, and the others are sent again.
/// A job that conflicts or is throttled inside a transaction is sent on its own (plain
/// UpdateItem with the client's backoff), so one busy item cannot hold up its batch.
///
/// Each transaction carries a fresh `ClientRequestToken`, and the client's retries resend
/// the same body: a retry after a lost answer is idempotent (DynamoDB remembers the
/// token for ten minutes) and cannot turn our own write into a failed condition.
///
/// IAM: TransactWriteItems is not an action of its own; each item needs
/// `dynamodb:UpdateItem` on the table, as the single writes do. On AWS a transactional
/// write costs twice the write capacity of a plain one.
extension DynamoDBJobsSource {
    /// Codes of per-item reasons worth one more try on its own.
    static let retryOnItsOwn: Set<String> = ["TransactionConflict", "ProvisionedThroughputExceeded", "ThrottlingError",
                                             "RequestLimitExceeded"]

    /// One outcome per write, in order.
    func sendTransaction(_ writes: [DynamoDBConditionalWrite]) -> [DynamoDBWriteOutcome] {
        var outcomes = [DynamoDBWriteOutcome?](repeating: nil, count: writes.count)
        var requests: [Int: DynamoDBTransactUpdate] = [:]
        for (k, w) in writes.enumerated() {
            do { requests[k] = DynamoDBTransactUpdate(try w.request(self)) } catch { outcomes[k] = .refused(error) }
        }
        var batch = writes.indices.filter { requests[$0] != nil }
        var alone: [Int] = []
        while batch.count > 1 {
            do {
                try client.dynamoDB.transactWriteItems(batch.map { requests[$0]! }, clientRequestToken: UUID().uuidString)
                for k in batch { outcomes[k] = .applied }
                batch = []
            } catch let AWSError.service(f) where f.code == "TransactionCanceledException" {
                guard let reasons = f.cancellationReasons, reasons.count == batch.count else {
                    alone += batch  // no usable reasons: find out one by one
                    batch = []
                    break
                }
                var again: [Int] = []
                for (k, reason) in zip(batch, reasons) {
                    switch reason.code {
                    case "None":
                        again.append(k)
                    case "ConditionalCheckFailed":
                        if let item = reason.item {
                            outcomes[k] = .conditionFailed(now: DynamoDBJobState(item[attribute]))
                        } else {
                            alone.append(k)  // ALL_OLD gave no item: no item, or a service that does not say
                        }
                    case let code where Self.retryOnItsOwn.contains(code):
                        alone.append(k)
                    default:
                        outcomes[k] = .refused(.unreachable(table: tableName, detail: "\(reason.code): \(reason.message ?? f.message)"))
                    }
                }
                batch = again
            } catch {
                let o = classify(error)
                for k in batch { outcomes[k] = o }
                batch = []
            }
        }
        for k in batch + alone { outcomes[k] = send(writes[k]) }
        return outcomes.map { $0 ?? .unknown("no outcome") }
    }

    /// What a failed call means for every write it carried.
    func classify(_ error: Error) -> DynamoDBWriteOutcome {
        guard let e = error as? AWSError else { return .unknown("\(error)") }
        if case .invalidRequest = e { return .refused(failure(e)) }
        if let code = e.code, RetryPolicy.throttlingCodes.contains(code) { return .retryLater(e.description) }
        if let status = e.httpStatus, let code = e.code, !RetryPolicy.isRetryable(status: status, code: code) {
            return .refused(failure(e))
        }
        return .unknown(e.description)
    }
}
