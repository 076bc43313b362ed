import Foundation
import Testing
@testable import FlagDeckCore
import FlagDeckPostgres
import FlagDeckTestSupport

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

/// Backends the store contract suite runs against: the same tests, both stores.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    /// A fresh database on the test process's throwaway cluster (`PostgresCluster`),
    /// owned by and connected as the role `alice`.
    case postgres
    var testDescription: String { rawValue }

    func make() throws -> any FlagStore {
        switch self {
        case .sqlite: try SQLiteStore(path: temporaryDirectory() + "/t.sqlite", create: true)
        case .postgres: try PostgresTestServer.newDatabase(owner: "alice")
        }
    }

    /// The actor a front end would use on `store`: the OS-style actor on SQLite, the
    /// authenticated role (with `actor` as client context) on PostgreSQL.
    static func actor(_ actor: Actor, on store: any FlagStore) -> Actor {
        (store as? PostgresStore)?.actor(client: actor) ?? actor
    }
}

/// Roles and databases on the shared cluster for the PostgreSQL backend. Every role is a
/// login role in `flagdeck_app` with the same password, created once per process.
enum PostgresTestServer {
    static let password = "contract-pw"
    private static let lock = NSLock()
    nonisolated(unsafe) private static var roles: Set<String> = []

    static func ensureRole(_ name: String) throws -> PostgresCluster {
        let cluster = try PostgresCluster.shared()
        try lock.withLock {
            if roles.isEmpty {
                try cluster.sql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flagdeck_app') THEN CREATE ROLE flagdeck_app NOLOGIN; END IF; END $$")
            }
            if !roles.contains(name) {
                try cluster.sql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(PostgresCluster.literal(name))) THEN "
                                + "CREATE ROLE \(PostgresCluster.ident(name)) LOGIN PASSWORD \(PostgresCluster.literal(password)) IN ROLE flagdeck_app; END IF; END $$")
                roles.insert(name)
            }
        }
        return cluster
    }

    static func newDatabase(owner: String) throws -> PostgresStore {
        let cluster = try ensureRole(owner)
        let db = try cluster.createDatabase(owner: owner)
        return try PostgresStore(url: cluster.url(user: owner, password: password, database: db), create: true)
    }

    /// Another operator's connection to the same database.
    static func connect(_ role: String, like store: PostgresStore) throws -> PostgresStore {
        let cluster = try ensureRole(role)
        let database = String(store.location.split(separator: "/").last ?? "")
        return try PostgresStore(url: cluster.url(user: role, password: password, database: database))
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
        ops = Operations(store: store, actor: StoreBackend.actor(actor, on: store), clock: { c.now })
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

    /// Another operator. On PostgreSQL that is another role on its own connection, since
    /// the server, not the caller, decides who is writing.
    func other(_ name: String) throws -> Operations {
        let c = clock
        let client = Actor(name: name, host: "other-host")
        if let pg = store as? PostgresStore {
            let theirs = try PostgresTestServer.connect(name, like: pg)
            return Operations(store: theirs, actor: theirs.actor(client: client), clock: { c.now })
        }
        return Operations(store: store, actor: client, clock: { c.now })
    }
}
