import FlagDeckAWSTestSupport
import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing

/// ministack with AUTH=true evaluates IAM policies: users allowed only some DynamoDB
/// actions get AccessDeniedException, and flagdeck says so, naming the table and the
/// action, and writes nothing.
@Suite struct AccessDeniedTests {
    static func user(_ m: Ministack, allow actions: [String]) throws -> AWSCredentials {
        let admin = AWSCLI(endpoint: m.endpoint)  // the key `test` is accepted unverified
        let name = "ddb-\(UUID().uuidString.prefix(8))"
        try admin.json(["iam", "create-user", "--user-name", name])
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[\#(actions.map { "\"\($0)\"" }.joined(separator: ","))],"Resource":"*"}]}"#
        try admin.json(["iam", "put-user-policy", "--user-name", name, "--policy-name", "jobs", "--policy-document", policy])
        let key = try admin.object(["iam", "create-access-key", "--user-name", name])["AccessKey"] as? [String: Any]
        return AWSCredentials(accessKeyId: key?["AccessKeyId"] as? String ?? "", secretAccessKey: key?["SecretAccessKey"] as? String ?? "")
    }

    static func client(_ m: Ministack, _ c: AWSCredentials) throws -> AWSClient {
        try AWSClient(AWSClientConfiguration(region: "us-east-1", endpointURL: m.endpoint, credentials: c,
                                             environment: JobsTable.isolatedEnvironment, retry: .standard))
    }

    @Test func deniedActionsAreClearAndNothingIsWritten() throws {
        let m = try Ministack.shared(auth: true)
        let admin = try Self.client(m, AWSCredentials(accessKeyId: "test", secretAccessKey: "test"))
        let table = "jobs-\(UUID().uuidString.prefix(8))"
        _ = try admin.dynamoDB.createTable(DynamoDBCreateTableRequest(tableName: table, partitionKey: "job_id"))
        try admin.dynamoDB.batchPut(table: table, items: JobsTable.jobs(30) { _ in .bool(true) })
        let location = SourceURI.DynamoDBLocation(profile: nil, region: "us-east-1", table: table, key: "job_id",
                                                  attribute: JobsTable.attribute, flag: "feature")

        // Cannot even describe the table: refused at bind time.
        let blind = try Self.client(m, try Self.user(m, allow: ["dynamodb:Scan", "dynamodb:GetItem"]))
        let e = #expect(throws: DynamoDBJobsError.self) { try DynamoDBJobsSource(location: location, client: blind) }
        guard case .accessDenied(let t, let detail)? = e else { Issue.record("\(String(describing: e))"); return }
        #expect(t == table)
        #expect(detail.contains("dynamodb:DescribeTable"))
        #expect(e!.description.hasPrefix("access denied to DynamoDB table \(table)"))

        // A read-only operator: sync works, every write is refused, nothing changes.
        let reader = try Self.client(m, try Self.user(m, allow: ["dynamodb:DescribeTable", "dynamodb:Scan", "dynamodb:GetItem"]))
        let source = try DynamoDBJobsSource(location: location, client: reader)
        let snap = try source.scan()
        #expect(snap.jobs(.on).count == 30)
        let killed = try DynamoDBBulkEngine(source: source).run(DynamoDBBulkPlan.kill(snap, uri: source.uri), journal: { _ in })
        #expect(!killed.isComplete)
        #expect(killed.failed.count == 30)
        #expect(killed.failed.allSatisfy { $0.error.contains("dynamodb:UpdateItem") })
        #expect(killed.interruptions.last?.hasPrefix("every write of a batch was refused") == true)
        let one = #expect(throws: DynamoDBJobsError.self) { try source.change(job: "job-00001", to: .off, seen: .on) }
        if case .accessDenied? = one {} else { Issue.record("expected access denied, got \(String(describing: one))") }
        #expect(try DynamoDBJobsSource(location: location, client: admin).scan().jobs(.on).count == 30, "nothing written")
    }
}
