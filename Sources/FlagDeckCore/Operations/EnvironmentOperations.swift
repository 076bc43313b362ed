import Foundation

/// Initialising the log and managing environments.
extension Operations {
    /// Writes the genesis event so the chain has an anchor that names who created the
    /// database. Returns nil when the log already has events (init is idempotent).
    ///
    /// `kind` marks what the database is for (`DatabaseKind.demo` for the demo builder), so
    /// a later `demo --reset` can refuse to replace anything that is not a demo.
    @discardableResult
    public func initialize(kind: String? = nil) throws -> AuditEvent? {
        if try store.read({ try $0.head() }) != nil { return nil }
        do {
            return try transaction(AuditAction.initialize, flag: nil, env: nil, reason: nil) { tx in
                try tx.initialize(kind: kind)
            }
        } catch FlagDeckError.nothingToDo {
            return nil
        }
    }

    /// Adds an environment at the end of the grid, with a disabled cell for every flag.
    @discardableResult
    public func createEnvironment(_ id: EnvironmentID, protected: Bool, reason: String = "") throws -> Environment {
        try transaction(AuditAction.envCreate, flag: nil, env: id.path, reason: reason) { tx in
            try tx.createEnvironment(id, protected: protected, reason: reason)
        }
    }

    /// Changes an environment's protection or position. Unprotecting needs a reason: it
    /// lowers the bar for every later change there.
    @discardableResult
    public func editEnvironment(_ text: String, protected: Bool? = nil, displayOrder: Int? = nil,
                                reason: String = "") throws -> Environment {
        try transaction(AuditAction.envEdit, flag: nil, env: nil, reason: reason) { tx in
            let current = try EnvironmentResolver.resolve(text, in: tx.w)
            try tx.authorize(env: current.id, action: "edit environments")
            var next = current
            if let protected { next.isProtected = protected }
            if let displayOrder { next.displayOrder = displayOrder }
            guard next != current else { throw FlagDeckError.nothingToDo("no change to \(current.id); nothing written") }
            if current.isProtected && reason.trimmingCharacters(in: .whitespaces).isEmpty {
                throw FlagDeckError.reasonRequired(action: "edit the protected environment", env: current.id.path)
            }
            next.version += 1
            try tx.w.update(next)
            try tx.append(AuditAction.envEdit, flag: nil, env: current.id.path, before: StateJSON.encode(current),
                          after: StateJSON.encode(next), reason: reason)
            return next
        }
    }
}

/// What a database is for, recorded at creation (setting `database.kind`).
public enum DatabaseKind {
    public static let settingKey = "database.kind"
    /// Built by `flagdeck demo`: the only kind `demo --reset` may replace.
    public static let demo = "demo"
}

extension Transaction {
    func initialize(kind: String? = nil) throws -> AuditEvent {
        guard try w.head() == nil else {
            // Raced with another init: the transaction needs an event to commit, so fail.
            throw FlagDeckError.nothingToDo("already initialised")
        }
        // The initializing account becomes the policy admin; with no allow rules yet
        // the inventory stays open until the admin writes some.
        let policy = AccessPolicy(admins: [actor.principal], allow: [])
        try w.setSetting(AccessPolicy.settingKey, policy.json)
        if let kind { try w.setSetting(DatabaseKind.settingKey, kind) }
        return try append(AuditAction.initialize, flag: nil, env: nil, before: nil, after: policy.json,
                          reason: kind.map { "\($0) database created" } ?? "database created")
    }

    func createEnvironment(_ id: EnvironmentID, protected: Bool, reason: String) throws -> Environment {
        try authorize(env: id, action: "create environments")
        let envs = try w.environments()
        if envs.contains(where: { $0.id == id }) { throw FlagDeckError.duplicateEnvironment(id.path) }
        let env = Environment(id: id, displayOrder: (envs.map(\.displayOrder).max() ?? 0) + 1, isProtected: protected)
        try w.insert(env)
        for f in try w.flags() { try w.save(newCell(f.key, id)) }
        try append(AuditAction.envCreate, flag: nil, env: id.path, before: nil, after: StateJSON.encode(env), reason: reason)
        return env
    }
}
