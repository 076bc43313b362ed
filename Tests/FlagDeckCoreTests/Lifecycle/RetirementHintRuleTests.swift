import FlagDeckCore
import Foundation
import Testing

/// One case on either side of every boundary of every hint rule, at a fixed `now`.
/// Each case states the input and whether the kind must appear.
@Suite("Retirement hint rules")
struct RetirementHintRuleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var flag: Flag
        var cells: [FlagState]
        var activity: FlagActivity = .none
        var settings: LifecycleSettings = .defaults
        var kind: HintKind
        var expected: Bool
        var testDescription: String { "\(kind.rawValue): \(name) → \(expected ? "hint" : "no hint")" }
    }

    static let second: TimeInterval = 1
    static let w = T.window

    static let cases: [Case] = [
        // retire: on at 100 % everywhere, unkilled, unchanged ≥ window, no kill in window.
        Case(name: "all on, unchanged exactly the window", flag: T.flag(), cells: T.cells(["on", "on", "on"], changed: T.ago(w)),
             kind: .retire, expected: true),
        Case(name: "all on, unchanged one second less than the window", flag: T.flag(),
             cells: T.cells(["on", "on", "on"], changed: T.ago(w - second)), kind: .retire, expected: false),
        Case(name: "one environment at 99.99%", flag: T.flag(), cells: T.cells(["on", "99.99", "on"]), kind: .retire, expected: false),
        Case(name: "one environment killed", flag: T.flag(), cells: T.cells(["on", "kill", "on"]), kind: .retire, expected: false),
        Case(name: "one environment disabled", flag: T.flag(), cells: T.cells(["on", "off", "on"]), kind: .retire, expected: false),
        Case(name: "last kill exactly one window ago", flag: T.flag(), cells: T.cells(["on", "on"]),
             activity: FlagActivity(lastKill: KillFact(at: T.ago(w), env: "acct/env0", by: "bob", reason: "leak")),
             kind: .retire, expected: true),
        Case(name: "killed within the window, cells look stable", flag: T.flag(), cells: T.cells(["on", "on"]),
             activity: FlagActivity(lastKill: KillFact(at: T.ago(w - second), env: "acct/env0", by: "bob", reason: "leak")),
             kind: .retire, expected: false),
        Case(name: "kill-switch flags are permanent", flag: T.flag(type: .killSwitch), cells: T.cells(["on", "on"]),
             kind: .retire, expected: false),
        Case(name: "permission flags are permanent", flag: T.flag(type: .permission), cells: T.cells(["on", "on"]),
             kind: .retire, expected: false),
        Case(name: "no environments", flag: T.flag(), cells: [], kind: .retire, expected: false),
        Case(name: "release with lifetime never is still temporary", flag: T.flag(), cells: T.cells(["on"]),
             settings: LifecycleSettings(lifetimeDays: [.release: nil]), kind: .retire, expected: true),
        Case(name: "shorter window setting", flag: T.flag(), cells: T.cells(["on"], changed: T.ago(14 * T.day)),
             settings: LifecycleSettings(stableWindowDays: 14), kind: .retire, expected: true),

        // remove: off, 0 % or killed everywhere for ≥ window.
        Case(name: "off, 0% and killed, exactly the window", flag: T.flag(), cells: T.cells(["off", "0", "kill"], changed: T.ago(w)),
             kind: .remove, expected: true),
        Case(name: "all off one second less than the window", flag: T.flag(), cells: T.cells(["off", "off"], changed: T.ago(w - second)),
             kind: .remove, expected: false),
        Case(name: "one environment at 0.01%", flag: T.flag(), cells: T.cells(["off", "0.01"]), kind: .remove, expected: false),
        Case(name: "all on", flag: T.flag(), cells: T.cells(["on", "on"]), kind: .remove, expected: false),

        // overdue: strictly older than the type's lifetime.
        Case(name: "release exactly 40 days old", flag: T.flag(created: T.ago(40 * T.day)), cells: T.cells(["25"]),
             kind: .overdue, expected: false),
        Case(name: "release 40 days and a second old", flag: T.flag(created: T.ago(40 * T.day + second)), cells: T.cells(["25"]),
             kind: .overdue, expected: true),
        Case(name: "experiment 40 days and a second old", flag: T.flag(type: .experiment, created: T.ago(40 * T.day + second)),
             cells: T.cells(["25"]), kind: .overdue, expected: true),
        Case(name: "operational exactly 7 days old", flag: T.flag(type: .operational, created: T.ago(7 * T.day)),
             cells: T.cells(["25"]), kind: .overdue, expected: false),
        Case(name: "operational 7 days and a second old", flag: T.flag(type: .operational, created: T.ago(7 * T.day + second)),
             cells: T.cells(["25"]), kind: .overdue, expected: true),
        Case(name: "kill-switch 5 years old", flag: T.flag(type: .killSwitch, created: T.ago(1_800 * T.day)),
             cells: T.cells(["on"]), kind: .overdue, expected: false),
        Case(name: "permission 5 years old", flag: T.flag(type: .permission, created: T.ago(1_800 * T.day)),
             cells: T.cells(["on"]), kind: .overdue, expected: false),
        Case(name: "release lifetime set to never", flag: T.flag(created: T.ago(400 * T.day)), cells: T.cells(["25"]),
             settings: LifecycleSettings(lifetimeDays: [.release: nil]), kind: .overdue, expected: false),

        // expired: strictly after the expiry instant.
        Case(name: "expiry is now", flag: T.flag(expires: T.now), cells: T.cells(["25"]), kind: .expired, expected: false),
        Case(name: "expiry one second ago", flag: T.flag(expires: T.ago(second)), cells: T.cells(["25"]), kind: .expired, expected: true),
        Case(name: "no expiry", flag: T.flag(expires: nil), cells: T.cells(["25"]), kind: .expired, expected: false),

        // orphan: no owner.
        Case(name: "owner nil", flag: T.flag(owner: nil), cells: T.cells(["25"]), kind: .orphan, expected: true),
        Case(name: "owner blank", flag: T.flag(owner: "  "), cells: T.cells(["25"]), kind: .orphan, expected: true),
        Case(name: "owner set", flag: T.flag(owner: "alice"), cells: T.cells(["25"]), kind: .orphan, expected: false),

        // stuck: environments serve different percentages, unchanged ≥ window.
        Case(name: "100% and 25%, exactly the window", flag: T.flag(), cells: T.cells(["on", "25"], changed: T.ago(w)),
             kind: .stuck, expected: true),
        Case(name: "100% and 25%, one second less", flag: T.flag(), cells: T.cells(["on", "25"], changed: T.ago(w - second)),
             kind: .stuck, expected: false),
        Case(name: "all agree at 25%", flag: T.flag(), cells: T.cells(["25", "25"]), kind: .stuck, expected: false),
        Case(name: "killed and disabled both serve nobody", flag: T.flag(), cells: T.cells(["kill", "off", "0"]),
             kind: .stuck, expected: false),
        Case(name: "on and killed disagree", flag: T.flag(), cells: T.cells(["on", "kill"]), kind: .stuck, expected: true),
        Case(name: "a single environment cannot disagree", flag: T.flag(), cells: T.cells(["25"]), kind: .stuck, expected: false),

        // long-kill: killed strictly longer than 7 days.
        Case(name: "killed exactly 7 days", flag: T.flag(), cells: [T.cell("kill", changed: T.ago(7 * T.day)), T.cell("on", env: 1)],
             kind: .longKill, expected: false),
        Case(name: "killed 7 days and a second", flag: T.flag(),
             cells: [T.cell("kill", changed: T.ago(7 * T.day + second)), T.cell("on", env: 1)], kind: .longKill, expected: true),
        Case(name: "long-kill threshold set to 30 days", flag: T.flag(),
             cells: [T.cell("kill", changed: T.ago(20 * T.day)), T.cell("on", env: 1)],
             settings: LifecycleSettings(longKillDays: 30), kind: .longKill, expected: false),
    ]

    @Test(arguments: cases)
    func rule(_ c: Case) {
        let kinds = T.kinds(c.flag, c.cells, activity: c.activity, settings: c.settings)
        #expect(kinds.contains(c.kind) == c.expected, "got \(kinds.map(\.rawValue).sorted())")
    }

    @Test func retireSentenceStatesTheMeasuredFacts() {
        let changed = UTC.parseStored("2026-09-19T10:00:00.000Z")!
        let cells = (0..<9).map { T.cell("on", env: $0, changed: changed, by: $0 == 0 ? "alice" : "bob") }
            .map { c -> FlagState in var c = c; if c.env.name != "env0" { c.changedAt = changed.addingTimeInterval(-T.day) }; return c }
        let hint = RetirementHints.evaluate(flag: T.flag(), cells: cells, now: T.now).first { $0.kind == .retire }
        #expect(hint?.facts == "at 100% in all 9 environments for 62 days; last change 2026-09-19 by alice")
        #expect(hint?.advice == "Remove the flag from code and keep the new path")
        #expect(hint?.severity == .low)
    }

    @Test func stuckSentenceNamesTheDisagreement() {
        let hint = RetirementHints.evaluate(flag: T.flag(), cells: T.cells(["on", "on", "25"], changed: T.ago(35 * T.day)), now: T.now)
            .first { $0.kind == .stuck }
        #expect(hint?.facts == "environments disagree for 35 days: 100% in 2 (acct/env0, acct/env1); 25% in 1 (acct/env2); "
                    + "last change 2026-10-17 by alice")
    }

    @Test func longKillSentenceIncludesTheKillReason() {
        let cells = [T.cell("kill", changed: T.ago(12 * T.day), by: "carol"), T.cell("on", env: 1)]
        let a = FlagActivity(lastKill: KillFact(at: T.ago(12 * T.day), env: "acct/env0", by: "carol", reason: "memory leak"))
        let hint = RetirementHints.evaluate(flag: T.flag(), cells: cells, activity: a, now: T.now).first
        #expect(hint?.kind == .longKill)
        #expect(hint?.facts == "killed in acct/env0 for 12 days (since 2026-11-09 by carol); last kill reason: \"memory leak\"")
        #expect(hint?.severity == .high)
    }

    @Test func longKillSentenceSummarisesKillsEverywhereAndElsewhere() {
        let all = RetirementHints.evaluate(flag: T.flag(), cells: T.cells(["kill", "kill", "kill"], changed: T.ago(10 * T.day)), now: T.now)
        #expect(all.first { $0.kind == .longKill }?.facts == "killed in all 3 environments for 10 days (since 2026-11-11 by alice)")
        let cells = [T.cell("kill", env: 0, changed: T.ago(9 * T.day)), T.cell("kill", env: 1, changed: T.ago(12 * T.day)),
                     T.cell("kill", env: 2, changed: T.ago(8 * T.day)), T.cell("on", env: 3)]
        let some = RetirementHints.evaluate(flag: T.flag(), cells: cells, now: T.now)
        #expect(some.first { $0.kind == .longKill }?.facts
                    == "killed in acct/env1 for 12 days (since 2026-11-09 by alice) and 2 more environments for over 7 days")
    }

    @Test func hintsAreOrderedMostPressingFirst() {
        // Orphan (medium), overdue (medium), expired (high), long-kill (high), stuck (medium).
        let f = T.flag(owner: nil, created: T.ago(100 * T.day), expires: T.ago(T.day))
        let cells = [T.cell("kill", changed: T.ago(30 * T.day)), T.cell("on", env: 1, changed: T.ago(30 * T.day))]
        let kinds = RetirementHints.evaluate(flag: f, cells: cells, now: T.now).map(\.kind)
        #expect(kinds == [.longKill, .expired, .overdue, .stuck, .orphan])
        #expect(RetirementHints.topHint(flag: f, cells: cells, now: T.now)?.kind == .longKill)
    }

    @Test func aFlagWithNothingToSayHasNoTopHint() {
        #expect(RetirementHints.topHint(flag: T.flag(), cells: T.cells(["25", "25"], changed: T.ago(T.day)), now: T.now) == nil)
    }
}
