import FlagDeckAWS
import Foundation

/// One conditional UpdateItem: "if the job still holds `expect`, make it `set`". Every
/// write flagdeck makes to a jobs table is one of these, so none can overwrite a value
/// it did not see, create an item (`attribute_exists` on the key), or touch a
/// non-boolean.
struct DynamoDBConditionalWrite: Sendable, Hashable {
    var job: String
    var expect: DynamoDBJobState
    var set: DynamoDBJobState

    func request(_ source: DynamoDBJobsSource, returnOldOnFailure: Bool = true) throws(DynamoDBJobsError)
        -> DynamoDBUpdateItemRequest {
        guard expect.isBoolean else {
            throw .notBoolean(table: source.tableName, attribute: source.attribute, job: job, value: expect.description)
        }
        guard set.isBoolean, set != expect else {
            throw .badPlan("internal: cannot write \(set) over \(expect) for job \(job)")
        }
        var values: DynamoDBItem = [:]
        let update: String
        if let v = set.attributeValue {
            update = "SET #a = :set"
            values[":set"] = v
        } else {
            update = "REMOVE #a"
        }
        let condition: String
        if let e = expect.attributeValue {
            condition = "attribute_exists(#k) AND #a = :expect"
            values[":expect"] = e
        } else {
            condition = "attribute_exists(#k) AND attribute_not_exists(#a)"
        }
        return DynamoDBUpdateItemRequest(
            tableName: source.tableName, key: try source.itemKey(job), updateExpression: update,
            conditionExpression: condition, expressionAttributeNames: source.names,
            expressionAttributeValues: values.isEmpty ? nil : values, returnValues: nil,
            returnValuesOnConditionCheckFailure: returnOldOnFailure ? "ALL_OLD" : nil)
    }
}

/// What a write found when its condition did not hold.
enum DynamoDBWriteOutcome: Sendable {
    case applied
    /// The condition failed; what the item holds now (nil: no such item).
    case conditionFailed(now: DynamoDBJobState?)
    /// Refused for good (access denied, validation): nothing was written.
    case refused(DynamoDBJobsError)
    /// The network or the service failed after the client's retries: the write may or
    /// may not have happened. Only reading the item back can tell.
    case unknown(String)
    /// Certainly not written, worth sending again later: throttled past the client's
    /// retries, or a failed condition whose item could not be read back.
    case retryLater(String)
}

extension DynamoDBJobsSource {
    /// Sends one conditional write and says what happened; never throws for the job's
    /// own outcome, so the bulk engine can account for every job.
    func send(_ write: DynamoDBConditionalWrite) -> DynamoDBWriteOutcome {
        let request: DynamoDBUpdateItemRequest
        do { request = try write.request(self) } catch { return .refused(error) }
        do {
            try client.dynamoDB.updateItem(request)
            return .applied
        } catch AWSError.conditionalCheckFailed(_, let item) {
            if let item { return .conditionFailed(now: DynamoDBJobState(item[attribute])) }
            // No ALL_OLD item: either there is no item, or the service did not send it.
            do { return .conditionFailed(now: try read(job: write.job)) } catch {
                return .retryLater("the condition failed and the item could not be read back: \(error)")
            }
        } catch {
            return classify(error)
        }
    }
}
