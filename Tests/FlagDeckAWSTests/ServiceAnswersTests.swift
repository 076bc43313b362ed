import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// Answers the emulator does not give on demand, from a loopback server speaking the
/// services' real formats: pagination, the stale-version conflict, error shapes, and the
/// operator-facing rendering with profile and account.
@Suite struct ServiceAnswersTests {
    @Test func listsFollowNextTokenToTheEnd() throws {
        let server = try LoopbackHTTPServer { r in
            let token = r.query?.split(separator: "&").first { $0.hasPrefix("next_token=") }
                .map { String($0.dropFirst("next_token=".count)).removingPercentEncoding ?? "" }
            switch token {
            case nil: return .json(200, #"{"Items":[{"Id":"a1","Name":"one"},{"Id":"a2","Name":"two"}],"NextToken":"t1"}"#)
            case "t1": return .json(200, #"{"Items":[{"Id":"a3","Name":"three"}],"NextToken":"t/2+=="}"#)
            case "t/2+==": return .json(200, #"{"Items":[{"Id":"a4","Name":"two"}]}"#)
            default: return .json(400, #"{"message":"bad token"}"#, headers: ["x-amzn-ErrorType": "BadRequestException"])
            }
        }
        defer { server.stop() }
        let client = try RetryTests.client(server.endpoint)
        let apps = try client.appConfig.listApplications()
        #expect(apps.map(\.id) == ["a1", "a2", "a3", "a4"])
        #expect(server.log.count == 3)
        #expect(server.log.map(\.path) == ["/applications", "/applications", "/applications"])
        // Resolution: ids win, a unique name resolves, a duplicate name is refused with its ids.
        #expect(try client.appConfig.resolveApplication("a3").name == "three")
        #expect(try client.appConfig.resolveApplication("one").id == "a1")
        let dup = #expect(throws: AWSError.self) { try client.appConfig.resolveApplication("two") }
        #expect(dup?.description.contains("ids a2, a4") == true)
    }

    @Test func aStaleLatestVersionNumberIsAVersionConflict() throws {
        let server = try LoopbackHTTPServer { r in
            guard r.method == "POST" else { return .json(404, "{}") }
            if r.headers["latest-version-number"] == "7" {
                return LoopbackHTTPServer.Response(status: 201, headers: ["Content-Type": "application/json", "Version-Number": "8",
                                                                          "Application-Id": "app", "Configuration-Profile-Id": "prof"],
                                                   body: r.body)
            }
            return .json(409, #"{"Message":"The LatestVersionNumber does not match the latest version 7","Code":"ConflictException"}"#,
                         headers: ["x-amzn-ErrorType": "ConflictException"])
        }
        defer { server.stop() }
        let ac = try RetryTests.client(server.endpoint).appConfig
        let ok = try ac.createHostedConfigurationVersion(application: "app", profile: "prof", content: Data("{}".utf8),
                                                         contentType: "application/json", latestVersionNumber: 7)
        #expect(ok.versionNumber == 8)
        #expect(server.log.last?.headers["content-type"] == "application/json")
        do {
            _ = try ac.createHostedConfigurationVersion(application: "app", profile: "prof", content: Data("{}".utf8),
                                                        contentType: "application/json", latestVersionNumber: 6)
            Issue.record("a stale version must be refused")
        } catch AWSError.versionConflict(let f, let expected) {
            #expect(expected == 6)
            #expect(f.httpStatus == 409)
            #expect(f.code == "ConflictException")
        }
        #expect(server.log.count == 2, "a conflict is not retried")
    }

    @Test func errorShapesOfBothProtocolsAreRead() throws {
        let server = try LoopbackHTTPServer { r in
            if r.headers["x-amz-target"] != nil {
                return .json(400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found: Table: jobs not found"}"#,
                             headers: ["x-amzn-RequestId": "RID-1"])
            }
            if r.path == "/" {
                let xml = """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/x is not authorized to perform: sts:AssumeRole on &lt;role&gt;</Message></Error>
                  <RequestId>RID-2</RequestId>
                </ErrorResponse>
                """
                return LoopbackHTTPServer.Response(status: 403, headers: ["Content-Type": "text/xml"], body: Data(xml.utf8))
            }
            return .json(404, #"{"Message":"Application a1 not found"}"#,
                         headers: ["x-amzn-ErrorType": "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/"])
        }
        defer { server.stop() }
        let client = try RetryTests.client(server.endpoint)
        let ddb = #expect(throws: AWSError.self) { try client.dynamoDB.describeTable("jobs") }
        #expect(ddb?.code == "ResourceNotFoundException")
        #expect(ddb?.failure?.requestId == "RID-1")
        #expect(ddb?.failure?.message == "Requested resource not found: Table: jobs not found")
        let sts = #expect(throws: AWSError.self) { try client.sts.getCallerIdentity() }
        #expect(sts?.code == "AccessDenied")
        #expect(sts?.httpStatus == 403)
        #expect(sts?.failure?.message.hasSuffix("on <role>") == true)
        #expect(sts?.failure?.requestId == "RID-2")
        let ac = #expect(throws: AWSError.self) { try client.appConfig.listEnvironments(application: "a1") }
        #expect(ac?.code == "ResourceNotFoundException")
        #expect(ac?.failure?.message == "Application a1 not found")
    }

    @Test func errorsRenderForOperatorsWithProfileAndAccount() throws {
        let server = try LoopbackHTTPServer { _ in
            .json(403, #"{"Message":"User: arn:aws:iam::222222222222:user/ci is not authorized to perform: appconfig:CreateHostedConfigurationVersion"}"#,
                  headers: ["x-amzn-ErrorType": "AccessDeniedException"])
        }
        defer { server.stop() }
        let files = TempAWSFiles(config: """
            [profile payments-prod]
            region = eu-central-1
            aws_account_id = 222222222222
            endpoint_url = \(server.endpoint)
            """, credentials: """
            [payments-prod]
            aws_access_key_id = AKIDPAYMENTS
            aws_secret_access_key = payments-secret-do-not-print
            """)
        let client = try AWSClient(AWSClientConfiguration(profile: "payments-prod", environment: files.environment(),
                                                          retry: RetryTests.fast))
        let error = #expect(throws: AWSError.self) {
            try client.appConfig.createHostedConfigurationVersion(application: "checkout", profile: "flags",
                                                                  content: Data("{}".utf8), contentType: "application/json")
        }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("profile payments-prod (account 222222222222): AccessDeniedException: User: arn:aws:iam::222222222222:user/ci is not authorized"))
        #expect(text.contains("appconfig:CreateHostedConfigurationVersion on application checkout profile flags"))
        #expect(text.contains("HTTP 403"))
        #expect(!text.contains("payments-secret-do-not-print"))
    }
}
