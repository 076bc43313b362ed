import FlagDeckAWS
import Foundation

/// Binding and syncing a DynamoDB jobs table: one boolean attribute of every item is one
/// flag, and each job's value is a per-job override on the table's key (`job_id`) through
/// the override store every cell has. The cell itself stays enabled with the binding's
/// default (`default=`, false unless given), so a job without the attribute evaluates as
/// the application's `.get(attribute, False)` does.
extension Operations {
    func addJobsSource(env envText: String, location loc: SourceURI.DynamoDBLocation, options: [String: String],
                       reason: String) throws -> SourceAddition {
        let uri = SourceURI.dynamoDB(loc).description
        try FlagKey.validate(loc.flag)
        let src = try Self.jobsSource(loc)
        let snapshot: DynamoDBJobsSnapshot
        do { snapshot = try src.scan() } catch { throw error.sourceError(uri: uri) }
        let numberKey = src.keyType == "N"
        return try transaction(AuditAction.sourceAdd, flag: nil, env: envText, reason: reason) { tx in
            let (env, why) = try tx.bindingEnvironment(envText, reason: reason, source: "\(uri)")
            let existing = try tx.w.sourceBindings()
            if let other = existing.first(where: { $0.uri == uri }) {
                throw SourceError.bindingConflict("\(uri) is already bound to \(other.env); unbind it there first (`flagdeck source rm \(other.env) '\(other.uri)' --reason …`)")
            }
            for other in existing where other.env == env.id {
                if other.jobsLocation?.flag == loc.flag {
                    throw SourceError.bindingConflict("\(loc.flag) in \(env.id) is already bound to \(other.uri); a flag lives in one place per environment")
                }
                if other.jobsLocation == nil,
                   try tx.w.sourceFlag(binding: other.id, flag: loc.flag)?.seen != nil {
                    throw SourceError.bindingConflict("\(loc.flag) is in both \(uri) and \(BoundDocument.name(other.uri)), both bound to \(env.id); a flag must live in one place per environment")
                }
            }
            var binding = SourceBinding(env: env.id, uri: uri, format: "dynamodb", options: options, version: snapshot.version,
                                        syncedAt: tx.now, createdAt: tx.now, createdBy: tx.actor.name)
            binding = try tx.w.insert(binding)
            try tx.append(AuditAction.sourceAdd, flag: nil, env: env.id.path, before: nil, after: binding.auditJSON, reason: why)
            var addition = SourceAddition(binding: binding, changes: [], warnings: [])
            if try tx.w.flag(key: loc.flag) == nil {
                _ = try tx.createFlag(Flag(key: loc.flag, createdAt: tx.now, valueKind: .boolean), reason: "found in \(uri)")
                addition.changes.append(ImportChange(kind: .createFlag, flag: loc.flag))
            } else if let f = try tx.w.flag(key: loc.flag), f.valueKind != .boolean {
                throw SourceError.bindingConflict("\(loc.flag) is a \(f.valueKind) flag; a DynamoDB attribute binds as a boolean flag")
            }
            guard let current = try tx.w.state(flag: loc.flag, env: env.id) else {
                throw FlagDeckError.internalInvariant("flag \(loc.flag) has no state in \(env.id)")
            }
            var target = current
            target.enabled = true
            target.rolloutBasisPoints = 10_000
            target.rules = "[]"
            target.defaultValue = loc.defaultValue ? "true" : "false"
            if current.killed && snapshot.servedOnCount > 0 {
                target.killed = false
                addition.warnings.append("\(loc.flag) was killed in \(env.id) but \(snapshot.servedOnCount) jobs have it on in \(loc.table), which is what the application reads; the binding records it as live. Kill it again to turn them off")
            }
            let overrides = JobsCell.overrides(snapshot.states, location: loc, numberKey: numberKey, flag: loc.flag, env: env.id,
                                               now: tx.now, by: tx.actor.name)
            try tx.w.replaceOverrides(flag: loc.flag, env: env.id, with: overrides)
            var detail = JobsAuditDetail(on: snapshot.servedOnCount, items: snapshot.count)
            detail.changed = snapshot.states.filter { $0.value != .absent }.sorted { $0.key < $1.key }
                .map { ($0.key, "absent", $0.value.description) }
            let stamp = SourceStamp(uri: uri, version: snapshot.version, origin: "external")
            let (stored, _) = try tx.recordJobs(AuditAction.importCells, from: current, to: target, env: env.id,
                                                reason: why.isEmpty ? "bound to \(uri)" : why, source: stamp, detail: detail)
            addition.changes.append(ImportChange(kind: .updateCell, flag: loc.flag, env: env.id.path,
                                                 before: StateJSON.summary(current), after: StateJSON.encode(stored)))
            try tx.w.save(SourceFlagRecord(bindingID: binding.id, flag: loc.flag, seen: JobsSeen(snapshot).json))
            for nb in snapshot.nonBoolean.prefix(20) {
                addition.warnings.append("job \(nb.job) holds \(loc.attribute) = \(nb.value), not a boolean; flagdeck reports it and never overwrites it")
            }
            if snapshot.nonBoolean.count > 20 { addition.warnings.append("… and \(snapshot.nonBoolean.count - 20) more non-boolean items") }
            return addition
        }
    }

