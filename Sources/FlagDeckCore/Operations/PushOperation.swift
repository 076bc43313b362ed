import Foundation

/// Thrown inside a write transaction when the cell's environment is bound to a source:
/// the transaction rolls back having written nothing, and the change takes the push path.
struct BoundCell: Error {
    let binding: SourceBinding
    /// The environment's only binding, a document: worth remembering (`BindingHints`).
    var sole = false
}

extension Decision {
    /// The binding a flag of `env` lives in: a table bound for exactly this flag, else the
    /// document that holds it, else the environment's first document (a push then adds it).
    func binding(for flag: String, in env: EnvironmentID) throws -> SourceBinding? {
        let bound = try r.sourceBindings().filter { $0.env == env }
        guard !bound.isEmpty else { return nil }
        var documents: [SourceBinding] = []
        for b in bound {
            // Only a table binding names its flag. Parsing a document's URI normalises its
            // path against the working directory, which costs more than the decision.
            if Self.mayBeTable(b.uri), case .dynamoDB(let d)? = try? SourceURI(parsing: b.uri) {
                if d.flag == flag { return b }
            } else {
                documents.append(b)
            }
        }
        if documents.count <= 1 { return documents.first }
        for b in documents where try (r.sourceFlag(binding: b.id, flag: flag)?.seen != nil) {
            return b
        }
        return documents.first
    }

    func isSoleDocument(_ b: SourceBinding) throws -> Bool {
        guard !Self.mayBeTable(b.uri) else { return false }
        return try r.sourceBindings().filter { $0.env == b.env }.count == 1
    }

    /// The same binding for a push: same row, place and environment (its version and
    /// sync bookkeeping move with every push).
    static func sameBinding(_ a: SourceBinding?, _ b: SourceBinding) -> Bool {
        guard let a else { return false }
        return a.id == b.id && a.uri == b.uri && a.env == b.env
    }

    static func mayBeTable(_ uri: String) -> Bool { SourceURI.scheme(of: uri) == "dynamodb" }
}

/// Every change to a cell of a bound environment reaches the document the application
/// reads, with its audit row, and no crash can separate the two:
///
/// 1. read the document as it is now;
/// 2. one journal transaction decides the change (version, policy, reason, cell rules),
///    checks the flag there is what the inventory last saw — someone else's edit is a
///    conflict, except for a kill, which never waits and records what it found so unkill
///    restores it — and records the intent;
/// 3. the driver writes only that flag's change, compare-and-swap (a lost race goes back
///    to 1, a bounded number of times);
/// 4. one audited transaction saves the cell, what the source now says, and the event
///    with the source's new version, and removes the intent. It is committed
///    `.backedByIntent`: three flushes per push (intent, file, directory), not four.
///
/// A crash between 2 and 4 leaves the intent; `recoverPushes` settles it at the next open.
extension Operations {
    static let pushAttempts = 5

    /// `checkBinding`: the binding came from a hint, so the journal transaction first
    /// checks it is still where the flag lives (else `BindingMoved`, nothing written).
    func pushDocument(_ binding: SourceBinding, flag key: String, env envText: String, _ change: PushChange,
                      reason: String?, expectedVersion: (EnvironmentID) -> Int64?,
                      checkBinding: Bool = false) throws -> MutationResult {
        // A hinted binding that cannot even be read is left to the ordinary path, which
        // finds out whether it is still bound and reports the source's error if it is.
        func unlessHinted<T>(_ body: () throws -> T) throws -> T {
            guard checkBinding else { return try body() }
            do { return try body() } catch { throw BindingMoved() }
        }
        let driver = try unlessHinted { try sources.documentSource(for: binding) }
        var lost: SourceError?
        for _ in 0..<Self.pushAttempts {
            let snapshot = try unlessHinted { try driver.readLatest() }
            let doc = try unlessHinted { try BoundDocument(binding, snapshot, served: false) }
            let intentID = UUID().uuidString.lowercased()
            LivePushes.shared.insert(intentID)
            defer { LivePushes.shared.remove(intentID) }
            let now = clock()
            let prepared: PreparedPush
            do {
                prepared = try store.journal { j in
                    try prepare(j, binding: binding, doc: doc, intentID: intentID, now: now, flag: key, env: envText,
                                change, reason: reason, expectedVersion: expectedVersion, checkBinding: checkBinding)
                }
            } catch let e as FormatError {
                try recordPushFailure(binding, flag: key, env: envText, change, reason: reason, error: e.description)
                throw SourceError.unsupported(source: BoundDocument.name(binding.uri), detail: e.description)
            }
            TestCrashPoint.hit(.intentRecorded)
            TestPausePoint.beforeWrite()
            let receipt: SourceReceipt
            if prepared.bytes == snapshot.bytes {
                receipt = SourceReceipt(version: snapshot.version)  // the document already says it
            } else {
                let write = SourceWrite(bytes: prepared.bytes, baseVersion: snapshot.version, intentID: intentID,
                                        description: Self.describe(change, key, actor, prepared.reason, intentID),
                                        urgent: change.isKill)
                switch Self.attempt(driver, write) {
                case .success(let r): receipt = r
                case .failure(let e):
                    if case .changedSince = e {
                        lost = e
                        try store.journal { try $0.deleteIntent(id: intentID) }
                        continue
                    }
                    try recordPushFailure(binding, flag: key, env: envText, change, reason: reason, error: e.description,
                                          intent: intentID)
                    throw e
                }
            }
            TestCrashPoint.hit(.sourceWritten)
            if let written = prepared.document {
                ParsedDocuments.remember(written, format: BoundDocument.format(binding, served: false), file: BoundDocument.name(binding.uri))
            }
            // The intent committed in step 2 already carries this change through a power
            // loss (`recoverPushes` records it), so this commit does not wait for the disk.
            let result = try transaction(change.action, flag: key, env: nil, reason: reason, durability: .backedByIntent) { tx in
                try tx.finishPush(prepared, binding: binding, receipt: receipt, recovered: false)
            }
            TestCrashPoint.hit(.committed)
            return result
        }
        throw lost ?? SourceError.changedSince(source: BoundDocument.name(binding.uri), expected: "?", found: "?")
    }

