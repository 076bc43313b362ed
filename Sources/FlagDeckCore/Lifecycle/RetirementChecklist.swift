import Foundation

/// The detail screen's retirement checklist: each rule the hints apply, passed or not,
/// with the value that was measured, so a reviewer sees *why* a flag is or is not ready
/// to retire instead of trusting a verdict. The first four items are exactly the
/// `retire` conditions; the rest are the hygiene rules behind the other hints.
public enum RetirementChecklist {
    public struct Item: Hashable, Sendable {
        public var rule: String
        public var passed: Bool
        public var measured: String

        public init(rule: String, passed: Bool, measured: String) {
            self.rule = rule
            self.passed = passed
            self.measured = measured
        }

        /// "✓ Unchanged for at least 28 days — 63 days (last change 2026-09-19 by alice)".
        public var line: String { "\(passed ? "✓" : "✗") \(rule) — \(measured)" }
    }

    public static func items(flag: Flag, cells: [FlagState], activity: FlagActivity = .none,
                             settings s: LifecycleSettings = .defaults, now: Date) -> [Item] {
        let last = StabilityAge.lastChange(cells, now: now)
        let window = "\(s.stableWindowDays) days"
        let full = cells.filter { $0.cell == .on }.count
        let killed = cells.filter(\.killed)
        var items: [Item] = []

        items.append(Item(rule: "On at 100% in every environment", passed: !cells.isEmpty && full == cells.count,
                          measured: "\(full) of \(cells.count) at 100%"))
        items.append(Item(rule: "Not killed anywhere", passed: killed.isEmpty,
                          measured: killed.isEmpty ? "no environment killed"
                              : "killed in " + killed.map(\.env.path).joined(separator: ", ")))
        items.append(Item(rule: "Unchanged for at least \(window)", passed: (last?.age ?? 0) >= s.stableWindow,
                          measured: last.map { "\(Days.phrase($0.age)) (last change \($0.phrase) in \($0.env.path))" }
                              ?? "no environments"))
        let k = activity.lastKill
        items.append(Item(rule: "No kill in the last \(window)", passed: !RetirementHints.killedWithinWindow(activity, s, now),
                          measured: k.map { "last kill \(UTC.formatDay($0.at)) by \($0.by), \(Days.phrase(now.timeIntervalSince($0.at))) ago" }
                              ?? "never killed"))
        if flag.type.isPermanent {
            items.append(Item(rule: "Meant to be temporary", passed: false,
                              measured: "\(flag.type.rawValue) flags are permanent; never a retire candidate"))
        }

        let owner = (flag.owner ?? "").trimmingCharacters(in: .whitespaces)
        items.append(Item(rule: "Has an owner", passed: !owner.isEmpty, measured: owner.isEmpty ? "no owner" : owner))
        let age = now.timeIntervalSince(flag.createdAt)
        if let days = s.lifetime(of: flag.type) {
            items.append(Item(rule: "Within its expected lifetime (\(days) days)",
                              passed: age <= LifecycleSettings.seconds(days: days),
                              measured: "\(Days.phrase(age)) old (created \(UTC.formatDay(flag.createdAt)))"))
        }
        if let expiry = flag.expiresAt {
            items.append(Item(rule: "Not past its expiry date", passed: now <= expiry,
                              measured: now > expiry ? "expired \(UTC.formatDay(expiry)), \(Days.phrase(now.timeIntervalSince(expiry))) ago"
                                  : "expires \(UTC.formatDay(expiry)), in \(Days.phrase(expiry.timeIntervalSince(now)))"))
        }
        let distinct = Set(cells.map(RetirementHints.served))
        items.append(Item(rule: "Environments agree", passed: distinct.count <= 1,
                          measured: distinct.count <= 1 ? "all serve the same percentage"
                              : "\(distinct.count) different percentages served"))
        let longKilled = killed.filter { StabilityAge.of($0, now: now) > s.longKill }
        items.append(Item(rule: "No kill older than \(s.longKillDays) days", passed: longKilled.isEmpty,
                          measured: longKilled.isEmpty ? "none"
                              : longKilled.map { "\($0.env.path) for \(Days.phrase(StabilityAge.of($0, now: now)))" }.joined(separator: ", ")))
        return items
    }

    /// True when every `retire` condition holds (the first items of the list).
    public static func readyToRetire(flag: Flag, cells: [FlagState], activity: FlagActivity = .none,
                                     settings: LifecycleSettings = .defaults, now: Date) -> Bool {
        RetirementHints.retire(flag, cells, StabilityAge.lastChange(cells, now: now), activity, settings, now) != nil
    }
}
