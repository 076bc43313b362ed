import Foundation

/// What `source add` did.
public struct SourceAddition: Sendable {
    public var binding: SourceBinding
    /// Cells the document changed (one `import` event each) and flags it created.
    public var changes: [ImportChange]
    /// Cells that were killed in the inventory but are live in the document: the document
    /// is what applications read, so the binding records them as live.
    public var warnings: [String]
}

/// Binding environments to the places their flags really live. Where a kill goes is a
/// security-relevant change, so binding and unbinding are audited (`source.add`,
/// `source.rm`), obey the access policy, and need a reason in a protected environment.
extension Operations {
    @discardableResult
    public func addSource(env envText: String, uri text: String, format: String? = nil, options: [String: String] = [:],
                          reason: String = "") throws -> SourceAddition {
        let uri = try SourceURI(parsing: text)
        if case .dynamoDB(let table) = uri { return try addJobsSource(env: envText, location: table, options: options, reason: reason) }
        let driver = try sources.documentSource(for: uri, options: options)
        if case .file(let path) = uri { try Self.checkBindableFile(path) }
        let snapshot = try driver.readServed()
        let name = BoundDocument.name(uri.description)
        let docFormat: DocumentFormat
        do {
            if let format {
                guard let f = DocumentFormat(rawValue: format), f != .appConfigFeatureFlagsServed else {
                    throw SourceError.badURI(text, "unknown --format \(format) (powertools, features-config, flagd, appconfig-feature-flags)")
                }
                docFormat = f
            } else if let declared = try driver.declaredFormat() {
                docFormat = declared
            } else {
                docFormat = try FlagDocuments.detectFormat(snapshot.bytes, file: name)
            }
        } catch let e as FormatError {
            throw SourceError.unparseable(source: name, detail: e.description)
        }
        return try transaction(AuditAction.sourceAdd, flag: nil, env: envText, reason: reason) { tx in
            let (env, why) = try tx.bindingEnvironment(envText, reason: reason, source: name)
            let existing = try tx.w.sourceBindings()
            if let other = existing.first(where: { Self.sameSource($0.uri, uri.description) }) {
                throw SourceError.bindingConflict("\(name) is already bound to \(other.env); unbind it there first (`flagdeck source rm \(other.env) \(other.uri) --reason …`)")
            }
            var binding = SourceBinding(env: env.id, uri: uri.description, format: docFormat.rawValue, options: options,
                                        version: snapshot.version, syncedAt: tx.now, createdAt: tx.now, createdBy: tx.actor.name)
            let doc = try BoundDocument(binding, snapshot, served: true)
            try tx.refuseCollisions(doc, among: existing.filter { $0.env == env.id })
            binding = try tx.w.insert(binding)
            let bound = try BoundDocument(binding, snapshot, served: true)
            try tx.append(AuditAction.sourceAdd, flag: nil, env: env.id.path, before: nil, after: binding.auditJSON, reason: why)
            var addition = SourceAddition(binding: binding, changes: [], warnings: [])
            for key in bound.document.keys {
                let cell = try Self.cell(bound, key)
                if try tx.w.flag(key: key) == nil {
                    try FlagKey.validate(key)
                    _ = try tx.createFlag(Flag(key: key, createdAt: tx.now, valueKind: cell.valueKind), reason: "found in \(name)")
                    addition.changes.append(ImportChange(kind: .createFlag, flag: key))
                }
                guard let current = try tx.w.state(flag: key, env: env.id) else { continue }
                // A killed cell whose document serves nothing stays killed; one the
                // document serves is live where applications read it, and the grid must
                // say so.
                let stillKilled = current.killed && !cell.servesSomething
                if current.killed && !stillKilled {
                    addition.warnings.append("\(key) was killed in \(env.id) but is live in \(name), which is what applications read; the binding records it as live. Kill it again to stop it there")
                }
                let stamp = SourceStamp(uri: binding.uri, version: snapshot.version, origin: "external")
                let overrides = try tx.w.overrides(flag: key, env: env.id)
                let says = bound.document.alreadySays(DesiredCell(state: current, valueKind: cell.valueKind, overrides: overrides, now: tx.now),
                                                      for: key, context: bound.context)
                if !stillKilled, !says, let next = try CellChange.found(CellValues(cell), action: AuditAction.importCells).applied(to: current) {
                    let (stored, _) = try tx.record(AuditAction.importCells, from: current, to: next, env: env.id, reason: why,
                                                    source: stamp)
                    addition.changes.append(ImportChange(kind: .updateCell, flag: key, env: env.id.path,
                                                         before: StateJSON.summary(current), after: StateJSON.encode(stored)))
                }
                try tx.syncOverrides(cell, flag: key, env: env.id)
                try tx.w.save(SourceFlagRecord(bindingID: binding.id, flag: key, seen: bound.fingerprint(key)))
            }
            return addition
        }
    }

