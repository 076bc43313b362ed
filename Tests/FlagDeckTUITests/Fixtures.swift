import FlagDeckCore
import Foundation
@testable import FlagDeckTUI

/// A real SQLite database in a temporary directory, built through `Operations` like the
/// CLI would, with two accounts and a protected environment in each.
struct Fixture {
    let dir: URL
    let path: String
    let store: SQLiteStore
    let ops: Operations
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let actor = Actor(name: "alice", host: "test")

    init(flags: [String] = ["checkout-v2", "dark-mode", "new-search"]) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-tui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("t.db").path
        store = try SQLiteStore(path: path, create: true)
        let clock: @Sendable () -> Date = { Fixture.now.addingTimeInterval(-3 * 86_400) }
        ops = Operations(store: store, actor: Fixture.actor, clock: clock)
        try ops.initialize()
        try ops.createEnvironment(EnvironmentID(account: "acme", name: "dev"), protected: false)
        try ops.createEnvironment(EnvironmentID(account: "acme", name: "prod"), protected: true)
        try ops.createEnvironment(EnvironmentID(account: "globex", name: "staging"), protected: false)
        try ops.createEnvironment(EnvironmentID(account: "globex", name: "prod"), protected: true)
        for (i, f) in flags.enumerated() {
            try ops.createFlag(Flag(key: f, owner: i == 1 ? "web" : "payments", tags: i == 2 ? ["search"] : [],
                                    createdAt: clock(), dependsOn: []))
        }
        if flags.contains("checkout-v2") {
            try ops.setEnabled(true, flag: "checkout-v2", env: "acme/dev")
            try ops.setEnabled(true, flag: "checkout-v2", env: "acme/prod", reason: "launch")
        }
        if flags.contains("new-search") {
            try ops.setEnabled(true, flag: "new-search", env: "globex/staging")
            try ops.setRollout(flag: "new-search", env: "globex/staging", basisPoints: 2_500)
        }
    }

    /// Operations stamped "now", for changes that should look recent.
    var recentOps: Operations {
        Operations(store: store, actor: Fixture.actor, clock: { Fixture.now.addingTimeInterval(-60) })
    }

    func app(readOnly: Bool = false, rows: Int = 30, cols: Int = 120) throws -> DashboardApp {
        var app = try DashboardApp(store: store, readOnly: readOnly, theme: .default, glyphs: .unicode,
                                   actor: Fixture.actor, now: { Fixture.now })
        app.resize(rows: rows, cols: cols)
        return app
    }

    func eventCount() throws -> Int64 { try store.read { try $0.eventCount() } }

    func state(_ flag: String, _ env: String) throws -> FlagState? {
        try store.read { try $0.state(flag: flag, env: EnvironmentID(parsing: env)) }
    }
}

extension DashboardApp {
    mutating func press(_ keys: Key...) { for k in keys { handle(k) } }
    mutating func type(_ s: String) { for k in Key.typing(s) { handle(k) } }

    func screen(rows: Int = 30, cols: Int = 120) -> MemorySurface {
        let s = MemorySurface(rows: rows, cols: cols)
        render(on: s)
        return s
    }

    /// The top screen as `S`, or nil when another screen is showing.
    func top<S: Screen>(_: S.Type) -> S? { top as? S }

    /// Nothing open over the grid.
    var onGrid: Bool { stack.pushed.isEmpty && commandLine == nil }

    /// Moves the cursor to a flag and environment the way an operator would.
    mutating func select(flag: String, env: String) {
        run(.flag(flag))
        while let e = model.currentEnvironment, e.id.path != env, model.envCursor < model.visibleEnvs.count - 1 { handle(.right) }
        while let e = model.currentEnvironment, e.id.path != env, model.envCursor > 0 { handle(.left) }
    }
}
