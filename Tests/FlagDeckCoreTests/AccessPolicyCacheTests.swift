import Foundation
import Testing
@testable import FlagDeckCore

/// The decoded-policy cache (`DecodedPolicy`) is keyed by the stored text, so it must
/// never authorise against a policy that another connection has replaced, nor keep
/// refusing after a readable policy is restored.
@Suite("AccessPolicy cache")
struct AccessPolicyCacheTests {
    @Test func aPolicyReplacedByAnotherConnectionIsNeverServed() throws {
        let fx = try Fixture(actor: Actor(name: "root", host: "h"))
        let path = try #require((fx.store as? SQLiteStore)?.location)
        let both = AccessPolicy(admins: ["user:root"], allow: [.init(principal: "user:root", envs: "*"),
                                                               .init(principal: "user:alice", envs: "*")])
        try fx.ops.setPolicy(both, reason: "root and alice")
        // Warm the cache and this connection's commit memo with the policy root may use.
        try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "allowed")
        try fx.ops.unkill(flag: "beta.api", env: "sandbox/dev", reason: "allowed")

        let second = Operations(store: try SQLiteStore(path: path), actor: Actor(name: "root", host: "h2"), clock: { fx.clock.now })
        try second.setPolicy(AccessPolicy(admins: ["user:root"], allow: [.init(principal: "user:alice", envs: "*")]),
                             reason: "only alice now")
        #expect(throws: FlagDeckError.self) { try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "no longer allowed") }
        #expect(try fx.state("beta.api", "sandbox/dev").killed == false)

        // And back: the first connection sees the restored rule at once.
        try second.setPolicy(both, reason: "root again")
        try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "allowed again")
        #expect(try fx.state("beta.api", "sandbox/dev").killed)
    }

    @Test func theCacheAnswersOnlyForTheTextItIsGiven() {
        let root = AccessPolicy(admins: ["user:root"], allow: [.init(principal: "user:root", envs: "*")])
        let alice = AccessPolicy(admins: ["user:root"], allow: [.init(principal: "user:alice", envs: "*")])
        #expect(AccessPolicy.decode(root.json) == root)
        #expect(AccessPolicy.decode(alice.json) == alice)
        #expect(AccessPolicy.decode(root.json) == root)
        #expect(AccessPolicy.decode("{not json").problem != nil)
        #expect(AccessPolicy.decode(alice.json) == alice)
        #expect(!AccessPolicy.isOpen(alice.json))
        #expect(AccessPolicy.isOpen(AccessPolicy(admins: ["user:root"]).json))
        #expect(!AccessPolicy.isOpen("{\"allow\":[]}"))
    }
}
