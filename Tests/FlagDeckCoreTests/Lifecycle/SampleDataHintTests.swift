import FlagDeckCore
@testable import FlagDeckDemo
import Foundation
import Testing

/// Acceptance: on the bundled sample data the hint engine finds every hint kind, on the
/// flags the sample data was written to exhibit (see DemoTests for the facts behind each:
/// states, history and metadata), judged at the demo's pinned build time.
@Suite("Hints on the sample data")
struct SampleDataHintTests {
    static let now = try! UTC.parseUserDate("2026-11-21T12:00:00Z")

    static let report: Result<ReviewReport, any Error> = Result {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("sample-data")
        let path = T.scratch + "/sample-\(UUID().uuidString).sqlite"
        _ = try DemoBuilder(data: try SampleData.load(from: root), now: now).build(at: path)
        return try ReviewReport.load(from: try SQLiteStore(path: path), now: now)
    }

    static let expected: [(flag: String, kind: HintKind, why: String)] = [
        ("ledger.double-entry-v2", .retire, "on at 100% in all 8 environments, quiet for the window, no recent kill"),
        ("checkout.address-autocomplete", .retire, "on at 100% everywhere and quiet"),
        ("checkout.gift-wrap", .remove, "off everywhere for the window"),
        ("checkout.dynamic-pricing", .remove, "at 0% everywhere for the window"),
        ("platform.http3-edge", .remove, "killed everywhere for the window"),
        ("payments.sepa-instant", .overdue, "a release older than 40 days"),
        ("ops.queue-backpressure", .overdue, "an operational flag older than 7 days"),
        ("ledger.double-entry-v2", .expired, "its expiry date has passed"),
        ("identity.social-login-x", .orphan, "created without an owner"),
        ("search.autocomplete-v2", .orphan, "owner removed by an audited edit"),
        ("payments.sepa-instant", .stuck, "100% in some environments, 25% in others, for the window"),
        ("payments.smart-retries", .longKill, "killed in payments-prod/prod-us for more than 7 days"),
    ]

    @Test func everyKindIsFound() throws {
        let report = try Self.report.get()
        for (kind, flags) in report.counts { #expect(flags >= 1, "no \(kind.rawValue) candidate") }
    }

    @Test(arguments: expected.indices)
    func knownFlagHasItsHint(_ i: Int) throws {
        let (flag, kind, why) = Self.expected[i]
        let report = try Self.report.get()
        let hints = report.candidates.first { $0.flag.key == flag }?.active.map(\.kind) ?? []
        #expect(hints.contains(kind), "\(flag) should be \(kind.rawValue): \(why); got \(hints.map(\.rawValue))")
    }

    @Test func longKillIsTheMostPressingKind() throws {
        #expect(try Self.report.get().candidates.first?.top?.kind == .longKill)
    }
}
