import Foundation
import Testing
@testable import FlagDeckCore

@Suite("Operations")
struct OperationsTests {
    @Test func unkillRestoresThePreKillStateExactly() throws {
        let fx = try Fixture()
        try fx.ops.setRules(flag: "checkout.v2", env: "payments/prod", rules: #"[{"b":1,"a":2}]"#, defaultValue: #"{"z":1,"y":2}"#, reason: "r")
        try fx.ops.setRollout(flag: "checkout.v2", env: "payments/prod", basisPoints: 3_355, reason: "ramp")
        try fx.ops.setEnabled(true, flag: "checkout.v2", env: "payments/prod", reason: "go")
        let before = try fx.state("checkout.v2", "payments/prod")
        try fx.ops.kill(flag: "checkout.v2", env: "payments/prod", reason: "500s")
        let killed = try fx.state("checkout.v2", "payments/prod")
        #expect(killed.cell == .killed)
        try fx.ops.unkill(flag: "checkout.v2", env: "payments/prod", reason: "fixed")
        let after = try fx.state("checkout.v2", "payments/prod")
        #expect(after.enabled == before.enabled)
        #expect(after.rolloutBasisPoints == 3_355)
        #expect(after.rules == before.rules && after.defaultValue == before.defaultValue)
        #expect(after.cell == .partial(basisPoints: 3_355))
        #expect(after.version == before.version + 2)
    }

    @Test func killNeedsAReasonEverywhereAndOtherChangesOnlyInProtected() throws {
        let fx = try Fixture()
        #expect(throws: FlagDeckError.reasonRequired(action: "kill", env: "sandbox/dev")) {
            try fx.ops.kill(flag: "checkout.v2", env: "sandbox/dev", reason: "  ")
        }
        try fx.ops.setEnabled(true, flag: "checkout.v2", env: "sandbox/dev")
        #expect(throws: FlagDeckError.reasonRequired(action: "enable", env: "sandbox/prod")) {
            try fx.ops.setEnabled(true, flag: "checkout.v2", env: "sandbox/prod", reason: nil)
        }
    }

    @Test func staleVersionIsAConflictNamingWhoChangedIt() throws {
        let fx = try Fixture()
        let read = try fx.state("checkout.v2", "sandbox/dev")
        try fx.other("bob").setRollout(flag: "checkout.v2", env: "sandbox/dev", basisPoints: 5_000, reason: "ramp to half")
        do {
            try fx.ops.kill(flag: "checkout.v2", env: "sandbox/dev", reason: "x", expectedVersion: read.version)
            Issue.record("expected a conflict")
        } catch let FlagDeckError.conflict(c) {
            #expect(c.changedBy == "bob")
            #expect(c.expectedVersion == read.version && c.currentVersion == read.version + 1)
            #expect(c.lastAction == "rollout: ramp to half")
            #expect(FlagDeckError.conflict(c).exitCode == 2)
        }
        #expect(try fx.state("checkout.v2", "sandbox/dev").killed == false)
    }

    @Test func killedCellsRefuseEnableAndRolloutUntilUnkilled() throws {
        let fx = try Fixture()
        try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "x")
        #expect(throws: FlagDeckError.flagIsKilled(flag: "beta.api", env: "sandbox/dev")) {
            try fx.ops.setEnabled(true, flag: "beta.api", env: "sandbox/dev")
        }
        // Killing what is already killed is success with nothing written (issue 12: idempotent changes).
        let count = try fx.events().count
        let again = try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "x")
        #expect(!again.changed)
        #expect(again.unchangedReason == "beta.api in sandbox/dev is already killed; nothing written")
        #expect(try fx.events().count == count)
    }

    @Test func killEverywhereSkipsAlreadyKilledAndIsAtomic() throws {
        let fx = try Fixture()
        try fx.ops.kill(flag: "beta.api", env: "sandbox/dev", reason: "x")
        let r = try fx.ops.killEverywhere(flag: "beta.api", reason: "all")
        #expect(r.skipped == ["sandbox/dev"])
        #expect(r.events.count == 3)
        // A stale version in one environment aborts the whole kill: nothing is written.
        try fx.ops.unkillEverywhere(flag: "beta.api", reason: "ok")
        let staging = try fx.state("beta.api", "payments/staging")
        let count = try fx.events().count
        #expect(throws: FlagDeckError.self) {
            try fx.ops.killEverywhere(flag: "beta.api", reason: "all",
                                      expectedVersions: [staging.env: staging.version - 1])
        }
        #expect(try fx.events().count == count)
        #expect(try fx.store.read { try $0.states(flag: "beta.api") }.allSatisfy { !$0.killed })
    }

    @Test func dependencyCyclesAndUnknownDependenciesAreRejected() throws {
        let fx = try Fixture()
        #expect(throws: FlagDeckError.dependencyCycle(["checkout.v2", "beta.api", "checkout.v2"])) {
            try fx.ops.editFlag("checkout.v2") { $0.dependsOn = ["beta.api"] }
        }
        #expect(throws: FlagDeckError.unknownDependency(flag: "x", dependsOn: "missing")) {
            try fx.ops.createFlag(Flag(key: "x", createdAt: fx.clock.now, dependsOn: ["missing"]))
        }
        #expect(throws: FlagDeckError.dependencyCycle(["self", "self"])) {
            try fx.ops.createFlag(Flag(key: "self", createdAt: fx.clock.now, dependsOn: ["self"]))
        }
        let all = try fx.store.read { try $0.flags() }
        #expect(DependencyGraph.dependents(of: "checkout.v2", in: all) == ["beta.api"])
    }

    @Test func editFlagIsVersionedAndAudited() throws {
        let fx = try Fixture()
        let f = try fx.ops.editFlag("search-ranking", reason: "handover") { $0.owner = "ranking-team" }
        #expect(f.version == 2 && f.owner == "ranking-team")
        #expect(try fx.events().last?.action == "flag.edit")
        #expect(throws: FlagDeckError.self) {
            try fx.ops.editFlag("search-ranking", expectedVersion: 1) { $0.owner = "x" }
        }
    }

    @Test func createFlagValidatesKey() throws {
        let fx = try Fixture()
        for bad in ["", "has space", "slash/no", String(repeating: "k", count: 201), "émoji"] {
            #expect(throws: FlagDeckError.invalidFlagKey(bad)) { try fx.ops.createFlag(Flag(key: bad, createdAt: fx.clock.now)) }
        }
        try fx.ops.createFlag(Flag(key: String(repeating: "k", count: 200), createdAt: fx.clock.now))
        #expect(throws: FlagDeckError.duplicateFlag("beta.api")) { try fx.ops.createFlag(Flag(key: "beta.api", createdAt: fx.clock.now)) }
    }
}
