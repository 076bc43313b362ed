import Foundation

/// The retirement hints: pure functions of one flag, its cells in every environment,
/// its audit activity, the thresholds and `now`. No I/O, so the grid, the detail screen,
/// the review report and the tests all get the same answer.
///
/// Boundaries, in exact seconds (the table tests pin each one):
/// - `retire`: every cell enabled, unkilled and at 100 %; no cell changed for at least
///   the stable window (`now - newest changedAt >= window`); and no kill at all inside
///   the window (the last kill is at or before `now - window`). Kill-switch and
///   permission flags are exempt: staying at 100 % forever is what they are for.
/// - `remove`: every cell serves nobody (disabled, at 0 %, or killed) and no cell changed
///   for at least the window.
/// - `overdue`: the type has a lifetime and `now - createdAt` is strictly more than it.
/// - `expired`: there is an expiry and `now` is strictly after it (a `YYYY-MM-DD`
///   expiry is midnight UTC at the start of that day).
/// - `orphan`: no owner, or an owner that is only whitespace.
/// - `stuck`: at least two environments serve different percentages (disabled and
///   killed count as 0 %) and no cell changed for at least the window. The cells only
///   tell when the current picture began, at the newest `changedAt`; the disagreement
///   has lasted at least that long. So a flag whose prod moved from 25 % to 30 % last
///   week is not stuck: someone is moving it, which is the opposite of stuck.
/// - `long-kill`: some cell is killed and has been for strictly more than the long-kill
///   threshold (a killed cell cannot be changed until unkilled, so its `changedAt` is
///   the kill).
public enum RetirementHints {
    /// Every hint that applies, most pressing first. A review mark does not remove hints
    /// here (see `FlagHints` for silencing), so the detail screen can still show them.
    public static func evaluate(flag: Flag, cells: [FlagState], activity: FlagActivity = .none,
                                settings: LifecycleSettings = .defaults, now: Date) -> [Hint] {
        let last = StabilityAge.lastChange(cells, now: now)
        var out: [Hint] = []
        if let h = retire(flag, cells, last, activity, settings, now) { out.append(h) }
        if let h = remove(cells, last, settings) { out.append(h) }
        if let h = overdue(flag, settings, now) { out.append(h) }
        if let h = expired(flag, now) { out.append(h) }
        if let h = orphan(flag, last) { out.append(h) }
        if let h = stuck(cells, last, settings) { out.append(h) }
        if let h = longKill(cells, activity, settings, now) { out.append(h) }
        return out.sorted { $0.kind < $1.kind }
    }

    /// The one hint the grid's hint column shows: the most pressing one, or nil when
    /// there is none or a review mark silences the flag at `now`.
    public static func topHint(flag: Flag, cells: [FlagState], activity: FlagActivity = .none,
                               settings: LifecycleSettings = .defaults, now: Date) -> Hint? {
        if let mark = activity.mark, mark.silences(at: now) { return nil }
        return evaluate(flag: flag, cells: cells, activity: activity, settings: settings, now: now).first
    }

    // MARK: Rules

    static func retire(_ f: Flag, _ cells: [FlagState], _ last: LastChange?, _ a: FlagActivity,
                       _ s: LifecycleSettings, _ now: Date) -> Hint? {
        guard !f.type.isPermanent, let last, !cells.isEmpty,
              cells.allSatisfy({ $0.cell == .on }), last.age >= s.stableWindow,
              !killedWithinWindow(a, s, now) else { return nil }
        return Hint(kind: .retire, facts: "at 100% in all \(envCount(cells.count)) for \(Days.phrase(last.age)); "
                        + "last change \(last.phrase)")
    }

    static func remove(_ cells: [FlagState], _ last: LastChange?, _ s: LifecycleSettings) -> Hint? {
        guard let last, !cells.isEmpty, cells.allSatisfy({ served($0) == 0 }), last.age >= s.stableWindow else { return nil }
        let killed = cells.filter(\.killed).count
        let off = cells.filter { !$0.killed && !$0.enabled }.count
        let zero = cells.count - killed - off
        let parts = [(off, "off"), (zero, "at 0%"), (killed, "killed")].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return Hint(kind: .remove, facts: "off, 0% or killed in all \(envCount(cells.count)) for \(Days.phrase(last.age)) "
                        + "(\(parts.joined(separator: ", "))); last change \(last.phrase)")
    }