    /// Step 2, inside the journal transaction.
    func prepare(_ j: any JournalWriting, binding: SourceBinding, doc: BoundDocument, intentID: String, now: Date,
                 flag key: String, env envText: String, _ change: PushChange, reason: String?,
                 expectedVersion: (EnvironmentID) -> Int64?, checkBinding: Bool = false) throws -> PreparedPush {
        let d = Decision(r: j, actor: actor, now: now)
        let (env, current) = try d.cell(flag: key, env: envText)
        if checkBinding, !Decision.sameBinding(try d.binding(for: key, in: env.id), binding) { throw BindingMoved() }
        if let other = try j.pendingIntents().first(where: { $0.flag == key && $0.env == env.id }) {
            throw FlagDeckError.conflict(FlagDeckError.Conflict(
                subject: "\(key) in \(env.id)", expectedVersion: current.version, currentVersion: current.version,
                changedBy: other.operator, changedAt: UTC.format(other.createdAt),
                lastAction: "\(other.action) being written to \(BoundDocument.name(binding.uri))", now: StateJSON.summary(current)))
        }
        let planned: (next: FlagState, reason: String)
        switch change {
        case .cell(let c):
            guard let p = try d.plan(current, in: env, c, reason: reason, expectedVersion: expectedVersion(env.id)) else {
                throw FlagDeckError.nothingToDo(c.unchangedReason(current))
            }
            planned = (p.next, p.reason)
        case .override:
            // Policy and the protected-environment reason rule were checked by the override
            // operation; the cell itself does not change.
            planned = (current, (reason ?? "").trimmingWhitespace())
        }
        let record = try j.sourceFlag(binding: binding.id, flag: key)
        let found = doc.fingerprint(key)
        let name = BoundDocument.name(binding.uri)
        if found != record?.seen, !change.isKill {
            throw SourceError.changedOutside(source: name, flag: key, seen: record?.seen.map(Self.clip) ?? "absent",
                                             now: found.map(Self.clip) ?? "absent")
        }
        let next: FlagDocument
        var preKill = record?.preKill
        switch change {
        case .cell(.kill):
            // A kill never waits: on top of whatever is there now, remembering it.
            preKill = doc.document.fragmentText(key)
            next = preKill == nil ? doc.document : try doc.document.killing(key)
        case .cell(.unkill) where preKill != nil:
            next = try doc.document.replacing(key, withText: preKill!)
            preKill = nil
        default:
            let flag = try j.flag(key: key)
            var overrides = try j.overrides(flag: key, env: env.id)
            if case .override(let edit) = change { overrides = edit.applied(to: overrides) }
            next = try doc.document.applying(DesiredCell(state: planned.next, valueKind: flag?.valueKind ?? .boolean,
                                                         overrides: overrides, now: now),
                                             to: key, context: doc.context)
            if change == .cell(.unkill) { preKill = nil }
        }
        let after = SourceFingerprint.of(next, key, context: doc.context)
        var plan = PushPlan(base: doc.snapshot.version, afterFingerprint: after, preKill: preKill, next: planned.next)
        if case .override(let edit) = change { plan.overrideEdit = edit }
        try j.insert(PushIntent(id: intentID, bindingID: binding.id, createdAt: now, operator: actor.name, host: actor.host,
                                action: change.action, flag: key, env: env.id, reason: planned.reason,
                                before: StateJSON.encode(current), after: StateJSON.encode(planned.next), plan: plan.json))
        return PreparedPush(intentID: intentID, env: env.id, flag: key, action: change.action, reason: planned.reason,
                            plan: plan, document: next)
    }

