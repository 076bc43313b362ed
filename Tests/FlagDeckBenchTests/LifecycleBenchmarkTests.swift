@testable import flagdeck_bench
import FlagDeckCore
import FlagDeckDemo
import Foundation
import Testing

/// The lifecycle benchmark's entry points on a small store made by the core `Generator`:
/// they measure what they claim (every flag and cell, a full first history page).
@Suite("Lifecycle benchmark")
struct LifecycleBenchmarkTests {
    @Test func measuresAllFlagsAndAHistoryPage() throws {
        let db = BenchDatabase(name: "lifecycle-test", GeneratorConfig(flags: 40, envs: 3, events: 6_000, seed: 1))
        defer { db.removeDirectory() }
        let store = try SQLiteStore(path: try db.path())
        #expect(try store.read { try $0.eventCount() } == 6_000)

        let hints = try LifecycleBenchmark.hintsAll(store: store, now: BenchDatabase.historyEnd, runs: 1)
        #expect(hints.flags == 40)
        #expect(hints.cells == 120)
        #expect(hints.candidates > 0)
        #expect(hints.milliseconds > 0)

        let subjects = try LifecycleBenchmark.subjects(store: store)
        #expect(try store.read { try $0.events(AuditQuery(flag: subjects.flag, limit: 50)) }.count == 50)
        #expect(try store.read { try $0.environments() }.map(\.id.path).contains(subjects.env))
        #expect(try LifecycleBenchmark.historyOpen(store: store, flag: subjects.flag, runs: 3) > 0)
        #expect(throws: FlagDeckError.self) { try LifecycleBenchmark.historyOpen(store: store, flag: "no.such.flag", runs: 1) }

        let figures = Dictionary(uniqueKeysWithValues: try LifecycleBenchmark.run(small: store, large: store, now: BenchDatabase.historyEnd))
        #expect(Set(figures.keys) == Set(LifecycleBench.suite.metrics))
    }
}