    static func overdue(_ f: Flag, _ s: LifecycleSettings, _ now: Date) -> Hint? {
        guard let days = s.lifetime(of: f.type) else { return nil }
        let age = now.timeIntervalSince(f.createdAt)
        let lifetime = LifecycleSettings.seconds(days: days)
        guard age > lifetime else { return nil }
        return Hint(kind: .overdue, facts: "\(f.type.rawValue) flag created \(UTC.formatDay(f.createdAt)), \(Days.phrase(age)) old; "
                        + "expected lifetime \(Days.phrase(lifetime)) (\(Days.phrase(age - lifetime)) over)")
    }

    static func expired(_ f: Flag, _ now: Date) -> Hint? {
        guard let expiry = f.expiresAt, now > expiry else { return nil }
        return Hint(kind: .expired, facts: "expired \(UTC.formatDay(expiry)), \(Days.phrase(now.timeIntervalSince(expiry))) ago")
    }

    static func orphan(_ f: Flag, _ last: LastChange?) -> Hint? {
        guard (f.owner ?? "").trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let last else { return Hint(kind: .orphan, facts: "no owner") }
        return Hint(kind: .orphan, facts: "no owner; last change \(last.phrase)",
                    advice: "Assign an owner (\(last.by) changed it last)")
    }

    static func stuck(_ cells: [FlagState], _ last: LastChange?, _ s: LifecycleSettings) -> Hint? {
        guard let last, cells.count >= 2, last.age >= s.stableWindow else { return nil }
        // Groups in first-seen order, i.e. grid order when the cells come from the store.
        var groups: [(bp: Int, envs: [EnvironmentID])] = []
        for c in cells {
            let bp = served(c)
            if let i = groups.firstIndex(where: { $0.bp == bp }) { groups[i].envs.append(c.env) }
            else { groups.append((bp, [c.env])) }
        }
        guard groups.count >= 2 else { return nil }
        let described = groups.map { g in
            let names = g.envs.prefix(2).map(\.path).joined(separator: ", ") + (g.envs.count > 2 ? ", …" : "")
            return "\(g.bp == 0 ? "off" : Percent.format(g.bp) + "%") in \(g.envs.count) (\(names))"
        }
        return Hint(kind: .stuck, facts: "environments disagree for \(Days.phrase(last.age)): "
                        + "\(described.joined(separator: "; ")); last change \(last.phrase)")
    }

    static func longKill(_ cells: [FlagState], _ a: FlagActivity, _ s: LifecycleSettings, _ now: Date) -> Hint? {
        let long = cells.filter { $0.killed && StabilityAge.of($0, now: now) > s.longKill }
            .sorted { $0.changedAt < $1.changedAt }
        guard let oldest = long.first else { return nil }
        let since = "for \(Days.phrase(StabilityAge.of(oldest, now: now))) (since \(UTC.formatDay(oldest.changedAt)) by \(oldest.changedBy))"
        var facts: String
        if long.count == cells.count, cells.count > 1 {
            facts = "killed in all \(envCount(cells.count)) \(since)"
        } else {
            facts = "killed in \(oldest.env.path) \(since)"
            if long.count > 1 { facts += " and \(long.count - 1) more environment\(long.count == 2 ? "" : "s") for over \(Days.phrase(s.longKill))" }
        }
        if let k = a.lastKill, !k.reason.isEmpty { facts += "; last kill reason: \"\(k.reason)\"" }
        return Hint(kind: .longKill, facts: facts)
    }

    // MARK: Helpers

    /// Percentage actually served, in basis points: disabled and killed serve nobody.
    public static func served(_ c: FlagState) -> Int {
        c.killed || !c.enabled ? 0 : c.rolloutBasisPoints
    }

    /// "A flag killed within the window is never a retire candidate."
    static func killedWithinWindow(_ a: FlagActivity, _ s: LifecycleSettings, _ now: Date) -> Bool {
        guard let k = a.lastKill else { return false }
        return now.timeIntervalSince(k.at) < s.stableWindow
    }

    static func envCount(_ n: Int) -> String { n == 1 ? "1 environment" : "\(n) environments" }
}

extension FlagType {
    /// Kill switches and permissions are meant to stay, usually at 100 %: never `retire`
    /// candidates, whatever the lifetime settings say (those only decide `overdue`).
    public var isPermanent: Bool { self == .killSwitch || self == .permission }
}
