import Foundation
import Testing
@testable import FlagDeckCore
@testable import FlagDeckDemo

/// The bundled demo builds through the operations, verifies, and shows what the
/// dashboard and the review need: every cell state and every retirement-hint condition.
/// The hint engine is not on main yet, so the hint conditions are asserted as facts
/// from states and history, with the thresholds of the lifecycle issue.
@Suite("Demo sample data", .serialized)
struct DemoTests {
    static let now = try! UTC.parseUserDate("2026-11-21T12:00:00Z")
    static let window: TimeInterval = 28 * 86_400

    /// Built once: replaying ~2,900 events takes a few seconds.
    static let built: Result<(store: SQLiteStore, data: SampleData, summary: DemoBuilder.Summary), any Error> = Result {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sample-data")
        let data = try SampleData.load(from: root)
        let path = temporaryDirectory() + "/demo.sqlite"
        let summary = try DemoBuilder(data: data, now: now).build(at: path)
        return (try SQLiteStore(path: path), data, summary)
    }

    var store: SQLiteStore { get throws { try Self.built.get().store } }

    func states(_ flag: String) throws -> [FlagState] { try store.read { try $0.states(flag: flag) } }
    func flag(_ key: String) throws -> Flag { try #require(try store.read { try $0.flag(key: key) }) }
    func events(_ flag: String) throws -> [AuditEvent] { try store.read { try $0.events(AuditQuery(flag: flag, ascending: true)) } }
    func lastChange(_ flag: String) throws -> Date { try states(flag).map(\.changedAt).max()! }

    @Test func buildsThroughOperationsAndVerifies() throws {
        let (_, data, summary) = try Self.built.get()
        #expect(summary.verified)
        #expect(summary.flags == data.flags.count && (100...150).contains(summary.flags))
        #expect(summary.environments == 8)
        #expect(summary.events > 2_500)
        let report = try AuditLog.verify(try store)
        #expect(report.ok && report.count == summary.events)
        let accounts = Set(try store.read { try $0.environments() }.map(\.id.account))
        #expect(accounts == ["sandbox", "platform-prod", "payments-prod"])
        let envs = try store.read { try $0.environments() }
        #expect(envs.filter(\.isProtected).allSatisfy { $0.id.account.hasSuffix("-prod") })
        #expect(envs.map(\.displayOrder) == Array(1...8))
    }

    @Test func hasAllFiveTypesSeveralOperatorsAndAYearOfHistory() throws {
        let flags = try store.read { try $0.flags() }
        #expect(Set(flags.map(\.type)) == Set(FlagType.allCases))
        #expect(flags.contains { $0.valueKind == .json && !$0.variants.isEmpty })
        #expect(flags.contains { !$0.dependsOn.isEmpty })
        let all = try store.read { try $0.events(AuditQuery(ascending: true)) }
        #expect(Set(all.map(\.operator)).count >= 5)
        let first = try #require(all.first).date
        #expect(Self.now.timeIntervalSince(first) > 360 * 86_400)
    }

    @Test func containsEveryCellState() throws {
        let names = Set(try store.read { try $0.states() }.map(\.cell.name))
        #expect(names == ["on", "off", "killed", "partial"])
    }

    @Test func retireCandidateIsFullyOnAndQuietForTheWindow() throws {
        for key in ["ledger.double-entry-v2", "checkout.address-autocomplete"] {
            let s = try states(key)
            #expect(s.count == 8 && s.allSatisfy { $0.cell == .on }, "\(key) should be at 100% everywhere")
            #expect(Self.now.timeIntervalSince(try lastChange(key)) >= Self.window)
            #expect(!(try events(key)).contains { $0.action == AuditAction.kill && Self.now.timeIntervalSince($0.date) < Self.window })
        }
    }

    @Test func removeCandidatesAreOffZeroOrKilledEverywhereForTheWindow() throws {
        for (key, cell) in [("checkout.gift-wrap", "off"), ("identity.social-login-x", "off"),
                            ("checkout.dynamic-pricing", "partial"), ("platform.http3-edge", "killed")] {
            let s = try states(key)
            #expect(s.allSatisfy { $0.killed || !$0.enabled || $0.rolloutBasisPoints == 0 }, "\(key) is not dead everywhere")
            #expect(s.allSatisfy { $0.cell.name == cell })
            #expect(Self.now.timeIntervalSince(try lastChange(key)) >= Self.window)
        }
    }

    @Test func stuckFlagsDisagreeAcrossEnvironmentsForTheWindow() throws {
        let s = try states("payments.sepa-instant")
        #expect(Set(s.map(\.cell)).count > 1)
        #expect(s.contains { $0.cell == .on } && s.contains { $0.cell == .partial(basisPoints: 2_500) })
        #expect(Self.now.timeIntervalSince(try lastChange("payments.sepa-instant")) >= Self.window)
    }

    @Test func longKillIsKilledForMoreThanSevenDays() throws {
        let cell = try #require(try states("payments.smart-retries").first { $0.env.path == "payments-prod/prod-us" })
        #expect(cell.killed)
        let kill = try #require(try events("payments.smart-retries").last { $0.action == AuditAction.kill })
        #expect(Self.now.timeIntervalSince(kill.date) > 7 * 86_400)
        #expect(!kill.reason.isEmpty)
    }

    @Test func orphanExpiredAndOverdueFlagsExist() throws {
        #expect(try flag("identity.social-login-x").owner == nil)
        // Orphaned later by an audited edit.
        #expect(try flag("search.autocomplete-v2").owner == nil)
        #expect(try events("search.autocomplete-v2").contains { $0.action == AuditAction.flagEdit })
        let expires = try #require(try flag("ledger.double-entry-v2").expiresAt)
        #expect(expires < Self.now)
        let release = try flag("payments.sepa-instant")
        #expect(release.type == .release && Self.now.timeIntervalSince(release.createdAt) > 40 * 86_400)
        let ops = try flag("ops.queue-backpressure")
        #expect(ops.type == .operational && Self.now.timeIntervalSince(ops.createdAt) > 7 * 86_400)
    }

    /// A whole-number rollout percentage from a cell snapshot.
    static func rollout(_ snapshot: String?) -> Int? {
        guard case .int(let i)? = EventDiff.object(snapshot)?["rollout"] else { return nil }
        return Int(i)
    }

    @Test func historyHasSteppedRolloutsKillsUnkillsRevertsAndRecentChanges() throws {
        let steps = try events("checkout.one-page-flow").filter { $0.action == AuditAction.rollout && $0.env == "payments-prod/prod-eu" }
            .compactMap { Self.rollout($0.after) }
        #expect(steps == [5, 25, 50, 100])
        let all = try store.read { try $0.events(AuditQuery(ascending: true)) }
        #expect(all.filter { $0.action == AuditAction.kill }.allSatisfy { !$0.reason.isEmpty })
        #expect(all.contains { $0.action == AuditAction.unkill })
        #expect(all.contains { e in
            guard e.action == AuditAction.rollout, let b = Self.rollout(e.before), let a = Self.rollout(e.after) else { return false }
            return a < b && e.reason.hasPrefix("revert")
        })
        #expect(all.contains { Self.now.timeIntervalSince($0.date) < 3 * 3600 })
        // Events are in time order, as an operator would have made them.
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.at <= $1.at })
    }

    @Test func rulesKeepTheirFileOrder() throws {
        let cell = try #require(try states("exp.payment-methods-order").first { $0.env.path == "payments-prod/prod-eu" })
        let wallets = try #require(cell.rules.range(of: "\"wallets-first\""))
        let local = try #require(cell.rules.range(of: "\"local-first\""))
        #expect(wallets.lowerBound < local.lowerBound)
        #expect(cell.rules.hasPrefix(#"[{"name":"wallets-first","when_match":{"order":["apple_pay","google_pay","card"]}"#))
        #expect(cell.defaultValue == #"{"order":["card","paypal","sepa"]}"#)
    }

    /// The Powertools tree is the demo's final state in export form, so importing it onto
    /// the demo changes nothing and exporting the demo reproduces it: rules only on live
    /// cells, and a boolean `default: true` exactly where the cell is on at 100 %.
    @Test func powertoolsTreeMatchesTheFinalStateInExportForm() throws {
        let (_, data, _) = try Self.built.get()
        let flags = Dictionary(uniqueKeysWithValues: try store.read { try $0.flags() }.map { ($0.key, $0) })
        for s in try store.read({ try $0.states() }) {
            let fc = try #require(data.features[s.env]?[s.flagKey])
            let live = s.enabled && !s.killed
            #expect(fc.rules == (live ? s.rules : "[]"), "\(s.flagKey) in \(s.env): rules in the file do not match the cell")
            if flags[s.flagKey]?.valueKind == .boolean {
                #expect(fc.fileSaysOn == (s.cell == .on), "\(s.flagKey) in \(s.env): file default vs cell \(s.cell.name)")
                #expect(s.defaultValue == "false")
            } else {
                #expect(s.defaultValue == fc.defaultValue)
            }
        }
    }

    @Test func featuresConfigSuppliesMetadata() throws {
        let f = try flag("mobile.offline-cart")
        #expect(f.owner == "mobile")
        #expect(f.description.contains("without network"))
    }

    @Test func relativeTimesParse() throws {
        #expect(try RelativeTime.seconds("3h15m") == 11_700)
        #expect(try RelativeTime.seconds("-12d") == -12 * 86_400)
        #expect(try RelativeTime.seconds("+1d2h3m4s") == 93_784)
        for bad in ["", "5", "5x", "3m2h", "d"] {
            #expect(throws: FlagDeckError.self) { try RelativeTime.seconds(bad) }
        }
    }

    @Test func badHistoryLinesNameTheirLine() throws {
        for (line, text) in [(3, #"{"ago":"1d","by":"a"}"#), (7, #"{"ago":"1d","by":"a","op":"rollout","flag":"x","env":"a/b"}"#),
                             (9, "not json")] {
            do {
                _ = try HistoryEntry.parse(text, line: line)
                Issue.record("line \(line) should not parse")
            } catch {
                #expect("\(error)".contains("history.jsonl line \(line)"))
            }
        }
    }
}

