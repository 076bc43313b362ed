@testable import flagdeck_bench
import FlagDeckCore
import FlagDeckDemo
import Foundation
import Testing

/// The kill benchmark on a small generated database: it kills through the product's
/// stack under a policy with allow rules, returns every metric it declares, and leaves
/// the shared generated file as it was.
@Suite("Kill benchmark")
struct KillBenchTests {
    @Test func measuresTheProductPathOnACopy() throws {
        let db = BenchDatabase(name: "kill-test", GeneratorConfig(flags: 30, envs: 4, events: 2_000, seed: 1))
        defer { db.removeDirectory() }
        let pristine = try db.path()
        let headBefore = try SQLiteStore(path: pristine).read { try $0.head() }

        let figures = Dictionary(uniqueKeysWithValues: try KillBench.run(on: db, samples: 12, warmup: 2))
        #expect(Set(figures.keys) == Set(KillBench.suite.metrics))
        for (name, value) in figures { #expect(value > 0, "\(name)") }

        #expect(try SQLiteStore(path: pristine).read { try $0.head() } == headBefore)
        // A second copy is still possible: the shared file was not written.
        let copy = try db.workingCopy()
        defer { db.remove(copy: copy) }
        #expect(copy != pristine)
    }

    @Test func theBenchPolicyAllowsOnlyByRules() throws {
        let db = BenchDatabase(name: "kill-policy-test", GeneratorConfig(flags: 10, envs: 3, events: 200, seed: 1))
        defer { db.removeDirectory() }
        let copy = try db.workingCopy()
        let cells = try KillBench.prepare(path: copy, count: 3)
        #expect(cells.count == 3)
        #expect(Set(cells.map { "\($0.flag) \($0.env)" }).count == 3)
        let store = try SQLiteStore(path: copy)
        let policy = try Operations(store: store).policy()
        #expect(policy.allow.count == KillBench.policyRuleCount)
        #expect(policy.mayChange(cells[0].env, as: .current()))
        // Someone the rules do not name is refused: the policy really is enforced.
        let stranger = Operations(store: store, actor: Actor(name: "nobody-in-particular", host: "h"))
        #expect(throws: FlagDeckError.self) {
            try stranger.apply(KillRequest(.kill, flag: cells[0].flag, scope: .environment(cells[0].env.path), reason: "x"))
        }
    }

    @Test func aWrittenSharedDatabaseIsNotCopied() throws {
        let db = BenchDatabase(name: "kill-guard-test", GeneratorConfig(flags: 10, envs: 3, events: 200, seed: 1))
        defer { db.removeDirectory() }
        let store = try SQLiteStore(path: try db.path())
        let careless = Operations(store: store, actor: Actor(name: "bench-test", host: "h"))
        try careless.createFlag(Flag(key: "bench.written-by-a-suite", createdAt: Date()))
        #expect(throws: BenchError.self) { try db.workingCopy() }
    }
}

/// The floor writes what a kill writes: the cell killed with its version bumped, and one
/// kill event for that cell chained onto the head.
@Suite("Kill write floor")
struct KillFloorTests {
    @Test func theFloorKillsTheCellAndAppendsOneKillEvent() throws {
        let db = BenchDatabase(name: "kill-floor-test", GeneratorConfig(flags: 10, envs: 3, events: 200, seed: 1))
        defer { db.removeDirectory() }
        let copy = try db.workingCopy()
        defer { db.remove(copy: copy) }
        let cell = try #require(try KillBench.prepare(path: copy, count: 1).first)
        let store = try SQLiteStore(path: copy)
        let (before, head) = try store.read { r in (try r.state(flag: cell.flag, env: cell.env), try r.head()) }
        let floor = try RawKillWrites(path: copy)
        try floor.killWrites(flag: cell.flag, env: cell.env, 1)
        floor.close()
        let (after, events) = try store.read { r in
            (try r.state(flag: cell.flag, env: cell.env), try r.events(AuditQuery(limit: 2)))
        }
        #expect(before?.killed == false)
        #expect(after?.killed == true)
        #expect(after?.version == (before?.version ?? 0) + 1)
        let e = try #require(events.first)
        #expect(e.seq == (head?.seq ?? 0) + 1)
        #expect(e.prevHash == head?.hash)
        #expect(e.action == AuditAction.kill && e.flag == cell.flag && e.env == cell.env.path)
        #expect(events.dropFirst().first?.seq == head?.seq)
    }
}