    /// Unbinds: the environment's flags stay in the inventory, with their history; changes
    /// stop reaching the source and sync stops reading it.
    @discardableResult
    public func removeSource(env envText: String, uri text: String, reason: String) throws -> SourceBinding {
        let uri = try SourceURI(parsing: text)
        let why = reason.trimmingWhitespace()
        guard !why.isEmpty else { throw FlagDeckError.reasonRequired(action: "unbind a source (it decides where kills go)", env: envText) }
        return try transaction(AuditAction.sourceRemove, flag: nil, env: envText, reason: why) { tx in
            let env = try EnvironmentResolver.resolve(envText, in: tx.w)
            try tx.authorize(env: env.id, action: "unbind sources")
            guard let b = try tx.w.sourceBindings().first(where: { $0.env == env.id && Self.sameSource($0.uri, uri.description) }) else {
                throw FlagDeckError.invalidArgument("\(env.id) is not bound to \(uri); see `flagdeck source list`")
            }
            if let pending = try tx.w.pendingIntents().first(where: { $0.bindingID == b.id }) {
                throw FlagDeckError.invalidArgument("a change to \(pending.flag) is still being written to \(BoundDocument.name(b.uri)); wait for it (or run any writing command to settle it) and retry")
            }
            try tx.w.deleteBinding(id: b.id)
            try tx.append(AuditAction.sourceRemove, flag: nil, env: env.id.path, before: b.auditJSON, after: nil, reason: why)
            return b
        }
    }

    public func sourceBindings() throws -> [SourceBinding] {
        try store.read { try $0.sourceBindings() }
    }

    /// Two spellings of one source: the same URI, or two paths to one file.
    static func sameSource(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard case .file(let p)? = try? SourceURI(parsing: a), case .file(let q)? = try? SourceURI(parsing: b) else { return false }
        return realpath(p) == realpath(q) && realpath(p) != nil
    }

    static func realpath(_ p: String) -> String? {
        guard let r = Glibc.realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    /// A file binding names a document in a directory; a symlink that leads out of that
    /// directory would let a kill write somewhere nobody reviewed.
    static func checkBindableFile(_ path: String) throws(SourceError) {
        let dir = (path as NSString).deletingLastPathComponent
        guard let real = realpath(path) else {
            throw .unreachable(source: path, detail: "cannot read: \(String(cString: strerror(errno)))")
        }
        guard let realDir = realpath(dir.isEmpty ? "." : dir) else { throw .unreachable(source: path, detail: "its directory is missing") }
        guard real.hasPrefix(realDir + "/") else {
            throw .bindingConflict("\(path) is a symlink to \(real), outside \(realDir); bind the real file instead")
        }
        var st = stat()
        if stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
            throw .unreachable(source: path, detail: "is a directory; bind the document itself (e.g. \(path)/features.json)")
        }
    }

    static func cell(_ doc: BoundDocument, _ key: String) throws(SourceError) -> DocumentCell {
        do { return try doc.document.cell(key, context: doc.context) } catch {
            throw .unparseable(source: doc.document.file, detail: error.description)
        }
    }
}

extension Transaction {
    /// Each flag lives in exactly one document of an environment.
    func refuseCollisions(_ doc: BoundDocument, among others: [SourceBinding]) throws {
        for other in others where other.id != doc.binding.id {
            let theirs = Set(try w.sourceFlags(binding: other.id).filter { $0.seen != nil }.map(\.flag))
            if let key = doc.document.keys.first(where: theirs.contains) {
                throw SourceError.bindingConflict("\(key) is in both \(BoundDocument.name(doc.binding.uri)) and \(BoundDocument.name(other.uri)), both bound to \(doc.binding.env); a flag must live in one document per environment")
            }
        }
    }

    /// The overrides a document expresses become the cell's override rows.
    func syncOverrides(_ cell: DocumentCell, flag: String, env: EnvironmentID) throws {
        let stored = try w.overrides(flag: flag, env: env)
        let wanted = cell.overrides.map { o in
            Override(flagKey: flag, env: env, contextKey: o.contextKey, matchValue: o.matchValue, serve: o.serve,
                     createdAt: now, createdBy: actor.name)
        }
        let key = { (o: Override) in "\(o.contextKey)=\(JSONWriter.compact(o.matchValue))→\(o.serve)" }
        if Set(stored.map(key)) != Set(wanted.map(key)) {
            try w.replaceOverrides(flag: flag, env: env, with: wanted)
        }
    }
}

extension SourceBinding {
    /// The audit snapshot of a binding (no secrets: URIs name profiles, never keys).
    var auditJSON: String {
        JSONWriter.compact(.object(JSONObject([
            ("uri", .string(uri)), ("format", .string(format)), ("version", version.map { .string($0) } ?? .null),
            ("options", .object(JSONObject(options.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))),
        ])))
    }
}

extension Transaction {
    /// The environment a binding goes to, for every kind of source: a new `ACCOUNT/ENV` is
    /// created (as an import would), then the policy and the protected-environment reason
    /// rule apply, since a binding decides where that environment's kills go.
    func bindingEnvironment(_ envText: String, reason: String, source name: String) throws -> (Environment, String) {
        let env: Environment
        do {
            env = try EnvironmentResolver.resolve(envText, in: w)
        } catch FlagDeckError.unknownEnvironment where envText.contains("/") {
            env = try createEnvironment(try EnvironmentID(parsing: envText), protected: false,
                                        reason: reason.isEmpty ? "bound to \(name)" : reason)
        }
        try authorize(env: env.id, action: "bind environments to sources")
        let why = reason.trimmingWhitespace()
        if env.isProtected && why.isEmpty {
            throw FlagDeckError.reasonRequired(action: "bind a source (it decides where kills go)", env: env.id.path)
        }
        return (env, why)
    }
}