    /// Opens (once per process) the table a binding names, as a source error.
    static func jobsSource(_ loc: SourceURI.DynamoDBLocation) throws(SourceError) -> DynamoDBJobsSource {
        do { return try DynamoDBSources.shared.source(for: loc) } catch {
            throw error.sourceError(uri: SourceURI.dynamoDB(loc).description)
        }
    }

    /// Sync of one table: a parallel projected scan, then ONE `sync` event for the cell
    /// listing every job that changed since the last sync (never one event per job). A
    /// killed cell holds: jobs found serving on are turned off again through the journal
    /// (`DynamoDBBulkPlan.hold`), and the same event records them.
    func syncJobs(_ b: SourceBinding, dryRun: Bool) throws -> SyncReport {
        var report = SyncReport(binding: b, version: nil, changes: [], error: nil, events: [])
        guard let loc = b.jobsLocation else { return report }
        let now = clock()
        func fail(_ why: String) throws -> SyncReport {
            report.error = why
            if !dryRun && b.syncError != why { try store.journal { try $0.recordSync(binding: b.id, version: nil, at: now, error: why) } }
            return report
        }
        let src: DynamoDBJobsSource
        let snapshot: DynamoDBJobsSnapshot
        do {
            src = try Self.jobsSource(loc)
            snapshot = try src.scan()
        } catch let e as SourceError {
            return try fail(e.description)
        } catch let e as DynamoDBJobsError {
            return try fail(e.sourceError(uri: b.uri).description)
        }
        report.version = snapshot.version
        let (state, cell, record, busy) = try store.read { r in
            (try r.state(flag: loc.flag, env: b.env),
             JobsCell(location: loc, overrides: try r.overrides(flag: loc.flag, env: b.env),
                      record: try r.sourceFlag(binding: b.id, flag: loc.flag)),
             try r.sourceFlag(binding: b.id, flag: loc.flag),
             try r.pendingIntents().contains { $0.bindingID == b.id })
        }
        guard let state else { return try fail("flag \(loc.flag) has no cell in \(b.env)") }
        if busy { return try fail("a change to \(loc.flag) is still being written to \(loc.table); run `flagdeck source resume \(b.env)` to finish it") }
        let changes = cell.changes(snapshot)
        let hold = state.killed && !snapshot.killTargets.isEmpty
        if dryRun {
            if !changes.isEmpty {
                report.changes = [SyncChange(kind: .changed, flag: loc.flag, before: Self.jobsText(cell.lastSeen.count, state),
                                             after: "\(changes.count) jobs changed" + (hold ? ", \(snapshot.killTargets.count) to turn off again (killed)" : ""))]
            }
            return report
        }
        if changes.isEmpty && !hold {
            try store.journal { j in
                try j.recordSync(binding: b.id, version: snapshot.version, at: now, error: nil)
                if var s = JobsSeen(json: record?.seen), s.version != snapshot.version || s.items != snapshot.count {
                    s.version = snapshot.version
                    s.items = snapshot.count
                    try j.save(SourceFlagRecord(bindingID: b.id, flag: loc.flag, seen: s.json, preKill: record?.preKill))
                }
            }
            return report
        }
        var held: DynamoDBBulkPlan?
        var intentID: String?
        if hold {
            let killRecord = (try? record?.preKill.map { try DynamoDBKillRecord(json: $0) }) ?? nil
            let lastSeen = snapshot.states.keys.reduce(into: [String: DynamoDBJobState]()) { m, job in
                if let s = cell.state(job) { m[job] = s }
            }
            let plan = DynamoDBBulkPlan.hold(snapshot, record: killRecord ?? DynamoDBKillRecord(), lastSeen: lastSeen, uri: b.uri)
            let id = UUID().uuidString.lowercased()
            intentID = id
            LivePushes.shared.insert(id)
            defer { LivePushes.shared.remove(id) }
            try store.journal { j in
                try j.insert(PushIntent(id: id, bindingID: b.id, createdAt: now, operator: actor.name, host: actor.host,
                                        action: AuditAction.sync, flag: loc.flag, env: b.env,
                                        reason: "a kill holds: \(plan.steps.count) jobs turned back on in \(loc.table)",
                                        before: StateJSON.encode(state), after: StateJSON.encode(state),
                                        plan: JobsIntentPlan(bulk: plan).json))
            }
            held = try runJobs(plan, intent: id, source: src, action: "hold", flag: loc.flag, env: b.env)
        }
        let result = try store.write { w -> SyncReport in
            let tx = Transaction(w: w, actor: actor, now: now)
            guard let current = try w.state(flag: loc.flag, env: b.env) else { throw FlagDeckError.unknownFlag(loc.flag) }
            var states = snapshot.states
            var detail = JobsAuditDetail(on: 0, items: snapshot.count)
            detail.changed = changes
            if let held {
                for s in held.steps where s.status == .applied { states[s.job] = s.set }
                detail.skipped = held.skipped
                detail.failed = held.failed
            }
            let overrides = JobsCell.overrides(states, location: loc, numberKey: src.keyType == "N", flag: loc.flag, env: b.env,
                                               now: tx.now, by: tx.actor.name)
            try w.replaceOverrides(flag: loc.flag, env: b.env, with: overrides)
            detail.on = current.killed ? 0 : states.values.filter { $0.served(default: loc.defaultValue) }.count
            var stamp = SourceStamp(uri: b.uri, version: snapshot.version, origin: "external")
            var why = "\(changes.count) jobs changed in \(loc.table)"
            if let held {
                let turned = held.applied
                stamp.intent = intentID
                stamp.details["held"] = String(turned.count)
                why += "; the kill holds: \(turned.count) turned off again"
                detail.changed = Self.mergeHeld(changes, held)
            }
            let (_, event) = try tx.recordJobs(AuditAction.sync, from: current, to: current, env: b.env, reason: why,
                                               source: stamp, detail: detail)
            var preKill = record?.preKill
            if let held, current.killed {
                let before = (try? preKill.map { try DynamoDBKillRecord(json: $0) }) ?? nil
                preKill = (before ?? DynamoDBKillRecord()).merging(held.killRecord).json
            }
            try w.save(SourceFlagRecord(bindingID: b.id, flag: loc.flag, seen: JobsSeen(DynamoDBJobsSnapshot(
                states: states, defaultValue: loc.defaultValue, readAt: snapshot.readAt)).json, preKill: preKill))
            try w.recordSync(binding: b.id, version: snapshot.version, at: now, error: nil)
            if let intentID { try w.deleteIntent(id: intentID) }
            var r = report
            r.events = [event]
            r.changes = [SyncChange(kind: .changed, flag: loc.flag, before: Self.jobsText(cell.lastSeen.count, current),
                                    after: "\(detail.on)/\(JobsCellSummary.compact(snapshot.count)) jobs, \(changes.count) changed"
                                        + (held.map { ", \($0.applied.count) turned off again (killed)" } ?? ""))]
            return r
        }
        return result
    }

    /// A job turned back on and off again appears once: `on → off (held)`.
    static func mergeHeld(_ changes: [(job: String, before: String, after: String)], _ held: DynamoDBBulkPlan)
        -> [(job: String, before: String, after: String)] {
        let turned = Set(held.applied)
        return changes.map { c in turned.contains(c.job) ? (c.job, c.before, c.after + " → off (kill holds)") : c }
    }

    static func jobsText(_ explicit: Int, _ s: FlagState) -> String { s.killed ? "killed" : "\(explicit) jobs with the attribute" }
}

extension Transaction {
    /// Saves `target` one version on from `current` with its event, whose `after` carries
    /// the source stamp and the per-job detail.
    func recordJobs(_ action: String, from current: FlagState, to target: FlagState, env: EnvironmentID, reason: String,
                    source: SourceStamp, detail: JobsAuditDetail) throws -> (FlagState, AuditEvent) {
        var next = target
        next.version = current.version + 1
        next.changedAt = now
        next.changedBy = actor.name
        try w.save(next)
        let event = try append(action, flag: current.flagKey, env: env.path, before: StateJSON.encode(current),
                               after: detail.appended(to: StateJSON.encode(next, source: source)), reason: reason)
        return (next, event)
    }
}
