import Foundation
import GRDB
import Testing
@testable import FlagDeckCore

@Suite("Audit chain")
struct AuditChainTests {
    @Test func chainVerifiesAndLinks() throws {
        let fx = try Fixture()
        try fx.ops.kill(flag: "checkout.v2", env: "sandbox/dev", reason: "why")
        let events = try fx.events()
        #expect(events.first?.prevHash == AuditChain.genesisHash)
        for (a, b) in zip(events, events.dropFirst()) {
            #expect(b.prevHash == a.hash)
            #expect(b.seq == a.seq + 1)
        }
        let report = try AuditLog.verify(fx.store)
        #expect(report.ok)
        #expect(report.count == Int64(events.count))
        #expect(report.head?.hash == events.last?.hash)
    }

    @Test func operatorIsTheActorAndHashCoversEveryField() throws {
        let fx = try Fixture(actor: Actor(name: "oncall", host: "h1"))
        let e = try fx.ops.kill(flag: "checkout.v2", env: "sandbox/dev", reason: "why").events[0]
        #expect(e.operator == "oncall" && e.host == "h1")
        var edited = e
        edited.reason = "another reason"
        #expect(AuditChain.hash(of: edited) != e.hash)
        edited = e
        edited.after = e.after?.replacingOccurrences(of: "\"killed\":true", with: "\"killed\":false")
        #expect(AuditChain.hash(of: edited) != e.hash)
    }

    @Test func canonicalEncodingIsUnambiguous() {
        // Moving text between adjacent fields must change the hash.
        let a = AuditChain.hash(seq: 1, at: "t", operator: "ab", host: "c", action: "x", flag: nil, env: nil,
                                before: nil, after: nil, reason: "", prevHash: AuditChain.genesisHash)
        let b = AuditChain.hash(seq: 1, at: "t", operator: "a", host: "bc", action: "x", flag: nil, env: nil,
                                before: nil, after: nil, reason: "", prevHash: AuditChain.genesisHash)
        let c = AuditChain.hash(seq: 1, at: "t", operator: "a", host: "bc", action: "x", flag: "", env: nil,
                                before: nil, after: nil, reason: "", prevHash: AuditChain.genesisHash)
        #expect(a != b && b != c)
    }

    @Test func triggersRefuseUpdateAndDelete() throws {
        let fx = try Fixture()
        let store = fx.store as! SQLiteStore
        #expect(throws: DatabaseError.self) {
            try store.withDatabase { try $0.execute(sql: "UPDATE audit_event SET reason = 'x' WHERE seq = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try store.withDatabase { try $0.execute(sql: "DELETE FROM audit_event WHERE seq = 1") }
        }
    }

    @Test func verifierNamesEditedContentHashMismatchAndGap() throws {
        let fx = try Fixture()
        let events = try fx.events()
        func check(_ mutate: (inout [AuditEvent]) -> Void) -> AuditVerifier.Problem? {
            var copy = events
            mutate(&copy)
            var r = AuditVerifier.Running()
            for e in copy where r.feed(e) {}
            return r.finish().problem
        }
        #expect(check { _ in } == nil)
        #expect(check { $0[3].reason = "edited" } == .editedContent(seq: 4))
        #expect(check { $0.remove(at: 2) } == .gap(expected: 3, found: 4))
        // A consistently re-hashed edit still breaks the link from the next event.
        #expect(check { evs in
            evs[3].reason = "edited"
            evs[3].hash = AuditChain.hash(of: evs[3])
        } == .hashMismatch(seq: 5))
    }

    @Test func expectedHeadMustStillBeInTheLog() throws {
        let fx = try Fixture()
        let head = try AuditLog.head(fx.store)!
        try fx.ops.kill(flag: "checkout.v2", env: "sandbox/dev", reason: "x")
        #expect(try AuditLog.verify(fx.store, expect: head.hash).ok)
        let r = try AuditLog.verify(fx.store, expect: String(repeating: "a", count: 64))
        #expect(r.problem == .expectedHashMissing(String(repeating: "a", count: 64)))
    }
}

/// Time going backwards is not a broken chain, but `audit verify` names it (issue 12.1).
@Suite("Audit clock warnings")
struct AuditClockWarningTests {
    @Test func anEventStampedHoursBeforeItsPredecessorIsAWarningWithItsSeq() throws {
        let fx = try Fixture()
        try fx.ops.setRollout(flag: "beta.api", env: "sandbox/dev", basisPoints: 2_500)
        fx.clock.advance(-3 * 3600)
        let back = try fx.ops.setRollout(flag: "beta.api", env: "sandbox/dev", basisPoints: 5_000)
        let report = try AuditLog.verify(fx.store)
        #expect(report.ok)
        #expect(report.warnings.map(\.seq) == [back.lastSeq!])
        #expect(report.warnings.first?.description.contains("earlier than seq") == true)
    }

    @Test func aClockStepWithinTheToleranceIsNotReported() throws {
        let fx = try Fixture()
        try fx.ops.setRollout(flag: "beta.api", env: "sandbox/dev", basisPoints: 2_500)
        fx.clock.advance(-(AuditVerifier.clockStepTolerance - 1))
        try fx.ops.setRollout(flag: "beta.api", env: "sandbox/dev", basisPoints: 5_000)
        #expect(try AuditLog.verify(fx.store).warnings.isEmpty)
    }
}
