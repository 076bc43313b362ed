import FlagDeckAWSTestSupport
import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// Kill, unkill and hold over thousands of jobs, checked job by job with the seed's own
/// reader and item by item against the table as it was.
@Suite struct KillEngineTests {
    static let attr = JobsTable.attribute

    /// 2,000 jobs: 30 % on, 30 % off, 40 % without the attribute; every item also has
    /// other attributes the kill must not touch.
    static func table() throws -> (JobsTable, [String]) {
        let items = JobsTable.jobs(2_000, extra: ["owner": .s("payments"), "runs": .n("3")]) { i in
            i % 10 < 3 ? .bool(true) : i % 10 < 6 ? .bool(false) : nil
        }
        return (try JobsTable.make(items), (0..<2_000).map(JobsTable.jobID))
    }

    @Test func killTurnsEveryJobOffAndUnkillRestoresTheTableItemByItem() throws {
        let (t, jobs) = try Self.table()
        let source = try t.source()
        let before = try t.items()
        let oracleBefore = try SeedOracle.read(t, jobs: jobs)
        #expect(oracleBefore.values.filter { $0 == .bool(true) }.count == 600)

        let plan = DynamoDBBulkPlan.kill(try source.scan(), uri: source.uri)
        #expect(plan.steps.count == 600)
        var journalled: [DynamoDBBulkPlan] = []
        let progress = Locked<[DynamoDBBulkProgress]>([])
        let engine = DynamoDBBulkEngine(source: source, concurrency: 16)
        let killed = try engine.run(plan, journal: { journalled.append($0) }, progress: { p in progress.update { $0.append(p) } })
        #expect(killed.isComplete)
        #expect(killed.applied.count == 600)
        #expect(killed.skipped.isEmpty && killed.failed.isEmpty)
        #expect(Set(killed.applied) == Set(jobs.filter { oracleBefore[$0] == .bool(true) }), "exactly the jobs that were on")
        // One journal write before each batch and one at the end; each batch was marked in
        // flight before it was sent, and never more than one batch at a time.
        #expect(journalled.count == 600 / plan.batchSize + (600 % plan.batchSize == 0 ? 0 : 1) + 1)
        #expect(journalled.dropLast().allSatisfy { (1...plan.batchSize).contains($0.jobs(.inFlight).count) })
        #expect(journalled.last?.unsettled == 0)
        #expect(journalled.last == killed)
        #expect(progress.value.last == DynamoDBBulkProgress(done: 600, total: 600, applied: 600))

        let after = try SeedOracle.read(t, jobs: jobs)
        #expect(after.values.allSatisfy { $0 == .bool(false) }, "the seed reads False for every job")
        let killedItems = try t.items()
        for (job, item) in before {
            var expected = item
            if item[Self.attr] == .bool(true) { expected[Self.attr] = .bool(false) }
            #expect(killedItems[job] == expected, "\(job): only true became false; no attribute stayed none")
        }

        let record = killed.killRecord
        #expect(record.count == 600 && record.restore.values.allSatisfy { $0 == .on })
        let unkilled = try engine.run(DynamoDBBulkPlan.unkill(record, uri: source.uri), journal: { _ in })
        #expect(unkilled.isComplete && unkilled.applied.count == 600)
        #expect(try t.items() == before, "the pre-kill table, item by item")
        #expect(try SeedOracle.read(t, jobs: jobs) == oracleBefore)
    }

