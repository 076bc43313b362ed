@testable import flagdeck_bench
import FlagDeckCore
import Foundation
import Testing

/// The benchmark entry points on a small generated store: they measure what they claim
/// (every flag and cell, a full first history page) and the data is a valid audit chain.
@Suite("Lifecycle benchmark")
struct LifecycleBenchmarkTests {
    @Test func measuresAllFlagsAndAHistoryPage() throws {
        let dir = NSTemporaryDirectory() + "flagdeck-lifecycle-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/b.sqlite", create: true)
        let data = try LifecycleBenchmarkData.populate(store: store, flags: 40, environments: 3, events: 6_000, now: Date(timeIntervalSince1970: 1_795_219_200))
        #expect(try store.read { try $0.eventCount() } == Int64(data.events))
        #expect(try AuditLog.verify(store).ok)

        let hints = try LifecycleBenchmark.hintsAll(store: store, now: Date(timeIntervalSince1970: 1_795_219_200), runs: 1)
        #expect(hints.flags == 40)
        #expect(hints.cells == 120)
        #expect(hints.candidates > 0)
        #expect(hints.milliseconds > 0)

        #expect(try store.read { try $0.events(AuditQuery(flag: data.hotFlag, limit: 50)) }.count == 50)
        #expect(try LifecycleBenchmark.historyOpen(store: store, flag: data.hotFlag, runs: 3) > 0)
        #expect(throws: FlagDeckError.self) { try LifecycleBenchmark.historyOpen(store: store, flag: "no.such.flag", runs: 1) }
    }
}
