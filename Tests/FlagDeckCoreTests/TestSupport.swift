import Foundation
import Testing
@testable import FlagDeckCore

/// A fresh directory per test, so tests never share a database.
func temporaryDirectory() -> String {
    let dir = NSTemporaryDirectory() + "flagdeck-test-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// A clock the test moves by hand, so time-dependent behaviour is deterministic.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// Backends the store contract suite runs against. A PostgreSQL backend joins this list.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    var testDescription: String { rawValue }

    func make() throws -> any FlagStore {
        switch self {
        case .sqlite: try SQLiteStore(path: temporaryDirectory() + "/t.sqlite", create: true)
        }
    }
}

/// A small inventory: two accounts × two environments (prod protected), three flags.
struct Fixture {
    let store: any FlagStore
    let ops: Operations
    let clock: TestClock

    init(_ backend: StoreBackend = .sqlite, actor: Actor = Actor(name: "alice", host: "test-host")) throws {
        store = try backend.make()
        clock = TestClock()
        let c = clock
        ops = Operations(store: store, actor: actor, clock: { c.now })
        try ops.initialize()
        for (path, prot) in [("payments/prod", true), ("payments/staging", false), ("sandbox/prod", true), ("sandbox/dev", false)] {
            try ops.createEnvironment(try EnvironmentID(parsing: path), protected: prot)
        }
        try ops.createFlag(Flag(key: "checkout.v2", owner: "payments-team", createdAt: c.now))
        try ops.createFlag(Flag(key: "search-ranking", type: .experiment, createdAt: c.now))
        try ops.createFlag(Flag(key: "beta.api", owner: "platform", createdAt: c.now, dependsOn: ["checkout.v2"]))
    }

    func state(_ flag: String, _ env: String) throws -> FlagState {
        try store.read { try $0.state(flag: flag, env: try EnvironmentID(parsing: env))! }
    }

    func events() throws -> [AuditEvent] {
        try store.read { try $0.events(AuditQuery(ascending: true)) }
    }

    func other(_ name: String) -> Operations {
        let c = clock
        return Operations(store: store, actor: Actor(name: name, host: "other-host"), clock: { c.now })
    }
}
