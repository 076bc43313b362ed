import FlagDeckAWS
import FlagDeckTestSupport
import Foundation
import Testing

/// One client, many threads: the way a grid over dozens of environments uses it.
@Suite struct ConcurrencyTests {
    static func onThreads(_ n: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for i in 0..<n {
            group.enter()
            Thread { body(i); group.leave() }.start()
        }
        group.wait()
    }

    @Test func oneClientServesManyThreads() throws {
        let client = try Emulator.client()
        let app = try client.appConfig.createApplication(name: "shared")
        let failures = Counter(), calls = Counter()
        Self.onThreads(8) { i in
            for _ in 0..<10 {
                do {
                    if i % 2 == 0 { _ = try client.sts.getCallerIdentity() } else {
                        guard try client.appConfig.listApplications().contains(where: { $0.id == app.id }) else {
                            _ = failures.next(); continue
                        }
                    }
                    _ = calls.next()
                } catch { _ = failures.next() }
            }
        }
        #expect(calls.next() == 81)
        #expect(failures.next() == 1)
    }

    @Test func concurrentCallersShareOneCredentialFetch() throws {
        let fetches = Counter()
        let provider = CachingCredentialProvider {
            Thread.sleep(forTimeInterval: 0.05)
            return AWSCredentials(accessKeyId: "AKID\(fetches.next())", secretAccessKey: "s", expiration: Date() + 3600)
        }
        let seen = LockedSet()
        Self.onThreads(16) { _ in
            if let c = try? provider.credentials() { seen.insert(c.accessKeyId) }
        }
        #expect(provider.fetches == 1)
        #expect(seen.values == ["AKID1"])
    }

    @Test func expiredTokenAnswersRefreshCredentialsAndRetryOnce() throws {
        let server = try LoopbackHTTPServer { r in
            r.headers["authorization"]?.contains("Credential=AKID1/") == true
                ? .json(400, #"{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}"#)
                : .json(200, RetryTests.table)
        }
        defer { server.stop() }
        let fetches = Counter()
        let provider = CachingCredentialProvider {
            AWSCredentials(accessKeyId: "AKID\(fetches.next())", secretAccessKey: "s", sessionToken: "t",
                           expiration: Date() + 3600)
        }
        let client = try AWSClient(AWSClientConfiguration(region: "us-east-1", endpointURL: server.endpoint,
                                                          credentialProvider: provider,
                                                          environment: TempAWSFiles().environment()))
        #expect(try client.dynamoDB.describeTable("jobs").tableName == "jobs")
        #expect(provider.fetches == 2)
        #expect(server.log.count == 2)
    }
}

final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var set = Set<String>()
    func insert(_ s: String) { lock.lock(); set.insert(s); lock.unlock() }
    var values: Set<String> { lock.lock(); defer { lock.unlock() }; return set }
}