@Suite("Generator")
struct GeneratorTests {
    func generate(seed: UInt64) throws -> (AuditHead?, [FlagState], GeneratorSummary) {
        let store = try SQLiteStore(path: temporaryDirectory() + "/gen.sqlite", create: true)
        let summary = try Generator(GeneratorConfig(flags: 60, envs: 6, events: 1_500, seed: seed, batchEvents: 400)).run(into: store)
        return (try AuditLog.head(store), try store.read { try $0.states() }, summary)
    }

    @Test func sameSeedSameContentAcrossBatches() throws {
        let a = try generate(seed: 42), b = try generate(seed: 42), c = try generate(seed: 43)
        #expect(a.0 == b.0 && a.1 == b.1)
        #expect(a.0 != c.0)
        #expect(a.2.events == 1_500 && a.0?.seq == 1_500)
    }

    @Test func generatedLogVerifiesAndSnapshotsMatchTheCells() throws {
        let store = try SQLiteStore(path: temporaryDirectory() + "/gen.sqlite", create: true)
        _ = try Generator(GeneratorConfig(flags: 40, envs: 4, events: 1_000, seed: 3, batchEvents: 128)).run(into: store)
        #expect(try AuditLog.verify(store).ok)
        // Each cell's last event's after-snapshot is the cell as stored: the log replays.
        let events = try store.read { try $0.events(AuditQuery(ascending: true)) }
        var last: [String: String] = [:]
        for e in events { if let f = e.flag, let env = e.env, let a = e.after { last[f + " " + env] = a } }
        for s in try store.read({ try $0.states() }) {
            if let a = last[s.flagKey + " " + s.env.path] { #expect(a == StateJSON.encode(s)) }
        }
    }

    @Test func refusesTooFewEventsAndNonEmptyStores() throws {
        #expect(throws: FlagDeckError.self) { try Generator(GeneratorConfig(flags: 10, envs: 2, events: 12)) }
        let store = try SQLiteStore(path: temporaryDirectory() + "/gen.sqlite", create: true)
        try Operations(store: store).initialize()
        #expect(throws: FlagDeckError.self) { try Generator(GeneratorConfig(flags: 1, envs: 1, events: 5)).run(into: store) }
    }

    @Test func splitMixIsTheReferenceSequence() {
        // First outputs of SplitMix64 seeded with 0 (reference implementation).
        var r = SplitMix64(seed: 0)
        #expect(r.next() == 0xE220_A839_7B1D_CDAF)
        #expect(r.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}

extension DemoTests {
    @Test func overridesFromFlagsJSONAreInTheDemo() throws {
        let store = try self.store
        let overrides = try store.read { try $0.overrides() }
        #expect(overrides.contains { $0.contextKey == "user_id" && $0.env.path == "payments-prod/prod-eu" })
        #expect(try store.read { try $0.events(AuditQuery(action: "override.set")) }.count == overrides.count)
    }
}
