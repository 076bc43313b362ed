import Foundation

/// The three bulk writes of a killed cell, as plans for `DynamoDBBulkEngine`. Pure: a
/// snapshot (and, for unkill and hold, the kill record) in, the steps out.
extension DynamoDBBulkPlan {
    /// Turn off every job that serves on: attribute true, or (with `&default=true`) no
    /// attribute. Each write is conditional on the value the scan saw; items without the
    /// attribute stay without it unless the default makes them serve on. Non-booleans are
    /// never written (see `DynamoDBJobsSnapshot.nonBoolean`).
    public static func kill(_ snapshot: DynamoDBJobsSnapshot, uri: String, batchSize: Int? = nil) -> DynamoDBBulkPlan {
        let steps = snapshot.killTargets.map { Step(job: $0.job, expect: $0.state, set: .off, restore: $0.state) }
        return DynamoDBBulkPlan(kind: .kill, uri: uri, steps: steps, batchSize: batchSize)
    }

    /// Put back exactly what the kill (and the holds) turned off, each job only if it is
    /// still off as flagdeck left it: a job someone changed after the kill is skipped and
    /// reported, never overwritten. Jobs whose value before the kill was `off` need no write.
    public static func unkill(_ record: DynamoDBKillRecord, uri: String, batchSize: Int? = nil) -> DynamoDBBulkPlan {
        let steps = record.restore.filter { $0.value != .off }.sorted { $0.key < $1.key }
            .map { Step(job: $0.key, expect: .off, set: $0.value) }
        return DynamoDBBulkPlan(kind: .unkill, uri: uri, steps: steps, batchSize: batchSize)
    }

    /// While a cell is killed, turn off again every job a sync finds serving on.
    /// `lastSeen` is the inventory's view before this sync: a job the kill did not turn
    /// off goes back, at unkill, to what it held then (`absent` for a job that is new).
    public static func hold(_ snapshot: DynamoDBJobsSnapshot, record: DynamoDBKillRecord,
                            lastSeen: [String: DynamoDBJobState], uri: String, batchSize: Int? = nil) -> DynamoDBBulkPlan {
        let steps = snapshot.killTargets.map { t -> Step in
            let before = record.restore[t.job] ?? lastSeen[t.job].flatMap { $0.isBoolean ? $0 : nil } ?? .absent
            // What it held before it came back on, unless that was on too (then the kill missed it
            // while running, and off is the cell's state).
            let restore: DynamoDBJobState = record.restore[t.job] != nil ? before : (before == .on ? .off : before)
            return Step(job: t.job, expect: t.state, set: .off, restore: restore)
        }
        return DynamoDBBulkPlan(kind: .hold, uri: uri, steps: steps, batchSize: batchSize)
    }
}