    /// A change that could not reach its source is recorded as an attempt: an incident
    /// review needs to see it. The inventory is unchanged.
    func recordPushFailure(_ binding: SourceBinding, flag: String, env envText: String, _ change: PushChange, reason: String?,
                           error: String, intent: String? = nil) throws {
        let now = clock()
        try store.write { w in
            let tx = Transaction(w: w, actor: actor, now: now)
            let current = try? tx.cell(flag: flag, env: envText)
            if let intent { try w.deleteIntent(id: intent) }
            let after = JSONWriter.compact(.object(JSONObject([("action", .string(change.action)), ("error", .string(error)),
                                                               ("uri", .string(binding.uri))])))
            try tx.append(AuditAction.pushFailed, flag: flag, env: current?.0.id.path ?? envText,
                          before: current.map { StateJSON.encode($0.1) }, after: after,
                          reason: (reason ?? "").trimmingWhitespace())
        }
    }

    /// The write as a value, so the retry decision reads plainly (and typed throws stay
    /// out of the loop's catch clauses).
    static func attempt(_ driver: any DocumentSource, _ write: SourceWrite) -> Result<SourceReceipt, SourceError> {
        do { return .success(try driver.write(write)) } catch { return .failure(error) }
    }

    static func describe(_ change: PushChange, _ key: String, _ actor: Actor, _ reason: String, _ intent: String) -> String {
        let text = "flagdeck \(change.action) \(key) by \(actor.name): \(reason) (intent \(intent))"
        if text.utf8.count <= 1000, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? $0 : "?" }).prefix(1000))
    }

    static func clip(_ s: String) -> String { s.count > 120 ? String(s.prefix(117)) + "..." : s }
}

/// A push decided and journaled, waiting for its write.
struct PreparedPush {
    var intentID: String
    var env: EnvironmentID
    var flag: String
    var action: String
    var reason: String
    var plan: PushPlan
    /// The document as the push writes it (nil when a recovery settles a push found landed).
    var document: FlagDocument?
    var bytes: [UInt8] { document?.bytes ?? [] }
}

extension Transaction {
    /// Step 4 (and what recovery does for a write that landed): the cell, what the source
    /// now says, the event with the source's version, the intent removed.
    func finishPush(_ p: PreparedPush, binding: SourceBinding, receipt: SourceReceipt, recovered: Bool) throws -> MutationResult {
        guard try w.pendingIntents().contains(where: { $0.id == p.intentID }) else {
            throw FlagDeckError.internalInvariant("the change to \(p.flag) in \(p.env) (intent \(p.intentID)) was already settled by another process; see `flagdeck history \(p.flag)`")
        }
        guard let current = try w.state(flag: p.flag, env: p.env) else { throw FlagDeckError.unknownFlag(p.flag) }
        var target = p.plan.next
        target.version = current.version
        let stamp = SourceStamp(uri: binding.uri, version: receipt.version, origin: "flagdeck", intent: p.intentID,
                                recovered: recovered, details: receipt.details)
        let result: MutationResult
        if let edit = p.plan.overrideEdit {
            result = MutationResult(states: [current], events: [try storeOverride(edit, env: p.env, reason: p.reason, source: stamp)])
        } else {
            let (next, event) = try record(p.action, from: current, to: target, env: p.env, reason: p.reason, source: stamp)
            result = MutationResult(states: [next], events: [event])
        }
        try w.save(SourceFlagRecord(bindingID: binding.id, flag: p.flag, seen: p.plan.afterFingerprint, preKill: p.plan.preKill))
        try w.deleteIntent(id: p.intentID)
        return result
    }

    /// An override edit the document received, stored with its one event.
    func storeOverride(_ edit: OverrideEdit, env: EnvironmentID, reason: String, source: SourceStamp) throws -> AuditEvent {
        func stamped(_ json: String) -> String { String(json.dropLast()) + ",\"source\":" + source.json + "}" }
        switch edit {
        case .set(let o, let old):
            let saved = try w.upsert(o)
            return try append(edit.action, flag: o.flagKey, env: env.path, before: old?.json, after: stamped(saved.json), reason: reason)
        case .remove(let o):
            try w.deleteOverride(id: o.id)
            return try append(edit.action, flag: o.flagKey, env: env.path, before: o.json,
                              after: stamped("{\"removed\":\(o.id)}"), reason: reason)
        }
    }
}