    @Test func aJobTurnedOnWhileKilledIsTurnedOffAgainByHold() throws {
        let (t, jobs) = try Self.table()
        let source = try t.source()
        let before = try t.items()
        let engine = DynamoDBBulkEngine(source: source)
        let killed = try engine.run(DynamoDBBulkPlan.kill(try source.scan(), uri: source.uri), journal: { _ in })
        let lastSeen = try source.scan()  // the inventory's view after the kill
        #expect(lastSeen.killTargets.isEmpty)

        // Another client: a job the kill turned off back on, an off job on, an unset job on,
        // and a new job created on.
        try t.cli.json(["dynamodb", "update-item", "--table-name", "jobs", "--key", #"{"job_id":{"S":"job-00000"}}"#,
                        "--update-expression", "SET is_feature_enabled = :t", "--expression-attribute-values", #"{":t":{"BOOL":true}}"#])
        try t.otherClientSets("job-00004", .bool(true))
        try t.otherClientSets("job-00007", .bool(true))
        try t.client.dynamoDB.putItem(table: "jobs", item: ["job_id": .s("job-new"), Self.attr: .bool(true)])

        let now = try source.scan()
        let hold = DynamoDBBulkPlan.hold(now, record: killed.killRecord, lastSeen: lastSeen.states, uri: source.uri)
        #expect(hold.steps.map(\.job) == ["job-00000", "job-00004", "job-00007", "job-new"])
        let held = try engine.run(hold, journal: { _ in })
        #expect(held.isComplete && held.applied == ["job-00000", "job-00004", "job-00007", "job-new"])
        #expect(try SeedOracle.read(t, jobs: jobs + ["job-new"]).values.allSatisfy { $0 == .bool(false) })

        let record = killed.killRecord.merging(held.killRecord)
        #expect(record.restore["job-00000"] == .on)
        #expect(record.restore["job-00004"] == .off)
        #expect(record.restore["job-00007"] == .absent)
        #expect(record.restore["job-new"] == .absent)
        let unkilled = try engine.run(DynamoDBBulkPlan.unkill(record, uri: source.uri), journal: { _ in })
        #expect(unkilled.isComplete && unkilled.skipped.isEmpty)
        var items = try t.items()
        #expect(items.removeValue(forKey: "job-new") == ["job_id": .s("job-new")], "a job born during the kill ends without the attribute")
        #expect(items == before, "every other item exactly as before the kill")
    }

    @Test func unkillSkipsAndReportsJobsChangedAfterTheKill() throws {
        let (t, _) = try Self.table()
        let source = try t.source()
        let engine = DynamoDBBulkEngine(source: source)
        let killed = try engine.run(DynamoDBBulkPlan.kill(try source.scan(), uri: source.uri), journal: { _ in })
        try t.otherClientSets("job-00001", nil)
        try t.otherClientSets("job-00002", .s("paused"))
        let unkilled = try engine.run(DynamoDBBulkPlan.unkill(killed.killRecord, uri: source.uri), journal: { _ in })
        #expect(unkilled.isComplete)
        #expect(unkilled.applied.count == 598)
        #expect(unkilled.skipped.map(\.job) == ["job-00001", "job-00002"])
        #expect(unkilled.skipped.map(\.found) == ["now absent", "now S(paused)"])
        let items = try t.items()
        #expect(items["job-00001"]?[Self.attr] == nil && items["job-00002"]?[Self.attr] == .s("paused"), "not overwritten")
        #expect(items["job-00010"]?[Self.attr] == .bool(true))
    }

    @Test func nonBooleansAreReportedAndLeftAlone() throws {
        let t = try JobsTable.make(JobsTable.jobs(50) { i in i == 3 ? .s("true") : i == 4 ? .n("1") : .bool(true) })
        let source = try t.source()
        let before = try t.items()
        let snap = try source.scan()
        #expect(snap.nonBoolean.map(\.job) == ["job-00003", "job-00004"])
        let killed = try DynamoDBBulkEngine(source: source).run(DynamoDBBulkPlan.kill(snap, uri: source.uri), journal: { _ in })
        #expect(killed.applied.count == 48)
        let after = try t.items()
        #expect(after["job-00003"] == before["job-00003"] && after["job-00004"] == before["job-00004"])
    }

    @Test func withDefaultTrueItemsWithoutTheAttributeAreKilledAndComeBackWithoutIt() throws {
        let t = try JobsTable.make(JobsTable.jobs(100) { i in i % 3 == 0 ? .bool(true) : i % 3 == 1 ? .bool(false) : nil })
        let source = try t.source(defaultValue: true)
        let before = try t.items()
        let snap = try source.scan()
        #expect(snap.servedOnCount == 67)
        let engine = DynamoDBBulkEngine(source: source)
        let killed = try engine.run(DynamoDBBulkPlan.kill(snap, uri: source.uri), journal: { _ in })
        #expect(killed.applied.count == 67)
        #expect(try source.scan().servedOnCount == 0)
        #expect(try t.items().values.allSatisfy { $0[Self.attr] == .bool(false) })
        _ = try engine.run(DynamoDBBulkPlan.unkill(killed.killRecord, uri: source.uri), journal: { _ in })
        #expect(try t.items() == before)
    }

    @Test func aPlanForAnotherTableIsRefused() throws {
        let t = try JobsTable.make(JobsTable.jobs(3) { _ in .bool(true) })
        let source = try t.source()
        let plan = DynamoDBBulkPlan.kill(try source.scan(), uri: "dynamodb://@us-east-1/other?key=job_id&attribute=a&flag=f")
        #expect(throws: DynamoDBJobsError.self) { try DynamoDBBulkEngine(source: source).run(plan, journal: { _ in }) }
        #expect(try source.scan().servedOnCount == 3)
    }

    @Test func aJournalThatCannotBeWrittenStopsTheKillBeforeAnythingIsSent() throws {
        struct Full: Error {}
        let t = try JobsTable.make(JobsTable.jobs(200) { _ in .bool(true) })
        let source = try t.source()
        let plan = DynamoDBBulkPlan.kill(try source.scan(), uri: source.uri, batchSize: 50)
        var calls = 0
        #expect(throws: Full.self) {
            try DynamoDBBulkEngine(source: source).run(plan, journal: { _ in
                calls += 1
                if calls == 3 { throw Full() }
            })
        }
        #expect(try source.scan().servedOnCount == 100, "two batches sent, the third never")
    }
}
