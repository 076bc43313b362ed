import Foundation

/// What one binding's sync found.
public struct SyncReport: Sendable {
    public var binding: SourceBinding
    /// The source version read, when it could be read.
    public var version: String?
    /// Cells changed outside flagdeck, as recorded (or, dry, as they would be).
    public var changes: [SyncChange]
    /// Why the source could not be read or parsed; the inventory is unchanged then.
    public var error: String?
    public var events: [AuditEvent]
    /// What the operator should know beyond the content, for the environment's header:
    /// AppConfig's `v15 staged, v14 deployed`, `deploying v15 40 %`, `rolled back …`
    /// (`SourceSnapshot.status`); nil when there is nothing to say.
    public var status: String? = nil
}

public struct SyncChange: Sendable, Hashable {
    public enum Kind: String, Sendable { case created, changed, absent }
    public var kind: Kind
    public var flag: String
    public var before: String?
    public var after: String?
}

/// Sync reads what the sources hold now and records every flag whose value there differs
/// from what the inventory last saw: one `sync` event per cell, with the source's version
/// and `origin: external`, by the account that ran the sync. Nothing is decided here —
/// the change already happened where applications read — so the access policy does not
/// apply; only recording does.
extension Operations {
    public func sync(envs: [String] = [], dryRun: Bool = false, force: Bool = false) throws -> [SyncReport] {
        let wanted = try envs.map { try EnvironmentResolver.resolve($0, in: store.read { try $0.environments() }).id }
        let bindings: [(SourceBinding, isTable: Bool)] = try store.read({ try $0.sourceBindings() }).compactMap { b in
            guard wanted.isEmpty || wanted.contains(b.env), let uri = try? SourceURI(parsing: b.uri) else { return nil }
            if case .dynamoDB = uri { return (b, true) }
            return (b, false)
        }
        // Documents are read and parsed one ahead, on another thread, while this one
        // records the last: with fifty 5,000-flag files, half the time sync takes.
        let sources = self.sources
        let loads = Prefetch(count: bindings.count) { i -> DocumentRead? in
            bindings[i].isTable ? nil : Self.read(bindings[i].0, force: force, sources)
        }
        defer { loads.cancel() }
        var out: [SyncReport] = []
        for (i, (b, _)) in bindings.enumerated() {
            if let read = loads.take(i) { out.append(try syncDocument(b, read, dryRun: dryRun)) }
            else { out.append(try syncJobs(b, dryRun: dryRun)) }
        }
        return out
    }

    func syncDocument(_ b: SourceBinding, dryRun: Bool, force: Bool) throws -> SyncReport {
        try syncDocument(b, Self.read(b, force: force, sources), dryRun: dryRun)
    }

    /// What reading a bound document gave, before anything is recorded: no store access,
    /// so it can run ahead on another thread.
    enum DocumentRead: Sendable {
        case unreadable(String)
        /// The version the inventory already has (not parsed).
        case unchanged(SourceSnapshot)
        case unparseable(SourceSnapshot, String)
        case parsed(BoundDocumentBox)
    }

    static func read(_ b: SourceBinding, force: Bool, _ sources: SourceDrivers) -> DocumentRead {
        let snapshot: SourceSnapshot
        do { snapshot = try sources.documentSource(for: b).readServed() } catch { return .unreadable(error.description) }
        if !force && snapshot.version == b.version && b.syncError == nil { return .unchanged(snapshot) }
        do { return .parsed(BoundDocumentBox(try BoundDocument(b, snapshot, served: true))) } catch {
            return .unparseable(snapshot, error.description)
        }
    }

    func syncDocument(_ b: SourceBinding, _ read: DocumentRead, dryRun: Bool) throws -> SyncReport {
        var report = SyncReport(binding: b, version: nil, changes: [], error: nil, events: [])
        let now = clock()
        func fail(_ why: String, version: String?) throws -> SyncReport {
            report.error = why
            report.version = version
            if !dryRun && b.syncError != why { try store.journal { try $0.recordSync(binding: b.id, version: version, at: now, error: why) } }
            return report
        }
        let snapshot: SourceSnapshot, doc: BoundDocument
        switch read {
        case .unreadable(let why): return try fail(why, version: nil)
        case .unchanged(let s):
            report.version = s.version
            report.status = s.status
            return report
        case .unparseable(let s, let why):
            report.status = s.status
            return try fail(why, version: s.version)
        case .parsed(let box):
            (snapshot, doc) = (box.value.snapshot, box.value)
        }
        report.version = snapshot.version
        report.status = snapshot.status
        do {
            let result = try store.write { w -> SyncReport in
                let tx = Transaction(w: w, actor: actor, now: now)
                try tx.refuseCollisions(doc, among: try w.sourceBindings().filter { $0.env == b.env })
                var r = report
                var seen: [SourceFlagRecord] = []
                r.events = try tx.recordSync(doc, changes: &r.changes, seen: &seen)
                if dryRun { throw DryRun(report: r) }
                try w.recordSync(binding: b.id, version: snapshot.version, at: now, error: nil)
                if r.events.isEmpty { throw NothingFound(report: r, seen: seen) }
                return r
            }
            return result
        } catch let d as DryRun {
            return d.report
        } catch let n as NothingFound {
            // The version moved but no flag's value did (a reformat, another flag's no-op):
            // bookkeeping only.
            try store.journal { j in
                for record in n.seen { try j.save(record) }
                try j.recordSync(binding: b.id, version: snapshot.version, at: now, error: nil)
            }
            return n.report
        } catch let e as SourceError {
            return try fail(e.description, version: snapshot.version)
        }
    }

