import FlagDeckCore
import Foundation

/// What to generate. `events` counts every audit event, including the genesis event,
/// one per environment and one per flag creation.
public struct GeneratorConfig: Sendable, Hashable {
    public var flags: Int
    public var envs: Int
    public var events: Int
    public var seed: UInt64
    /// Events per transaction: big enough to amortise commits, small enough to keep
    /// the WAL and the transaction's memory bounded.
    public var batchEvents: Int

    public init(flags: Int, envs: Int, events: Int, seed: UInt64 = 1, batchEvents: Int = 50_000) {
        self.flags = flags
        self.envs = envs
        self.events = events
        self.seed = seed
        self.batchEvents = batchEvents
    }

    public var minimumEvents: Int { 1 + envs + flags }
}

public struct GeneratorSummary: Sendable {
    public var flags: Int
    public var envs: Int
    public var events: Int
    public var head: AuditHead?
    /// Final cells by `CellState.name`.
    public var cellStates: [String: Int]
}

/// Generates big, demo-like databases for benchmarks and tests, deterministically: the
/// same config and seed give the same content byte for byte, timestamps included,
/// because every time is drawn from the seeded RNG over a fixed year (2025) and the
/// operators and hosts are a fixed set.
///
/// It writes through `HistoryReplay` in batched transactions of `batchEvents`, because a
/// million single-event `Operations` calls would take hours. The replay runs the same
/// transaction bodies and cell rules as the CLI (`CellChange`), so the generator only
/// decides *what* happens; whether it may, and what it records, is the core's.
public final class Generator {
    public let config: GeneratorConfig

    /// 2025-01-01T00:00:00Z, a Wednesday; generated history spans the 365 days after it.
    public static let epochMillis: Int64 = 1_735_689_600_000
    static let spanDays = 365
    static let steps: [Int] = [500, 2_500, 5_000, 10_000]

    var rng: SplitMix64
    var envIDs: [EnvironmentID] = []
    var envProtected: [Bool] = []
    var flags: [Flag] = []
    var keys: Set<String> = []
    // One slot per (flag, env), index flag * envs + env: compact, so 500k cells stay small.
    var enabled: [Bool] = []
    var killed: [Bool] = []
    var basisPoints: [UInt16] = []
    var version: [Int32] = []
    var ruleSet: [UInt8] = []
    var changedAt: [Int64] = []
    var changedBy: [UInt8] = []
    let actors: [Actor]

    public init(_ config: GeneratorConfig) throws(FlagDeckError) {
        guard config.flags >= 1, config.envs >= 1 else { throw .invalidArgument("generate needs at least 1 flag and 1 environment") }
        guard config.events >= config.minimumEvents else {
            throw .invalidArgument("--events must be at least \(config.minimumEvents) (1 init + \(config.envs) environments + \(config.flags) flag creations)")
        }
        self.config = config
        rng = SplitMix64(seed: config.seed)
        actors = GeneratorVocabulary.operators.map { Actor(name: $0.0, host: $0.1) }
        let cells = config.flags * config.envs
        enabled = [Bool](repeating: false, count: cells)
        killed = [Bool](repeating: false, count: cells)
        basisPoints = [UInt16](repeating: 10_000, count: cells)
        version = [Int32](repeating: 1, count: cells)
        ruleSet = [UInt8](repeating: 0, count: cells)
        changedAt = [Int64](repeating: 0, count: cells)
        changedBy = [UInt8](repeating: 0, count: cells)
    }

    /// Fills an empty store. `progress(done, total)` is called every few thousand events.
    public func run(into store: any FlagStore, progress: (Int, Int) -> Void = { _, _ in }) throws -> GeneratorSummary {
        guard try store.read({ try $0.head() }) == nil else {
            throw FlagDeckError.invalidArgument("\(store.location) already has events; generate writes into a new database")
        }
        let times = drawTimes()
        makeEnvironments()
        var slot = 0
        var lastHead: AuditHead?
        let replay = HistoryReplay(store: store)
        while slot < times.count {
            let end = min(times.count, slot + config.batchEvents)
            lastHead = try replay.batch { b -> AuditHead? in
                var head: AuditHead?
                while slot < end {
                    let e = try step(slot: slot, at: times[slot], b)
                    head = AuditHead(seq: e.seq, hash: e.hash)
                    slot += 1
                    if slot % 5_000 == 0 { progress(slot, times.count) }
                }
                return head
            }
        }
        progress(times.count, times.count)
        var mix: [String: Int] = [:]
        for i in 0..<enabled.count { mix[cell(i).name, default: 0] += 1 }
        return GeneratorSummary(flags: flags.count, envs: envIDs.count, events: times.count, head: lastHead, cellStates: mix)
    }

    // MARK: Time

