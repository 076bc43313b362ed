import FlagDeckAWSTestSupport
import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// One job at a time: conditional on what flagdeck last saw, never creating an item,
/// never overwriting a value that is not a boolean.
@Suite struct JobChangeTests {
    static func table() throws -> JobsTable {
        try JobsTable.make([
            ["job_id": .s("job-on"), JobsTable.attribute: .bool(true), "owner": .s("a")],
            ["job_id": .s("job-off"), JobsTable.attribute: .bool(false)],
            ["job_id": .s("job-unset")],
            ["job_id": .s("job-odd"), JobsTable.attribute: .s("yes")],
        ])
    }

    @Test func setsAndRemovesTheAttributeAsTheSeedThenReadsIt() throws {
        let t = try Self.table()
        let source = try t.source()
        #expect(try source.change(job: "job-off", to: .on, seen: .off) == DynamoDBJobWrite(job: "job-off", before: .off, after: .on))
        #expect(try source.change(job: "job-unset", to: .on, seen: .absent) != nil)
        #expect(try source.change(job: "job-on", to: .absent, seen: .on) != nil)
        let oracle = try SeedOracle.read(t, jobs: ["job-on", "job-off", "job-unset"])
        #expect(oracle == ["job-on": .bool(false), "job-off": .bool(true), "job-unset": .bool(true)])
        let items = try t.items()
        #expect(items["job-on"] == ["job_id": .s("job-on"), "owner": .s("a")], "REMOVE leaves the rest of the item")
        #expect(try source.change(job: "job-off", to: .on, seen: .on) == nil, "already so: nothing written")
    }

    @Test func aJobChangedMeanwhileIsAConflictThatNamesIt() throws {
        let t = try Self.table()
        let source = try t.source()
        try t.cli.json(["dynamodb", "update-item", "--table-name", "jobs", "--key", #"{"job_id":{"S":"job-off"}}"#,
                        "--update-expression", "SET is_feature_enabled = :t",
                        "--expression-attribute-values", #"{":t":{"BOOL":true}}"#])
        let e = #expect(throws: DynamoDBJobsError.self) { try source.change(job: "job-off", to: .absent, seen: .off) }
        #expect(e == .conflict(table: "jobs", attribute: JobsTable.attribute, job: "job-off", seen: "off", now: "on"))
        #expect(e?.exitCode == 2)
        #expect(e?.description.hasPrefix("job job-off was changed in DynamoDB table jobs outside flagdeck") == true)
        #expect(e?.sourceError(uri: "u").exitCode == 2)
        #expect(try source.read(job: "job-off") == .on, "nothing written")
        // The same holds when flagdeck thinks nothing needs writing.
        let same = #expect(throws: DynamoDBJobsError.self) { try source.change(job: "job-off", to: .off, seen: .off) }
        #expect(same?.exitCode == 2)
    }

    @Test func aJobThatDoesNotExistIsAnErrorAndIsNeverCreated() throws {
        let t = try Self.table()
        let source = try t.source()
        for target in [DynamoDBJobState.on, .off, .absent] {
            let e = #expect(throws: DynamoDBJobsError.self) { try source.change(job: "job-nope", to: target, seen: target == .absent ? .on : .absent) }
            #expect(e == .noSuchJob(table: "jobs", key: "job_id", job: "job-nope"))
            #expect(e?.description == "no item with job_id = job-nope in DynamoDB table jobs; flagdeck never creates items")
        }
        #expect(try source.read(job: "job-nope") == nil)
        #expect(try t.items().count == 4)
    }

    @Test func aNonBooleanIsNeverOverwritten() throws {
        let t = try Self.table()
        let source = try t.source()
        // flagdeck saw it as it is: refused before any call.
        let seen = #expect(throws: DynamoDBJobsError.self) { try source.change(job: "job-odd", to: .off, seen: .notBoolean(.s("yes"))) }
        #expect(seen == .notBoolean(table: "jobs", attribute: JobsTable.attribute, job: "job-odd", value: "S(yes)"))
        // flagdeck's view was stale: the condition catches it.
        let stale = #expect(throws: DynamoDBJobsError.self) { try source.change(job: "job-odd", to: .off, seen: .on) }
        #expect(stale?.description.contains("not a boolean; flagdeck never overwrites it") == true)
        #expect(try t.items()["job-odd"]?[JobsTable.attribute] == .s("yes"))
    }
}
