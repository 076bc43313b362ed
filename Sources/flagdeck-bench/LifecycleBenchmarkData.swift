import FlagDeckCore
import FlagDeckDemo
import Foundation

/// Builds a large synthetic store for `LifecycleBenchmark` (10,000 flags × 50
/// environments × 1,000,000 events in the issue). It writes through `StoreWriting` in
/// chunked transactions, so every event is a real hash-chained event, but without going
/// through `Operations` one change at a time (a million fsync'd transactions would take
/// hours). Deterministic: the same arguments give the same database contents.
public enum LifecycleBenchmarkData {
    public struct Summary: Sendable {
        /// A flag that gets 1 % of all events, so its history always has a full first page.
        public var hotFlag: String
        /// An environment with its even share (1 / environments) of the events.
        public var someEnvironment: String
        public var flags: Int
        public var environments: Int
        public var events: Int
    }

    /// Inventory, cells and `events` audit events in one go.
    public static func populate(store: any FlagStore, flags: Int, environments: Int, events: Int, now: Date,
                                actor: Actor = Actor(name: "bench", host: "bench")) throws -> Summary {
        var b = try Builder(store: store, flags: flags, environments: environments, plannedEvents: events, now: now, actor: actor)
        try b.appendEvents(upTo: events)
        return b.summary
    }

    /// Builds the store in stages, so one store can be measured at 10,000 events and
    /// again at 1,000,000 with the same flags: the history comparison then differs only
    /// in the size of the log.
    public struct Builder {
        public let store: any FlagStore
        let keys: [String]
        let envs: [EnvironmentID]
        let start: Date
        let span: TimeInterval
        let plannedEvents: Int
        let actor: Actor
        var rng = SplitMix64(seed: 0x5EED)
        public private(set) var eventsWritten = 0

        /// Writes the environments, flags and cells (a mix of profiles so every hint rule
        /// has work to do) and the first audit event. Events appended later are spread
        /// over the year before `now` as if `plannedEvents` will be written in total.
        public init(store: any FlagStore, flags flagCount: Int, environments envCount: Int, plannedEvents: Int,
                    now: Date, actor: Actor = Actor(name: "bench", host: "bench")) throws {
            self.store = store
            self.actor = actor
            self.plannedEvents = max(1, plannedEvents)
            envs = (0..<envCount).map { EnvironmentID(account: "acct\($0 / 10)", name: "env\($0 % 10)") }
            keys = (0..<flagCount).map { String(format: "bench.flag-%05d", $0) }
            let day: TimeInterval = 86_400
            span = 365 * day
            start = now.addingTimeInterval(-span)
            var rng = self.rng
            let (envs, keys, start, actor) = (self.envs, self.keys, self.start, self.actor)
            try store.write { w in
                for (i, e) in envs.enumerated() { try w.insert(Environment(id: e, displayOrder: i + 1, isProtected: i % 10 == 9)) }
                for (i, key) in keys.enumerated() {
                    let type = FlagType.allCases[i % FlagType.allCases.count]
                    let created = start.addingTimeInterval(Double(rng.next(upTo: 300)) * day)
                    try w.insert(Flag(key: key, owner: i % 17 == 0 ? nil : "team-\(i % 40)", type: type, createdAt: created,
                                      expiresAt: i % 5 == 0 ? created.addingTimeInterval(60 * day) : nil))
                    let profile = i % 8
                    for (j, e) in envs.enumerated() {
                        let changed = now.addingTimeInterval(-Double(rng.next(upTo: 90 * 24)) * 3600)
                        var s = FlagState(flagKey: key, env: e, enabled: profile != 4, killed: profile == 6 && j == envCount - 1,
                                          rolloutBasisPoints: profile == 5 ? (j < envCount / 2 ? 10_000 : 2_500) : 10_000,
                                          changedAt: changed, changedBy: "user\(rng.next(upTo: 20))")
                        if profile == 7 { s.rolloutBasisPoints = Int(rng.next(upTo: 101)) * 100 }
                        try w.save(s)
                    }
                }
                try w.append(AuditDraft(at: start, actor: actor, action: AuditAction.initialize, flag: nil, env: nil,
                                        before: nil, after: nil, reason: "benchmark data"))
            }
            self.rng = rng
            eventsWritten = 1
        }

        public var summary: Summary {
            Summary(hotFlag: keys[0], someEnvironment: envs[0].path, flags: keys.count, environments: envs.count, events: eventsWritten)
        }

        /// Appends rollouts, toggles, kills and unkills in time order until the log holds
        /// `total` events (the initial one included), in transactions of 50,000.
        public mutating func appendEvents(upTo total: Int) throws {
            let actions = [AuditAction.rollout, AuditAction.rollout, AuditAction.rollout, AuditAction.enable,
                           AuditAction.disable, AuditAction.kill, AuditAction.unkill, AuditAction.rollout]
            let (keys, envs, start, span, planned, actor) = (self.keys, self.envs, self.start, self.span, self.plannedEvents, self.actor)
            var rng = self.rng
            while eventsWritten < total {
                let first = eventsWritten
                let n = min(50_000, total - first)
                try store.write { w in
                    for seqIndex in first..<(first + n) {
                        // 1 % of all events go to the hot flag, so its history always has a full page.
                        let key = seqIndex % 100 == 0 ? keys[0] : keys[Int(rng.next(upTo: UInt64(keys.count)))]
                        let env = envs[Int(rng.next(upTo: UInt64(envs.count)))]
                        let at = start.addingTimeInterval(span * Double(seqIndex) / Double(planned))
                        let action = actions[Int(rng.next(upTo: UInt64(actions.count)))]
                        var before = FlagState(flagKey: key, env: env, enabled: true, rolloutBasisPoints: Int(rng.next(upTo: 101)) * 100,
                                               version: Int64(seqIndex % 1000 + 1), changedAt: at, changedBy: actor.name)
                        var after = before
                        after.version += 1
                        switch action {
                        case AuditAction.kill: after.killed = true
                        case AuditAction.unkill: before.killed = true
                        case AuditAction.disable: after.enabled = false
                        case AuditAction.enable: before.enabled = false
                        default: after.rolloutBasisPoints = Int(rng.next(upTo: 101)) * 100
                        }
                        try w.append(AuditDraft(at: at, actor: actor, action: action, flag: key, env: env.path,
                                                before: StateJSON.encode(before), after: StateJSON.encode(after),
                                                reason: action == AuditAction.kill ? "bench incident \(seqIndex)" : ""))
                    }
                }
                eventsWritten += n
            }
            self.rng = rng
        }
    }
}
