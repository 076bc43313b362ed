import FlagDeckAWS
import Foundation

/// The sync read: a parallel, segmented, paginated Scan that asks only for the key and
/// the attribute (`ProjectionExpression`), so 100,000 items cost a few megabytes and
/// not the whole table. Consistent reads: the per-job changes and the kill are
/// conditional on what this scan saw, and a stale view would only make them conflict.
extension DynamoDBJobsSource {
    /// Segments for a table of about `itemCount` items: one per ~5,000, at least 4 (a
    /// segment is a thread and a connection), at most 32 (the transport's connections).
    public static func segments(forItemCount itemCount: Int?) -> Int {
        min(32, max(4, (itemCount ?? 0) / 5_000))
    }

    /// Reads every job. Segments run on their own threads; the caller's thread only
    /// waits. `progress` gets the running count of items read (from any thread).
    public func scan(segments: Int? = nil, pageLimit: Int? = nil,
                     progress: (@Sendable (Int) -> Void)? = nil) throws(DynamoDBJobsError) -> DynamoDBJobsSnapshot {
        let total = max(1, min(1_000_000, segments ?? Self.segments(forItemCount: table.itemCount)))
        let started = Date()
        let parts = Locked([[(String, DynamoDBJobState)]](repeating: [], count: total))
        let firstError = Locked<DynamoDBJobsError?>(nil)
        let read = Locked(0)
        let scanned = Locked(0)
        BlockingParallel.forEach(total, width: total) { [self] segment in
            var request = DynamoDBScanRequest(tableName: tableName, projectionExpression: "#k, #a",
                                              expressionAttributeNames: names,
                                              segment: total > 1 ? segment : nil, totalSegments: total > 1 ? total : nil,
                                              consistentRead: true, limit: pageLimit)
            var mine: [(String, DynamoDBJobState)] = []
            while firstError.current == nil {
                let page: DynamoDBScanPage
                do { page = try client.dynamoDB.scan(request) } catch {
                    let e = failure(error)
                    firstError.withLock { if $0 == nil { $0 = e } }
                    return
                }
                for item in page.items {
                    guard let job = jobID(item) else { continue }
                    mine.append((job, DynamoDBJobState(item[attribute])))
                }
                scanned.withLock { $0 += page.scannedCount ?? page.items.count }
                let n = read.withLock { (n: inout Int) -> Int in
                    n += page.items.count
                    return n
                }
                progress?(n)
                guard let next = page.lastEvaluatedKey else { break }
                request.exclusiveStartKey = next
            }
            parts.withLock { $0[segment] = mine }
        }
        if let e = firstError.current { throw e }
        var states: [String: DynamoDBJobState] = [:]
        states.reserveCapacity(read.current)
        for part in parts.current { for (job, s) in part { states[job] = s } }
        return DynamoDBJobsSnapshot(states: states, defaultValue: defaultValue, readAt: started, scannedCount: scanned.current)
    }

    /// `scan` on a thread of its own, for async callers (the dashboard).
    public func scanDetached(segments: Int? = nil, progress: (@Sendable (Int) -> Void)? = nil) async throws
        -> DynamoDBJobsSnapshot {
        try await BlockingParallel.detached { [self] in try scan(segments: segments, progress: progress) }
    }

    /// One job, read consistently: nil when no item has this id.
    public func read(job: String) throws(DynamoDBJobsError) -> DynamoDBJobState? {
        let k = try itemKey(job)
        do {
            let item = try client.dynamoDB.getItem(DynamoDBGetItemRequest(
                tableName: tableName, key: k, consistentRead: true, projectionExpression: "#k, #a",
                expressionAttributeNames: names))
            return item.map { DynamoDBJobState($0[attribute]) }
        } catch { throw failure(error) }
    }
}
