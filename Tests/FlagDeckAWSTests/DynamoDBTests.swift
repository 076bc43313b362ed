import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

@Suite struct DynamoDBTests {
    static func table(_ client: AWSClient, _ name: String) throws -> DynamoDBTableDescription {
        _ = try client.dynamoDB.createTable(DynamoDBCreateTableRequest(tableName: name, partitionKey: "job_id"))
        let ready = try Deadline.poll(10) { () -> DynamoDBTableDescription? in
            let t = try client.dynamoDB.describeTable(name)
            return t.tableStatus == "ACTIVE" ? t : nil
        }
        return try #require(ready)
    }

    @Test func parallelSegmentedScanReturnsEachItemExactlyOnce() throws {
        let client = try Emulator.client()
        let db = client.dynamoDB
        let t = try Self.table(client, "jobs")
        #expect(t.partitionKey == "job_id" && t.sortKey == nil)
        let items: [DynamoDBItem] = (0..<1000).map { i in
            ["job_id": .s(String(format: "job-%04d", i)), "flag": .bool(i % 3 == 0), "weight": .n("\(i).5"),
             "payload": .s(String(repeating: "x", count: 50))]
        }
        try db.batchPut(table: "jobs", items: items)

        let scanned = try db.parallelScan(DynamoDBScanRequest(tableName: "jobs", projectionExpression: "#j, #f",
                                                              expressionAttributeNames: ["#j": "job_id", "#f": "flag"],
                                                              consistentRead: true, limit: 97),
                                          totalSegments: 4)
        let ids = scanned.compactMap { $0["job_id"]?.stringValue }
        #expect(ids.count == 1000)
        #expect(Set(ids).count == 1000)
        #expect(Set(ids) == Set(items.compactMap { $0["job_id"]?.stringValue }))
        #expect(scanned.allSatisfy { Set($0.keys) == ["job_id", "flag"] }, "projection keeps only the named attributes")
        let killed = scanned.filter { $0["flag"] == .bool(true) }.count
        #expect(killed == 334)
    }

    @Test func paginationFollowsLastEvaluatedKey() throws {
        let client = try Emulator.client()
        _ = try Self.table(client, "pages")
        try client.dynamoDB.batchPut(table: "pages", items: (0..<30).map { ["job_id": .s("j\($0)")] })
        let first = try client.dynamoDB.scan(DynamoDBScanRequest(tableName: "pages", limit: 10))
        #expect(first.items.count == 10)
        #expect(first.lastEvaluatedKey != nil)
        #expect(try client.dynamoDB.scanAll(DynamoDBScanRequest(tableName: "pages", limit: 7)).count == 30)
    }

    @Test func conditionalUpdateSucceedsThenFailsDistinctly() throws {
        let client = try Emulator.client()
        let db = client.dynamoDB
        _ = try Self.table(client, "flags")
        let key: DynamoDBItem = ["job_id": .s("job-1")]
        try db.putItem(table: "flags", item: key.merging(["enabled": .bool(true), "rev": .n("1")]) { $1 })

        let after = try db.updateItem(DynamoDBUpdateItemRequest(
            tableName: "flags", key: key, updateExpression: "SET #e = :off, #r = #r + :one",
            conditionExpression: "#r = :expected",
            expressionAttributeNames: ["#e": "enabled", "#r": "rev"],
            expressionAttributeValues: [":off": .bool(false), ":one": .n("1"), ":expected": .n("1")],
            returnValues: .allNew))
        #expect(after?["enabled"] == .bool(false))
        #expect(after?["rev"] == .n("2"))

        let stale = DynamoDBUpdateItemRequest(
            tableName: "flags", key: key, updateExpression: "SET #e = :on",
            conditionExpression: "#r = :expected", expressionAttributeNames: ["#e": "enabled", "#r": "rev"],
            expressionAttributeValues: [":on": .bool(true), ":expected": .n("1")],
            returnValuesOnConditionCheckFailure: "ALL_OLD")
        do {
            try db.updateItem(stale)
            Issue.record("a stale condition must fail")
        } catch AWSError.conditionalCheckFailed(let f, _) {
            #expect(f.code == "ConditionalCheckFailedException")
            #expect(f.context.operation == "UpdateItem" && f.context.resource == "table flags")
        }
        let now = try db.getItem(DynamoDBGetItemRequest(tableName: "flags", key: key, consistentRead: true))
        #expect(now?["enabled"] == .bool(false), "a failed condition changes nothing")
        #expect(try db.getItem(DynamoDBGetItemRequest(tableName: "flags", key: ["job_id": .s("absent")])) == nil)
    }

    /// Sets come back in any order and numbers normalised; everything else is exact.
    @Test func everyAttributeTypeRoundTripsThroughTheService() throws {
        let client = try Emulator.client()
        _ = try Self.table(client, "types")
        let item: DynamoDBItem = [
            "job_id": .s("all-types"), "s": .s("é旗 \"quoted\" \\ / \n"), "n": .n("0.10"), "big": .n("123456789012345678901234567890"),
            "neg": .n("-1e-5"), "b": .b(Data([0, 1, 2, 255])), "ss": .ss(["a", "b"]), "ns": .ns(["1", "2.5"]),
            "bs": .bs([Data([1]), Data([2, 3])]), "m": .m(["inner": .l([.null, .bool(true), .m([:])])]),
            "l": .l([.s("x"), .n("1"), .l([])]), "null": .null, "t": .bool(true), "f": .bool(false),
        ]
        try client.dynamoDB.putItem(table: "types", item: item)
        let back = try #require(try client.dynamoDB.getItem(DynamoDBGetItemRequest(
            tableName: "types", key: ["job_id": .s("all-types")], consistentRead: true)))
        for (k, v) in item {
            switch v {
            case .ss(let a): #expect(Set(back[k]?.setStrings ?? []) == Set(a), "\(k)")
            case .ns(let a): #expect(Set(back[k]?.setStrings ?? []) == Set(a), "\(k)")
            case .bs(let a): if case .bs(let b)? = back[k] { #expect(Set(b) == Set(a)) } else { Issue.record("bs") }
            case .n(let a):
                // DynamoDB normalises numbers ("0.10" comes back "0.1"), as the real service does;
                // the client itself keeps the digits it is given (DynamoDBValueTests).
                #expect(back[k]?.numberValue.flatMap { Decimal(string: $0) } == Decimal(string: a), "\(k)")
            default: #expect(back[k] == v, "\(k)")
            }
        }
    }
}

extension DynamoDBValue {
    var setStrings: [String]? {
        switch self {
        case .ss(let a), .ns(let a): return a
        default: return nil
        }
    }
}