    /// A parsed document crossing from the reading thread; it is immutable once built.
    struct BoundDocumentBox: @unchecked Sendable { let value: BoundDocument; init(_ v: BoundDocument) { value = v } }

    private struct DryRun: Error { var report: SyncReport }
    private struct NothingFound: Error { var report: SyncReport; var seen: [SourceFlagRecord] }
}

extension Transaction {
    /// The events for every flag of `doc` whose value differs from what was last seen.
    /// Cells with a push under way are left to that push.
    func recordSync(_ doc: BoundDocument, changes: inout [SyncChange], seen: inout [SourceFlagRecord]) throws -> [AuditEvent] {
        let b = doc.binding
        let name = BoundDocument.name(b.uri)
        var records = Dictionary(uniqueKeysWithValues: try w.sourceFlags(binding: b.id).map { ($0.flag, $0) })
        let busy = Set(try w.pendingIntents().filter { $0.bindingID == b.id }.map(\.flag))
        let stamp = SourceStamp(uri: b.uri, version: doc.snapshot.version, origin: "external")
        var events: [AuditEvent] = []
        for key in doc.document.keys where !busy.contains(key) {
            let last = records.removeValue(forKey: key)
            if let last, SourceFingerprint.matches(doc.document, key, context: doc.context, seen: last.seen) { continue }
            let fp = doc.fingerprint(key)
            let cell = try Operations.cell(doc, key)
            var kind = SyncChange.Kind.changed
            if try w.flag(key: key) == nil {
                try FlagKey.validate(key)
                _ = try createFlag(Flag(key: key, createdAt: now, valueKind: cell.valueKind), reason: "sync: new in \(name)")
                kind = .created
            }
            guard let current = try w.state(flag: key, env: b.env) else { continue }
            // A killed cell whose source still serves nothing stays killed (a reformatted kill
            // is still a kill); one the source now serves was unkilled out there.
            let stillKilled = current.killed && !cell.servesSomething
            let next = stillKilled ? nil : try CellChange.found(CellValues(cell), action: AuditAction.sync).applied(to: current)
            if let next {
                let (stored, e) = try record(AuditAction.sync, from: current, to: next, env: b.env, reason: "changed in \(name)",
                                             source: stamp)
                events.append(e)
                changes.append(SyncChange(kind: kind, flag: key, before: StateJSON.summary(current), after: StateJSON.summary(stored)))
            } else if kind == .created {
                changes.append(SyncChange(kind: kind, flag: key, before: nil, after: StateJSON.summary(current)))
            }
            try syncOverrides(cell, flag: key, env: b.env)
            let r = SourceFlagRecord(bindingID: b.id, flag: key, seen: fp, preKill: stillKilled ? last?.preKill : nil)
            try w.save(r)
            seen.append(r)
        }
        // What the inventory saw there before and the source no longer has.
        for (key, last) in records where last.seen != nil && !busy.contains(key) {
            guard let current = try w.state(flag: key, env: b.env) else { continue }
            var gone = stamp
            gone.absent = true
            let e = try append(AuditAction.sync, flag: key, env: b.env.path, before: StateJSON.encode(current),
                               after: StateJSON.encode(current, source: gone), reason: "gone from \(name)")
            events.append(e)
            changes.append(SyncChange(kind: .absent, flag: key, before: StateJSON.summary(current), after: nil))
            let r = SourceFlagRecord(bindingID: b.id, flag: key, seen: nil, preKill: nil)
            try w.save(r)
            seen.append(r)
        }
        return events
    }
}

extension DocumentCell {
    /// Whether any context is served the flag: what a kill must make false.
    var servesSomething: Bool {
        guard enabled else { return false }
        if rolloutBasisPoints > 0 { return true }
        if rules != "[]" || !overrides.isEmpty { return true }
        return (try? JSONParser.parse(defaultValue))?.isTruthy ?? false
    }
}
