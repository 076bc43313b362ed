import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// Signs ~170 requests with botocore's own SigV4Auth (the script generates the vectors
/// and signs them at fixed instants) and with `SigV4`, and compares every intermediate
/// string byte for byte. botocore is the live oracle: no expected output is committed.
@Suite struct SigV4DifferentialTests {
    struct Vector: Decodable {
        struct Input: Decodable {
            var method: String
            var scheme: String
            var host: String
            var port: Int?
            var path: String
            var query: [[String]]
            var headers: [[String]]
            var body_b64: String
            var service: String
            var region: String
            var access_key: String
            var secret_key: String
            var token: String?
            var time: Double
            var labels: [String]?
        }
        struct Botocore: Decodable {
            var url: String
            var wire_query: String
            var authorization: String
            var x_amz_date: String
            var x_amz_security_token: String?
            var canonical_request: String
            var string_to_sign: String
            var headers: [[String]]
        }
        var id: Int
        var input: Input
        var botocore: Botocore
    }

    static func vectors() throws -> [Vector] {
        let venv = try PythonVenv.consumers.ensure()
        let r = try venv.run(RepoRoot.path("Tests/FlagDeckAWSTests/python/sigv4_oracle.py"))
        guard r.status == 0 else { throw ProcessFailure("sigv4_oracle.py failed: \(r.stderr)") }
        return try JSONDecoder().decode([Vector].self, from: Data(r.stdout.utf8))
    }

    @Test func matchesBotocoreByteForByte() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count >= 150)
        var services = Set<String>(), regions = Set<String>()
        for v in vectors {
            let i = v.input
            services.insert(i.service)
            regions.insert(i.region)
            let request = HTTPRequest(method: i.method, scheme: i.scheme, host: i.host, port: i.port, path: i.path,
                                      query: i.query.map { QueryItem($0[0], $0[1]) },
                                      headers: HTTPHeaders(i.headers.map { ($0[0], $0[1]) }),
                                      body: Data(base64Encoded: i.body_b64)!)
            let creds = AWSCredentials(accessKeyId: i.access_key, secretAccessKey: i.secret_key, sessionToken: i.token)
            let (signed, sig) = SigV4.sign(request, credentials: creds, service: i.service, region: i.region,
                                           date: Date(timeIntervalSince1970: i.time))
            let b = v.botocore
            #expect(sig.canonicalRequest == b.canonical_request, "vector \(v.id): canonical request")
            #expect(sig.stringToSign == b.string_to_sign, "vector \(v.id): string to sign")
            #expect(sig.authorization == b.authorization, "vector \(v.id): Authorization")
            #expect(sig.amzDate == b.x_amz_date, "vector \(v.id): X-Amz-Date")
            #expect(signed.headers["Authorization"] == b.authorization, "vector \(v.id)")
            #expect(signed.headers["X-Amz-Date"] == b.x_amz_date, "vector \(v.id)")
            #expect(signed.headers["X-Amz-Security-Token"] == b.x_amz_security_token, "vector \(v.id): token header")
            #expect(request.encodedQuery == b.wire_query, "vector \(v.id): wire query")
            if !i.path.isEmpty {  // botocore leaves an empty path empty; we send "/"
                #expect(signed.urlString == b.url, "vector \(v.id): URL")
            }
            let ours = Dictionary(signed.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
            let theirs = Dictionary(b.headers.map { ($0[0].lowercased(), $0[1]) }, uniquingKeysWith: { $1 })
            #expect(ours == theirs, "vector \(v.id): final headers")
            if let labels = i.labels {
                #expect(Path.segments(labels) == i.path, "vector \(v.id): path labels encoded as botocore's serializer")
            }
        }
        #expect(services == ["appconfig", "appconfigdata", "sts", "dynamodb"])
        #expect(regions.count >= 4)
    }

    /// AWS's published example (IAM ListUsers, in the SigV4 docs), independent of botocore.
    @Test func awsDocumentationExample() {
        var headers = HTTPHeaders()
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        let request = HTTPRequest(method: "GET", host: "iam.amazonaws.com", path: "/",
                                  query: [QueryItem("Action", "ListUsers"), QueryItem("Version", "2010-05-08")],
                                  headers: headers)
        let creds = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let (_, sig) = SigV4.sign(request, credentials: creds, service: "iam", region: "us-east-1",
                                  date: Date(timeIntervalSince1970: 1_440_938_160))
        #expect(sig.signature == "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
        #expect(sig.signedHeaders == "content-type;host;x-amz-date")
    }
}
