import FlagDeckAWS
import Foundation

/// How far a bulk write has got, for progress bars: jobs with an outcome, of all.
public struct DynamoDBBulkProgress: Sendable, Hashable {
    public var done: Int
    public var total: Int
    public var applied: Int

    public init(done: Int, total: Int, applied: Int) {
        self.done = done
        self.total = total
        self.applied = applied
    }
}

/// Runs a `DynamoDBBulkPlan`: conditional writes, batch by batch, each batch as
/// transactions of `transactionSize` jobs (see `sendTransaction`), `concurrency`
/// transactions at a time. `transactionSize: 1` sends plain UpdateItems instead.
///
/// The journal protocol (what makes an interrupted kill resumable and every item change
/// recorded): before a batch is sent, its steps are marked in flight and `journal` is
/// called with the whole plan; only when it returns are they sent. So when the process
/// dies, the journal's plan says exactly which jobs are done, which were never sent, and
/// which (one batch at most) may or may not have been written; `settle` reads those back.
/// A `journal` that throws stops the run before anything else is sent.
///
/// A batch that ends with writes whose fate is unknown (network down, 5xx after the
/// client's retries) stops the run: the plan says what to read back, and `run` again (at
/// the next open, or `flagdeck source resume`) settles and finishes it. Throttling is
/// slowed down for, not failed on: throttled jobs go back to pending and the next batch
/// runs at half the concurrency, until `maxThrottledBatches` in a row give up.
public struct DynamoDBBulkEngine: Sendable {
    public var source: DynamoDBJobsSource
    public var concurrency: Int
    public var transactionSize: Int
    public var maxThrottledBatches: Int

    /// - Parameters:
    ///   - concurrency: requests in flight at once (the transport keeps 32 connections).
    ///   - transactionSize: jobs per TransactWriteItems, 1...100; 1 means UpdateItem.
    public init(source: DynamoDBJobsSource, concurrency: Int = 16, transactionSize: Int = 25, maxThrottledBatches: Int = 8) {
        self.source = source
        self.concurrency = max(1, concurrency)
        self.transactionSize = min(100, max(1, transactionSize))
        self.maxThrottledBatches = max(1, maxThrottledBatches)
    }

    /// Settles what an earlier run left unknown, retries what was refused, and runs every
    /// pending step. Returns the plan as last journalled; `isComplete` says whether
    /// every job has its outcome, `interruptions` why not.
    public func run(_ start: DynamoDBBulkPlan, journal: (DynamoDBBulkPlan) throws -> Void,
                    progress: (@Sendable (DynamoDBBulkProgress) -> Void)? = nil) throws -> DynamoDBBulkPlan {
        guard start.uri == source.uri else {
            throw DynamoDBJobsError.badPlan("the journal's plan is for \(start.uri), not \(source.uri); nothing was written")
        }
        var plan = start
        if plan.unsettled > 0 {
            plan = settle(plan)
            try journal(plan)
            if plan.unsettled > 0 { return plan }
        }
        for i in plan.steps.indices where plan.steps[i].status == .failed {
            plan.steps[i].status = .pending
            plan.steps[i].detail = nil
        }
        let total = plan.steps.count
        let done = Locked(plan.settledCount)
        let applied = Locked(plan.applied.count)
        progress?(DynamoDBBulkProgress(done: done.current, total: total, applied: applied.current))
        var width = concurrency
        var throttledInARow = 0
        while true {
            let batch = Array(plan.steps.indices.lazy.filter { plan.steps[$0].status == .pending }.prefix(plan.batchSize))
            if batch.isEmpty { break }
            for i in batch { plan.steps[i].status = .inFlight }
            try journal(plan)

            let writes = batch.map { DynamoDBConditionalWrite(job: plan.steps[$0].job, expect: plan.steps[$0].expect,
                                                              set: plan.steps[$0].set) }
            let size = transactionSize
            let chunks = stride(from: 0, to: writes.count, by: size).map { $0..<min(writes.count, $0 + size) }
            let outcomes = Locked([DynamoDBWriteOutcome?](repeating: nil, count: batch.count))
            let source = self.source
            BlockingParallel.forEach(chunks.count, width: width) { c in
                let range = chunks[c]
                let got = range.count == 1 ? [source.send(writes[range.lowerBound])] : source.sendTransaction(Array(writes[range]))
                outcomes.withLock { for (k, o) in zip(range, got) { $0[k] = o } }
                let settled = got.filter { if case .applied = $0 { true } else if case .conditionFailed = $0 { true } else if case .refused = $0 { true } else { false } }.count
                let ok = got.filter { if case .applied = $0 { true } else { false } }.count
                let a = applied.withLock { (n: inout Int) -> Int in
                    n += ok
                    return n
                }
                let n = done.withLock { (n: inout Int) -> Int in
                    n += settled
                    return n
                }
                progress?(DynamoDBBulkProgress(done: n, total: total, applied: a))
            }
            var unknown = 0, refused = 0, throttled = 0
            for (k, i) in batch.enumerated() {
                switch outcomes.current[k] ?? .unknown("no outcome") {
                case .applied:
                    plan.steps[i].status = .applied
                case .conditionFailed(let now?) where now == plan.steps[i].set:
                    // Already what we meant to write: a retried request whose first answer was
                    // lost, or another writer making the same change at the same moment.
                    plan.steps[i].status = .applied
                    plan.steps[i].detail = "found already \(now) when written"
                case .conditionFailed(let now):
                    plan.steps[i].status = .skipped
                    plan.steps[i].detail = now.map { "now \($0)" } ?? "no such item"
                case .refused(let e):
                    plan.steps[i].status = .failed
                    plan.steps[i].detail = e.description
                    refused += 1
                case .retryLater:
                    plan.steps[i].status = .pending
                    throttled += 1
                case .unknown(let why):
                    plan.steps[i].status = .unknown
                    plan.steps[i].detail = why
                    unknown += 1
                }
            }
            if unknown > 0 {
                plan.interruptions.append("\(unknown) of \(batch.count) writes failed on the network or the service; "
                                          + "they will be read back on resume")
                break
            }
            if refused == batch.count {
                plan.interruptions.append("every write of a batch was refused (\(plan.steps[batch[0]].detail ?? "?")); "
                                          + "fix the cause and resume")
                break
            }
            if throttled > 0 {
                throttledInARow += 1
                if throttledInARow >= maxThrottledBatches {
                    plan.interruptions.append("throttled by DynamoDB for \(throttledInARow) batches in a row; resume later")
                    break
                }
                width = max(1, width / 2)
                Thread.sleep(forTimeInterval: min(5, 0.2 * Double(1 << min(throttledInARow, 5))))
            } else {
                throttledInARow = 0
                width = min(concurrency, width * 2)
            }
        }
        try journal(plan)
        return plan
    }

