import Foundation
import Testing
@testable import FlagDeckCore

@Suite("Access policy")
struct AccessPolicyTests {
    @Test func initMakesTheInitializerAdminAndLeavesTheInventoryOpen() throws {
        let fx = try Fixture(actor: Actor(name: "root", host: "h"))
        let p = try fx.ops.policy()
        #expect(p.admins == ["user:root"])
        #expect(p.isOpen)
        try fx.other("mallory").setEnabled(true, flag: "beta.api", env: "sandbox/dev")
    }

    @Test func rulesRestrictChangesAndDenialsAreAudited() throws {
        let fx = try Fixture(actor: Actor(name: "root", host: "h"))
        try fx.ops.setPolicy(AccessPolicy(admins: ["user:root"], allow: [
            .init(principal: "user:alice", envs: "sandbox/*"),
            .init(principal: "group:sre", envs: "*"),
        ]), reason: "lock down prod")
        let alice = try fx.other("alice")
        try alice.setEnabled(true, flag: "beta.api", env: "sandbox/dev")
        let before = try fx.events().count
        do {
            try alice.kill(flag: "beta.api", env: "payments/prod", reason: "oops")
            Issue.record("alice must not kill in payments/prod")
        } catch let FlagDeckError.denied(op, _, target, allowed) {
            #expect(op == "alice" && target == "payments/prod" && allowed == ["group:sre"])
        }
        let events = try fx.events()
        #expect(events.count == before + 1)
        #expect(events.last?.action == "denied" && events.last?.operator == "alice" && events.last?.env == "payments/prod")
        #expect(try fx.state("beta.api", "payments/prod").killed == false)
        let sre = Operations(store: fx.store, actor: Actor(name: "bob", host: "h", groups: ["sre"]), clock: { fx.clock.now })
        try sre.kill(flag: "beta.api", env: "payments/prod", reason: "incident")
        #expect(try AuditLog.verify(fx.store).ok)
    }

    @Test func onlyAdminsChangeThePolicy() throws {
        let fx = try Fixture(actor: Actor(name: "root", host: "h"))
        #expect(throws: FlagDeckError.self) {
            try fx.other("alice").setPolicy(AccessPolicy(admins: ["user:alice"]), reason: "mine now")
        }
        #expect(try fx.ops.policy().admins == ["user:root"])
        #expect(try fx.events().last?.action == "denied")
        #expect(throws: FlagDeckError.invalidPolicy("principal \"alice\": expected user:NAME, group:NAME, role:NAME or *")) {
            try fx.ops.setPolicy(AccessPolicy(admins: ["alice"]), reason: "x")
        }
        let e = try fx.ops.setPolicy(AccessPolicy(admins: ["user:root", "user:alice"]), reason: "share")
        #expect(e.action == "policy.set")
        #expect(e.before?.contains("user:root") == true && e.after?.contains("user:alice") == true)
    }

    @Test func globsMatchAccountAndEnvironment() {
        let p = AccessPolicy(admins: [], allow: [.init(principal: "*", envs: "payments-*/eu-*")])
        let a = Actor(name: "x", host: "h")
        #expect(p.mayChange(EnvironmentID(account: "payments-prod", name: "eu-west-1"), as: a))
        #expect(!p.mayChange(EnvironmentID(account: "payments-prod", name: "us-east-1"), as: a))
        #expect(!p.mayChange(EnvironmentID(account: "platform", name: "eu-west-1"), as: a))
    }
}

/// A stored policy that does not decode must fail closed: an empty policy would allow
/// everything (issue 12.3).
@Suite("Access policy fails closed")
struct AccessPolicyFailsClosedTests {
    func breakPolicy(_ fx: Fixture) throws {
        try fx.store.write { w in
            try w.setSetting(AccessPolicy.settingKey, "{\"admins\":[\"user:root\"],\"allow\":[{\"principal\":")
            try w.append(AuditDraft(at: fx.clock.now, actor: Actor(name: "vandal", host: "h"), action: "setting.set",
                                    flag: nil, env: nil, before: nil, after: nil, reason: "corrupt the policy"))
        }
    }

    @Test func everyChangeIsRefusedNamingTheProblemAndTheFix() throws {
        let fx = try Fixture(actor: Actor(name: "root", host: "h"))
        try breakPolicy(fx)
        for attempt in [
            { _ = try fx.ops.setEnabled(true, flag: "beta.api", env: "sandbox/dev") },
            { _ = try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "x") },
            { _ = try fx.ops.createFlag(Flag(key: "new.flag", createdAt: fx.clock.now)) },
            { _ = try fx.ops.setSetting("lifecycle.stable_window_days", to: "30", reason: "x") },
        ] as [() throws -> Void] {
            do {
                try attempt()
                Issue.record("a change went through an unreadable policy")
            } catch let FlagDeckError.policyUnreadable(problem) {
                #expect(problem.contains("not valid policy JSON"))
                #expect(FlagDeckError.policyUnreadable(problem).description.contains("flagdeck policy set"))
            }
        }
        // Reads keep working.
        #expect(try fx.state("beta.api", "sandbox/dev").enabled == false)
        #expect(try fx.ops.policy().problem != nil)
    }

    @Test func doctorReportsIt() throws {
        let fx = try Fixture(actor: Actor(name: "root", host: "h"))
        try breakPolicy(fx)
        let finding = Doctor.examine(path: fx.store.location).first { $0.check == "policy" }
        #expect(finding?.status == .fail)
        #expect(finding?.fix?.contains("policy set") == true)
    }

    @Test func theAdminOfTheLastRecordedPolicyCanReplaceIt() throws {
        let fx = try Fixture(actor: Actor(name: "root", host: "h"))
        try breakPolicy(fx)
        #expect(throws: FlagDeckError.self) {
            try fx.other("mallory").setPolicy(AccessPolicy(admins: ["user:mallory"]), reason: "mine")
        }
        try fx.ops.setPolicy(AccessPolicy(admins: ["user:root"]), reason: "repair the policy")
        try fx.ops.setEnabled(true, flag: "beta.api", env: "sandbox/dev")
        #expect(try fx.state("beta.api", "sandbox/dev").enabled)
    }
}
