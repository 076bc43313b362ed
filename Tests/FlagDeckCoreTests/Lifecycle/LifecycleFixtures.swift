import FlagDeckCore
import Foundation

/// Fixed clock and builders for the lifecycle tests: every boundary is stated as an
/// offset from `T.now`, in seconds, so a case reads like the rule it pins.
enum T {
    static let now = Date(timeIntervalSince1970: 1_795_219_200)  // 2026-11-21T00:00:00Z
    static let day: TimeInterval = 86_400
    static let window = 28 * day

    static func ago(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(-seconds) }

    static func env(_ i: Int) -> EnvironmentID { EnvironmentID(account: "acct", name: "env\(i)") }

    static func flag(_ key: String = "f", type: FlagType = .release, owner: String? = "alice",
                     created: Date = ago(10 * day), expires: Date? = nil) -> Flag {
        Flag(key: key, owner: owner, type: type, createdAt: created, expiresAt: expires)
    }

    /// A cell: "on" (100 %), "off", "kill", or a percentage such as "25".
    static func cell(_ state: String, env i: Int = 0, changed: Date = ago(40 * day), by: String = "alice",
                     flag: String = "f") -> FlagState {
        var s = FlagState(flagKey: flag, env: env(i), enabled: true, killed: false, rolloutBasisPoints: 10_000,
                          changedAt: changed, changedBy: by)
        switch state {
        case "on": break
        case "off": s.enabled = false
        case "kill": s.killed = true
        default: s.rolloutBasisPoints = Int(Double(state)! * 100)
        }
        return s
    }

    /// One cell per state, environments numbered in order, all changed at `changed`.
    static func cells(_ states: [String], changed: Date = ago(40 * day), flag: String = "f") -> [FlagState] {
        states.enumerated().map { cell($1, env: $0, changed: changed, flag: flag) }
    }

    static func kinds(_ flag: Flag, _ cells: [FlagState], activity: FlagActivity = .none,
                      settings: LifecycleSettings = .defaults, now: Date = now) -> Set<HintKind> {
        Set(RetirementHints.evaluate(flag: flag, cells: cells, activity: activity, settings: settings, now: now).map(\.kind))
    }

    /// A fresh SQLite store in a temporary directory with `envs` environments.
    static func store(envs: Int = 3, clock: Date = now) throws -> (SQLiteStore, Operations) {
        let store = try SQLiteStore(path: scratch + "/\(UUID().uuidString).sqlite", create: true)
        let ops = Operations(store: store, actor: Actor(name: "tester", host: "test"), clock: { clock })
        try ops.initialize()
        for i in 0..<envs { try ops.createEnvironment(env(i), protected: false) }
        return (store, ops)
    }

    /// One scratch directory per test process. Stores stay open until the process ends,
    /// so they cannot be removed per test; instead each run sweeps the directories that
    /// earlier runs left behind (older than an hour, so a concurrent run is never hit).
    static let scratch: String = {
        let fm = FileManager.default
        let tmp = NSTemporaryDirectory()
        for name in (try? fm.contentsOfDirectory(atPath: tmp)) ?? [] where name.hasPrefix("flagdeck-lifecycle-tests-") {
            let path = tmp + "/" + name
            if let m = (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date, m.timeIntervalSinceNow < -3_600 {
                try? fm.removeItem(atPath: path)
            }
        }
        let dir = tmp + "/flagdeck-lifecycle-tests-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    /// Operations with a different fixed clock on the same store.
    static func at(_ date: Date, _ store: SQLiteStore, name: String = "tester") -> Operations {
        Operations(store: store, actor: Actor(name: name, host: "test"), clock: { date })
    }
}