    /// Reads back every step in flight or unknown: found `set` → applied (confirmed by
    /// reading back); found `expect` → pending again; anything else → skipped. A read
    /// that fails leaves its step as it was (the next resume tries again).
    public func settle(_ start: DynamoDBBulkPlan) -> DynamoDBBulkPlan {
        var plan = start
        let todo = plan.steps.indices.filter { plan.steps[$0].status == .inFlight || plan.steps[$0].status == .unknown }
        guard !todo.isEmpty else { return plan }
        let jobs = todo.map { plan.steps[$0].job }
        let reads = Locked([Result<DynamoDBJobState?, DynamoDBJobsError>?](repeating: nil, count: todo.count))
        let source = self.source
        BlockingParallel.forEach(jobs.count, width: concurrency) { k in
            let r: Result<DynamoDBJobState?, DynamoDBJobsError>
            do throws(DynamoDBJobsError) { r = .success(try source.read(job: jobs[k])) } catch { r = .failure(error) }
            reads.withLock { $0[k] = r }
        }
        var failed = 0, confirmed = 0, again = 0, changed = 0
        for (k, i) in todo.enumerated() {
            switch reads.current[k] {
            case .success(nil)?:
                plan.steps[i].status = .skipped
                plan.steps[i].detail = "no such item"
                changed += 1
            case .success(let now?)? where now == plan.steps[i].set:
                plan.steps[i].status = .applied
                plan.steps[i].detail = "confirmed by reading back after an interruption"
                confirmed += 1
            case .success(let now?)? where now == plan.steps[i].expect:
                plan.steps[i].status = .pending
                plan.steps[i].detail = nil
                again += 1
            case .success(let now?)?:
                plan.steps[i].status = .skipped
                plan.steps[i].detail = "now \(now)"
                changed += 1
            case .failure(let e)?:
                plan.steps[i].detail = e.description
                failed += 1
            case nil:
                failed += 1
            }
        }
        plan.interruptions.append("resumed: read back \(todo.count) jobs left in flight or unknown: \(confirmed) found written, "
                                  + "\(again) to send again, \(changed) changed meanwhile" + (failed > 0 ? ", \(failed) unreadable" : ""))
        if failed > 0 {
            plan.interruptions.append("\(failed) jobs could not be read back to settle an interrupted batch; resume later")
        }
        return plan
    }
}
