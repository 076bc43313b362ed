import FlagDeckAWSTestSupport
import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// The sync read against what the application really reads for each job.
@Suite struct ScanTests {
    static let odd: [DynamoDBValue] = [.s("yes"), .s(""), .n("0"), .n("1"), .null, .l([]), .m(["on": .bool(true)])]

    @Test func everyJobReadsAsTheSeedsOwnCodeReadsIt() throws {
        // 2,000 jobs: on, off, no attribute, and a few values that are not booleans.
        let items = JobsTable.jobs(2_000, extra: ["owner": .s("payments")]) { i in
            if i % 97 == 0 { return Self.odd[(i / 97) % Self.odd.count] }
            return i % 10 < 3 ? .bool(true) : i % 10 < 6 ? .bool(false) : nil
        }
        let t = try JobsTable.make(items)
        let source = try t.source()
        let progress = Locked<[Int]>([])
        // Small pages and four segments: pagination and segmenting both run.
        let snap = try source.scan(segments: 4, pageLimit: 150) { n in progress.update { $0.append(n) } }
        #expect(snap.count == 2_000)
        #expect(snap.scannedCount == 2_000)
        #expect(progress.value.max() == 2_000)
        #expect(progress.value.count >= 2_000 / 150, "one report per page at least")

        let jobs = (0..<2_000).map(JobsTable.jobID)
        let oracle = try SeedOracle.read(t, jobs: jobs)
        for job in jobs {
            let state = try #require(snap.states[job])
            switch oracle[job] {
            case .bool(let b)?:
                #expect(state.isBoolean, "\(job)")
                #expect(state.served(default: false) == b, "\(job): flagdeck \(state), the seed \(b)")
            case .other(let type, _)?:
                #expect(!state.isBoolean, "\(job): the seed got a \(type), flagdeck saw \(state)")
            case nil:
                Issue.record("no oracle value for \(job)")
            }
        }
        let odd = snap.nonBoolean
        #expect(odd.map(\.job) == stride(from: 0, to: 2_000, by: 97).map(JobsTable.jobID))
        #expect(snap.servedOnCount == jobs.filter { job in
            switch oracle[job] { case .bool(true)?: true; case .other(_, let r)?: Self.pythonTruthy(r); default: false }
        }.count)
    }

    /// Truthiness of the reprs the harness prints for the odd values above.
    static func pythonTruthy(_ repr: String) -> Bool { !["''", "Decimal('0')", "None", "[]", "{}"].contains(repr) }

    @Test func aSecondScanOfAnUnchangedTableHasTheSameVersionAndAChangeShowsUp() throws {
        let t = try JobsTable.make(JobsTable.jobs(300) { $0 % 2 == 0 ? .bool(true) : nil })
        let source = try t.source()
        let a = try source.scan(segments: 3)
        let b = try source.scan(segments: 5)
        #expect(a.version == b.version)
        #expect(a.changes(since: b).isEmpty)
        try t.otherClientSets("job-00001", .bool(true))
        try t.otherClientSets("job-00002", nil)
        let c = try source.scan()
        #expect(c.version != a.version)
        #expect(c.changes(since: a) == [DynamoDBJobChangeRecord(job: "job-00001", before: .absent, after: .on),
                                        DynamoDBJobChangeRecord(job: "job-00002", before: .on, after: .absent)])
    }

    @Test func theScanAsksForTheKeyAndTheAttributeOnly() throws {
        let proxyLog = Locked<[Data]>([])
        let t = try JobsTable.make(JobsTable.jobs(20, extra: ["payload": .s(String(repeating: "x", count: 500))]) { _ in .bool(true) })
        let proxy = try FaultProxy(upstream: t.endpoint) { r, _ in
            if r.operation == "Scan" { proxyLog.update { $0.append(r.body) } }
            return .forward
        }
        defer { proxy.stop() }
        let snap = try t.source(endpoint: proxy.endpoint).scan(segments: 2)
        #expect(snap.count == 20)
        let bodies = proxyLog.value.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        #expect(bodies.count == 2)
        for b in bodies {
            #expect(b["ProjectionExpression"] as? String == "#k, #a")
            #expect(b["ExpressionAttributeNames"] as? [String: String] == ["#k": "job_id", "#a": JobsTable.attribute])
            #expect(b["TotalSegments"] as? Int == 2)
            #expect(b["ConsistentRead"] as? Bool == true)
        }
        #expect(Set(bodies.compactMap { $0["Segment"] as? Int }) == [0, 1])
    }
}
