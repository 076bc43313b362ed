import FlagDeckAWS
import FlagDeckCore
import Testing

/// The plans and kill records on their own: what a kill, unkill and hold would write,
/// and the journal text that has to survive a SIGKILL.
@Suite struct PlanTests {
    static let uri = "dynamodb://@us-east-1/jobs?key=job_id&attribute=is_feature_enabled&flag=feature"

    static func snapshot(_ states: [String: DynamoDBJobState], defaultValue: Bool = false) -> DynamoDBJobsSnapshot {
        DynamoDBJobsSnapshot(states: states, defaultValue: defaultValue)
    }

    @Test func killTargetsOnlyJobsThatServeOnAndNeverANonBoolean() {
        let s = Self.snapshot(["a": .on, "b": .off, "c": .absent, "d": .notBoolean(.s("yes")), "e": .on])
        let plan = DynamoDBBulkPlan.kill(s, uri: Self.uri)
        #expect(plan.steps.map(\.job) == ["a", "e"])
        #expect(plan.steps.allSatisfy { $0.expect == .on && $0.set == .off && $0.restore == .on && $0.status == .pending })
        #expect(s.nonBoolean.map(\.job) == ["d"])
        #expect(s.servedOnCount == 3, "the seed's code reads S(yes) as truthy")
    }

    @Test func withDefaultTrueAKillAlsoTurnsOffItemsWithoutTheAttributeAndUnkillRemovesItAgain() {
        let s = Self.snapshot(["a": .on, "b": .off, "c": .absent], defaultValue: true)
        let plan = DynamoDBBulkPlan.kill(s, uri: Self.uri)
        #expect(plan.steps.map { [$0.job, "\($0.expect)", "\($0.restore!)"] } == [["a", "on", "on"], ["c", "absent", "absent"]])
        var done = plan
        for i in done.steps.indices { done.steps[i].status = .applied }
        let unkill = DynamoDBBulkPlan.unkill(done.killRecord, uri: Self.uri)
        #expect(unkill.steps.map { [$0.job, "\($0.expect)", "\($0.set)"] } == [["a", "off", "on"], ["c", "off", "absent"]])
    }

    @Test func holdRemembersWhatEachJobHeldBeforeItCameBackOn() {
        let record = DynamoDBKillRecord(restore: ["a": .on])
        let now = Self.snapshot(["a": .on, "b": .on, "c": .on, "d": .off])
        let lastSeen: [String: DynamoDBJobState] = ["a": .off, "b": .off, "d": .off]  // c is new
        let hold = DynamoDBBulkPlan.hold(now, record: record, lastSeen: lastSeen, uri: Self.uri)
        #expect(hold.kind == .hold)
        #expect(hold.steps.map(\.job) == ["a", "b", "c"])
        #expect(hold.steps.map { $0.restore } == [.on, .off, .absent])
        var done = hold
        for i in done.steps.indices { done.steps[i].status = .applied }
        let merged = record.merging(done.killRecord)
        #expect(merged.restore == ["a": .on, "b": .off, "c": .absent])
        let unkill = DynamoDBBulkPlan.unkill(merged, uri: Self.uri)
        #expect(unkill.steps.map(\.job) == ["a", "c"], "b was off before: nothing to write")
    }

    @Test func thePlanSurvivesTheJournalExactly() throws {
        var plan = DynamoDBBulkPlan(kind: .kill, uri: Self.uri, steps: [
            .init(job: "a", expect: .on, set: .off, restore: .on, status: .applied),
            .init(job: "b \"quoted\" é", expect: .on, set: .off, restore: .on, status: .skipped, detail: "now absent"),
            .init(job: "c", expect: .absent, set: .off, restore: .absent, status: .inFlight),
            .init(job: "d", expect: .off, set: .absent, status: .unknown, detail: "cannot reach http://127.0.0.1:1/"),
            .init(job: "e", expect: .on, set: .off, restore: .on, status: .failed, detail: "access denied"),
            .init(job: "f", expect: .on, set: .off, restore: .on),
        ], batchSize: 2, interruptions: ["network"])
        let back = try DynamoDBBulkPlan(json: plan.json)
        #expect(back == plan)
        #expect(back.json == plan.json)
        #expect(plan.applied == ["a"])
        #expect(plan.skipped.map(\.job) == ["b \"quoted\" é"])
        #expect(plan.remaining == ["c", "d", "e", "f"])
        #expect(plan.unsettled == 2)
        #expect(!plan.isComplete)
        plan.steps = plan.steps.map { var s = $0; s.status = .applied; return s }
        #expect(plan.isComplete)

        let record = DynamoDBKillRecord(restore: ["a": .on, "c": .absent, "x": .off])
        #expect(try DynamoDBKillRecord(json: record.json) == record)
    }

    @Test func aDamagedJournalIsAClearErrorNotACrash() {
        for text in ["", "{}", #"{"format":"flagdeck.dynamodb.plan/1","kind":"kill","uri":"u","batch_size":1,"steps":[["a","on","maybe",null,"pending"]]}"#,
                     #"{"format":"flagdeck.dynamodb.plan/9"}"#] {
            #expect(throws: DynamoDBJobsError.self) { try DynamoDBBulkPlan(json: text) }
        }
        let e = #expect(throws: DynamoDBJobsError.self) { try DynamoDBKillRecord(json: "[1]") }
        #expect(e?.description.contains("unkill would not know which jobs") == true)
    }

    @Test func batchesAreAboutAQuarterOfTheWork() {
        #expect(DynamoDBBulkPlan.defaultBatchSize(10) == 100)
        #expect(DynamoDBBulkPlan.defaultBatchSize(3_000) == 750)
        #expect(DynamoDBBulkPlan.defaultBatchSize(100_000) == 2_000)
    }

    @Test func nonBooleansCountAsThePythonSeedWouldSeeThem() {
        let cases: [(DynamoDBValue, Bool)] = [(.s(""), false), (.s("false"), true), (.n("0"), false), (.n("0.0"), false),
                                              (.n("2"), true), (.null, false), (.l([]), false), (.m(["a": .null]), true)]
        for (v, truthy) in cases { #expect(DynamoDBJobState(v).served(default: false) == truthy, "\(v)") }
        #expect(DynamoDBJobState(nil) == .absent)
        #expect(DynamoDBJobState.absent.served(default: true))
    }
}