    /// Event times in ms since the epoch, sorted: weekdays and working hours dominate,
    /// as in the demo's history.
    func drawTimes() -> [Int64] {
        let hourWeights: [Double] = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 1, 2, 3, 3, 3, 2.5, 3, 3, 3, 2.5, 2, 1.2, 0.8, 0.6, 0.5, 0.4, 0.3]
        var out = [Int64]()
        out.reserveCapacity(config.events)
        for _ in 0..<config.events {
            var day = rng.below(Self.spanDays)
            // Day 0 is a Wednesday; days 3 and 4 mod 7 are the weekend. Keep 1 in 5.
            while (day + 2) % 7 >= 5 && !rng.chance(0.2) { day = rng.below(Self.spanDays) }
            let hour = rng.weighted(hourWeights)
            let ms = Int64(day) * 86_400_000 + Int64(hour) * 3_600_000 + Int64(rng.below(3_600_000))
            out.append(Self.epochMillis + ms)
        }
        out.sort()
        return out
    }

    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: (Double(ms) + 0.5) / 1000) }

    // MARK: Inventory

    func makeEnvironments() {
        var account = 0
        while envIDs.count < config.envs {
            let base = GeneratorVocabulary.accounts[account % GeneratorVocabulary.accounts.count]
            let round = account / GeneratorVocabulary.accounts.count
            let name = round == 0 ? base : "\(base)-\(round + 1)"
            let isProd = name.contains("-prod")
            let pool = isProd ? GeneratorVocabulary.prodEnvs : GeneratorVocabulary.nonprodEnvs
            let count = min(pool.count, 2 + rng.below(3), config.envs - envIDs.count)
            for i in 0..<count {
                envIDs.append(EnvironmentID(account: name, name: pool[i]))
                envProtected.append(isProd)
            }
            account += 1
        }
    }

    func newFlag(at ms: Int64) -> Flag {
        let v = GeneratorVocabulary.self
        let area = rng.pick(v.areas)
        var key = area + "." + rng.pick(v.words)
        if rng.chance(0.6) { key += "-" + rng.pick(v.words) }
        key += rng.pick(v.suffixes)
        if keys.contains(key) { key += "-\(flags.count)" }
        keys.insert(key)
        let type = [FlagType.release, .experiment, .operational, .killSwitch, .permission][rng.weighted([60, 15, 10, 8, 7])]
        let owner: String? = rng.chance(0.08) ? nil : rng.pick(v.teams)
        var tags = [area]
        for _ in 0..<rng.below(3) { let t = rng.pick(v.tags); if !tags.contains(t) { tags.append(t) } }
        let expires: Date? = rng.chance(0.3) ? Self.date(ms + Int64(30 + rng.below(120)) * 86_400_000) : nil
        var deps: [String] = []
        if flags.count >= 10 && rng.chance(0.04) { deps.append(flags[rng.below(flags.count)].key) }
        var kind = ValueKind.boolean
        var variants: [Variant] = []
        if type == .experiment && rng.chance(0.3) {
            kind = .json
            variants = [Variant(name: "control", value: #"{"variant":"control"}"#, weight: 50),
                        Variant(name: "treatment", value: #"{"variant":"treatment"}"#, weight: 50)]
        }
        let words = key.split(separator: ".").dropFirst().joined().replacingOccurrences(of: "-", with: " ")
        return Flag(key: key, description: "\(words.prefix(1).uppercased() + words.dropFirst()) for \(area).", owner: owner,
                    type: type, tags: tags, createdAt: Self.date(ms), expiresAt: expires, dependsOn: deps,
                    valueKind: kind, variants: variants)
    }

    // MARK: Events

    func cell(_ i: Int) -> CellState {
        if killed[i] { return .killed }
        if !enabled[i] { return .off }
        return basisPoints[i] >= 10_000 ? .on : .partial(basisPoints: Int(basisPoints[i]))
    }

    /// Mirrors a cell the core wrote into the compact arrays the next decisions read.
    func remember(_ s: FlagState, at i: Int, by actor: Int, ms: Int64) {
        enabled[i] = s.enabled
        killed[i] = s.killed
        basisPoints[i] = UInt16(s.rolloutBasisPoints)
        version[i] = Int32(s.version)
        changedAt[i] = ms
        changedBy[i] = UInt8(actor)
    }

    /// Writes the event for one slot: genesis, environments, then creations interleaved
    /// with changes so that creations spread over the year.
    func step(slot: Int, at ms: Int64, _ b: ReplayBatch) throws -> AuditEvent {
        let when = Self.date(ms)
        if slot == 0 { return try b.initialize(as: actors[0], at: when) }
        if slot <= config.envs {
            return try b.createEnvironment(envIDs[slot - 1], protected: envProtected[slot - 1], as: actors[0], at: when,
                                           reason: "environment onboarded").1
        }
        let toCreate = config.flags - flags.count
        let slotsLeft = config.events - slot
        if toCreate > 0 && (flags.isEmpty || toCreate >= slotsLeft || rng.below(slotsLeft) < toCreate) {
            return try create(at: ms, b)
        }
        if rng.chance(0.01) { return try edit(at: ms, b) }
        return try mutate(at: ms, b)
    }

    func create(at ms: Int64, _ b: ReplayBatch) throws -> AuditEvent {
        let flag = newFlag(at: ms)
        let by = rng.below(actors.count - 1)
        let (stored, event) = try b.createFlag(flag, as: actors[by], at: Self.date(ms), reason: rng.chance(0.5) ? "new flag" : "")
        let base = flags.count * config.envs
        flags.append(stored)
        for e in 0..<config.envs {
            changedAt[base + e] = ms
            changedBy[base + e] = UInt8(by)
        }
        return event
    }

    func edit(at ms: Int64, _ b: ReplayBatch) throws -> AuditEvent {
        let f = rng.below(flags.count)
        let before = flags[f]
        var next = before
        switch rng.below(3) {
        case 0: next.owner = next.owner == nil || rng.chance(0.3) ? rng.pick(GeneratorVocabulary.teams) : nil
        case 1: next.tags.append(rng.pick(GeneratorVocabulary.tags) + "-\(rng.below(10))")
        default: next.expiresAt = Self.date(ms + Int64(14 + rng.below(90)) * 86_400_000)
        }
        if next == before { next.description += " (updated)" }
        let (stored, event) = try b.editFlag(next, as: actors[rng.below(actors.count - 1)], at: Self.date(ms),
                                             reason: "metadata update")
        flags[f] = stored
        return event
    }

    /// Picks a cell, recently created flags first (rollouts follow creation), a set of
    /// busy flags next (operational toggles), then any flag, and a change the core's
    /// rules accept in its current state.
    func mutate(at ms: Int64, _ b: ReplayBatch) throws -> AuditEvent {
        let created = flags.count
        let r = rng.unit()
        let f: Int
        if r < 0.5 { f = created - 1 - rng.below(min(created, 40)) }
        else if r < 0.75 { f = 8 * rng.below((created + 7) / 8) }
        else { f = rng.below(created) }
        var e = rng.below(config.envs)
        // Rollouts proceed environment by environment: a fully-on cell usually hands the
        // change to the flag's next environment that is not fully on yet.
        if cell(f * config.envs + e) == .on && rng.chance(0.85) {
            for k in 1..<max(1, config.envs) {
                let c = (e + k) % config.envs
                if cell(f * config.envs + c) != .on { e = c; break }
            }
        }
        let i = f * config.envs + e
        let v = GeneratorVocabulary.self
        let change: CellChange
        var reason = ""
        var actor = rng.below(actors.count - 1)
        let bp = Int(basisPoints[i])
        if killed[i] {
            change = .unkill
            reason = rng.pick(v.unkillReasons)
        } else if !enabled[i] {
            switch rng.weighted([bp == 10_000 ? 60 : 75, bp == 10_000 ? 35 : 20, 3, 2]) {
            case 0: change = .enable
            case 1: change = .rollout(basisPoints: Self.steps.first { $0 > bp } ?? Self.steps[0])
            case 2: change = nextRules(i)
            default: change = .kill; reason = rng.pick(v.killReasons)
            }
        } else if bp < 10_000 {
            // A revert needs somewhere to go down to: at 0 % it becomes a step up.
            switch rng.weighted([80, bp > 0 ? 6 : 0, 4, 3, 4]) {
            case 0:
                change = .rollout(basisPoints: Self.steps.first { $0 > bp }!)
                if rng.chance(0.3) { actor = actors.count - 1 }
                reason = rng.pick(v.rolloutReasons)
            case 1:
                change = .rollout(basisPoints: Self.steps.last { $0 < bp } ?? 0)
                reason = rng.pick(v.revertReasons)
            case 2: change = .disable
            case 3: change = .kill; reason = rng.pick(v.killReasons)
            default: change = nextRules(i)
            }
        } else {
            switch rng.weighted([20, 8, 47, 25]) {
            case 0: change = .disable
            case 1: change = .kill; reason = rng.pick(v.killReasons)
            case 2: change = nextRules(i)
            default: change = .rollout(basisPoints: 5_000); reason = rng.pick(v.revertReasons)
            }
        }
        if change == .kill || change == .unkill { actor = rng.chance(0.6) ? 5 : 1 }
        if reason.isEmpty && (envProtected[e] || rng.chance(0.3)) { reason = rng.pick(v.toggleReasons) }
        guard let (after, event) = try b.change(flag: flags[f].key, env: envIDs[e], change, as: actors[actor],
                                                at: Self.date(ms), reason: reason) else {
            throw FlagDeckError.internalInvariant("generator chose a no-op (\(change.action)) for \(flags[f].key) in \(envIDs[e])")
        }
        remember(after, at: i, by: actor, ms: ms)
        return event
    }

    /// A `state.set` to a different rule set than the cell has now.
    func nextRules(_ i: Int) -> CellChange {
        let n = GeneratorVocabulary.ruleSets.count
        ruleSet[i] = UInt8((Int(ruleSet[i]) + 1 + rng.below(n - 1)) % n)
        let r = GeneratorVocabulary.ruleSets[Int(ruleSet[i])]
        return .rules(rules: r.rules, defaultValue: r.defaultValue)
    }
}
