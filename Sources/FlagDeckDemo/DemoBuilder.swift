import FlagDeckCore
import Foundation

/// Builds the demo database by replaying `sample-data/history.jsonl` through
/// `Operations`, the same code path as the CLI and dashboard, with the recorded
/// operator as actor and a clock set to each line's moment. So the demo's audit log is
/// a real one: every event is validated, chained and verifiable.
public struct DemoBuilder: Sendable {
    public let data: SampleData
    /// The moment the history is relative to ("200d ago" = now − 200 days).
    public let now: Date

    public init(data: SampleData, now: Date) {
        self.data = data
        self.now = now
    }

    public struct Summary: Sendable {
        public var path: String
        public var environments: Int
        public var flags: Int
        public var events: Int64
        public var head: AuditHead?
        public var verified: Bool
        /// Where the demo's bound documents are (`DemoSources`).
        public var sources: String
    }

    /// Builds into a temporary file next to `path` and renames it into place, so an
    /// interrupted build never leaves a half-made demo that would be opened next time.
    @discardableResult
    public func build(at path: String) throws -> Summary {
        // Checked before the work and again just before the rename.
        try Self.ensureReplaceable(path)
        try DemoSources.ensureReplaceable(DemoSources.directory(for: path))
        let fm = FileManager.default
        let tmp = path + ".building-\(getpid())"
        let scratch = [tmp, tmp + "-wal", tmp + "-shm"]
        for p in scratch { try? fm.removeItem(atPath: p) }
        let files = DemoSources.directory(for: path)
        var backup: String?
        let report: AuditVerifier.Report
        do {
            report = try buildAndVerify(tmp, files: files, backup: &backup)
            try Self.ensureReplaceable(path)
        } catch {
            for p in scratch { try? fm.removeItem(atPath: p) }
            DemoSources.restore(backup, at: files)
            throw error
        }
        // Nobody has the old demo open (checked just above), so its WAL is a leftover that
        // must not be replayed into the new file.
        for p in [path + "-wal", path + "-shm"] { try? fm.removeItem(atPath: p) }
        guard rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            for p in scratch { try? fm.removeItem(atPath: p) }
            DemoSources.restore(backup, at: files)
            throw FlagDeckError.storage("cannot move the demo database into \(path): \(why)")
        }
        DemoSources.discard(backup)
        return Summary(path: path, environments: data.environments.count, flags: data.flags.count,
                       events: report.count, head: report.head, verified: report.ok, sources: files)
    }

    /// A file at `path` may be replaced only when it is a demo database nobody has open.
    /// Anything else — a real inventory, a foreign file — is refused and left byte for
    /// byte as it was; so is a demo another process is using (its WAL is live).
    public static func ensureReplaceable(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        if SQLiteStore.isOpenElsewhere(path: path) {
            throw FlagDeckError.invalidArgument(
                "\(path) is open in another flagdeck (a dashboard or a command); close it, then run `flagdeck demo --reset` again")
        }
        let kind: String?
        do {
            let store = try SQLiteStore(path: path)
            kind = try store.read { try $0.setting(DatabaseKind.settingKey) }
        } catch let e as FlagDeckError {
            throw FlagDeckError.invalidArgument("refusing to replace \(path): \(e.description)")
        }
        guard kind == DatabaseKind.demo else {
            throw FlagDeckError.invalidArgument(
                "refusing to replace \(path): it is not a demo database (it was not built by `flagdeck demo`). "
                    + "`demo --reset` only rebuilds demo files; pass another --db")
        }
    }

    /// The store is scoped here so its connection closes (and the WAL is checkpointed
    /// away) before the file is renamed. The documents go where the finished demo will
    /// find them (`files`), since a binding names its file; `backup` is what they replaced.
    private func buildAndVerify(_ path: String, files: String, backup: inout String?) throws -> AuditVerifier.Report {
        let store = try SQLiteStore(path: path, create: true)
        try replay(into: store)
        let docs = try store.read { try DemoSources.documents($0, now: now) }
        backup = try DemoSources.install(docs, at: files)
        try bind(docs, in: files, store)
        let report = try AuditLog.verify(store)
        if let p = report.problem { throw FlagDeckError.internalInvariant("demo audit log does not verify: \(p)") }
        return report
    }

    /// Replays the history in time order (file order breaks ties) into an empty store.
    public func replay(into store: any FlagStore) throws {
        let entries = data.history.enumerated().sorted { a, b in
            a.element.ago != b.element.ago ? a.element.ago > b.element.ago : a.offset < b.offset
        }.map(\.element)
        for entry in entries {
            do {
                try apply(entry, store)
            } catch {
                throw SampleDataError("history.jsonl line \(entry.line)", "\(entry.op.rawValue) failed: \(error)")
            }
        }
    }

    /// Binds each environment to its documents, as the person building the demo. The
    /// documents say exactly what the inventory says, so a binding that would change a
    /// cell means sample-data holds a cell no demo document can, and the build stops.
    func bind(_ docs: [DemoSources.Document], in dir: String, _ store: any FlagStore) throws {
        let ops = Operations(store: store, actor: Actor.current(), clock: { now })
        for d in docs {
            let added = try ops.addSource(env: d.env.path, uri: "file:" + dir + "/" + d.relativePath, format: d.format.rawValue,
                                          reason: "demo: the file \(d.env)'s applications read")
            if let c = added.changes.first {
                throw FlagDeckError.internalInvariant("demo: binding \(d.relativePath) would change the inventory: \(c)")
            }
        }
    }

    func actor(_ name: String) -> Actor {
        Actor(name: name, host: data.operators[name] ?? "\(name)-workstation")
    }

    func apply(_ h: HistoryEntry, _ store: any FlagStore) throws {
        let at = now.addingTimeInterval(-h.ago)
        let ops = Operations(store: store, actor: actor(h.by), clock: { at })
        switch h.op {
        case .initialize:
            guard try ops.initialize(kind: DatabaseKind.demo) != nil else {
                throw FlagDeckError.invalidArgument("the database is not empty")
            }
        case .environment:
            let id = try EnvironmentID(parsing: h.env!)
            guard let spec = data.environment(id) else { throw SampleDataError("environments.json", "\(id) is not listed") }
            let env = try ops.createEnvironment(id, protected: spec.isProtected, reason: h.reason)
            if env.displayOrder != spec.order {
                try ops.editEnvironment(id.path, displayOrder: spec.order, reason: "display order from environments.json")
            }
        case .create:
            let key = h.flag!
            let spec = data.flags[key]!
            try ops.createFlag(Flag(key: key, description: spec.description, owner: spec.owner, type: spec.type,
                                    tags: spec.tags, createdAt: at, expiresAt: spec.expiresIn.map { now.addingTimeInterval($0) },
                                    dependsOn: spec.dependsOn, valueKind: spec.valueKind, variants: spec.variants),
                               reason: h.reason)
            // The flag's rules and default come from each environment's Powertools file.
            for e in data.environments {
                guard let fc = data.features[e.id]?[key], fc.differsFromNewCell else { continue }
                try ops.setRules(flag: key, env: e.id.path, rules: fc.rules, defaultValue: fc.defaultValue,
                                 reason: "rules from sample-data/\(e.id.account)/\(e.id.name)/features.json")
            }
            for o in spec.overrides {
                try ops.setOverride(flag: key, env: o.env.path, key: o.contextKey, equals: try JSONParser.parse(o.equals),
                                    serve: try JSONParser.parse(o.serve), expires: o.expiresIn.map { now.addingTimeInterval($0) },
                                    reason: o.note)
            }
        case .edit:
            let e = h.edit
            try ops.editFlag(h.flag!, reason: h.reason) { f in
                if let owner = e.owner { f.owner = owner }
                if let d = e.description { f.description = d }
                if let t = e.tags { f.tags = t }
                if let x = e.expiresIn { f.expiresAt = x.map { now.addingTimeInterval($0) } }
                if let t = e.type { f.type = t }
            }
        case .enable, .disable:
            try ops.setEnabled(h.op == .enable, flag: h.flag!, env: h.env!, reason: h.reason)
        case .rollout:
            try ops.setRollout(flag: h.flag!, env: h.env!, basisPoints: try Percent.parse(h.percent!), reason: h.reason)
        case .kill:
            if h.env == "*" { try ops.killEverywhere(flag: h.flag!, reason: h.reason) }
            else { try ops.kill(flag: h.flag!, env: h.env!, reason: h.reason) }
        case .unkill:
            if h.env == "*" { try ops.unkillEverywhere(flag: h.flag!, reason: h.reason) }
            else { try ops.unkill(flag: h.flag!, env: h.env!, reason: h.reason) }
        }
    }
}
