import Foundation

/// `override set FLAG --env E --key job_id --equals J --serve true|false` and `override rm`
/// on a DynamoDB-bound cell change that job's item: conditional on the value flagdeck last
/// saw (someone else's change is a conflict naming the job, exit 2), never creating an
/// item, never writing over a non-boolean. The intent is recorded before the write, so a
/// crash between the write and its audit row is settled at the next open by reading the
/// item back.
extension Operations {
    /// The binding when `flag` in `envText` lives in a table; nil otherwise.
    func jobsBinding(flag: String, env envText: String) throws -> (SourceBinding, SourceURI.DynamoDBLocation, Environment)? {
        try store.read { r in
            let bindings = try r.sourceBindings()
            guard bindings.contains(where: { $0.jobsLocation?.flag == flag }) else { return nil }
            let env = try EnvironmentResolver.resolve(envText, in: r)
            guard let b = bindings.first(where: { $0.env == env.id && $0.jobsLocation?.flag == flag }), let loc = b.jobsLocation else {
                return nil
            }
            return (b, loc, env)
        }
    }

    /// Sets one job; nil when the cell is not bound to a table (the ordinary override path).
    func setJobOverride(flag: String, env envText: String, key: String, equals: JSONValue, serve: JSONValue, expires: Date?,
                        reason: String) throws -> Override? {
        guard let (b, loc, _) = try jobsBinding(flag: flag, env: envText) else { return nil }
        guard key == loc.key else {
            throw FlagDeckError.invalidArgument("\(flag) in \(b.env) lives in DynamoDB table \(loc.table), one value per item keyed by \(loc.key); use --key \(loc.key)")
        }
        guard let on = serve.boolValue else {
            throw FlagDeckError.invalidJSON(field: "--serve", detail: "\(flag) is the boolean attribute \(loc.attribute) of each job; serve true or false")
        }
        guard expires == nil else {
            throw FlagDeckError.invalidArgument("a job's value in DynamoDB table \(loc.table) cannot expire; set it and remove it later with `flagdeck override rm`")
        }
        try changeJob(b, loc, job: JobsCell.job(equals), to: on ? .on : .off, action: AuditAction.overrideSet, reason: reason)
        return try store.read { r in
            try r.overrides(flag: flag, env: b.env).first { $0.contextKey == loc.key && JobsCell.job($0.matchValue) == JobsCell.job(equals) }
        }
    }

    /// Removes the attribute from one job (it then serves the default); nil when the
    /// override is not a table's.
    func removeJobOverride(_ o: Override, reason: String) throws -> Override? {
        guard let (b, loc, _) = try jobsBinding(flag: o.flagKey, env: o.env.path), o.contextKey == loc.key else { return nil }
        try changeJob(b, loc, job: JobsCell.job(o.matchValue), to: .absent, action: AuditAction.overrideRemove, reason: reason)
        return o
    }

    private func changeJob(_ b: SourceBinding, _ loc: SourceURI.DynamoDBLocation, job: String, to target: DynamoDBJobState,
                           action: String, reason: String) throws {
        let src = try Self.jobsSource(loc)
        let now = clock()
        let intentID = UUID().uuidString.lowercased()
        LivePushes.shared.insert(intentID)
        defer { LivePushes.shared.remove(intentID) }
        let seen: DynamoDBJobState = try store.journal { j in
            let d = Decision(r: j, actor: actor, now: now)
            let (env, current) = try d.cell(flag: loc.flag, env: b.env.path)
            try d.authorize(env: env.id, action: action == AuditAction.overrideSet ? "set overrides" : "remove overrides")
            if env.isProtected && reason.trimmingWhitespace().isEmpty {
                throw FlagDeckError.reasonRequired(action: action == AuditAction.overrideSet ? "set an override" : "remove an override",
                                                   env: env.id.path)
            }
            if let other = try j.pendingIntents().first(where: { $0.flag == loc.flag && $0.env == env.id }) {
                throw FlagDeckError.invalidArgument("a \(other.action) of \(loc.flag) in \(env.id) by \(other.operator) is still being written to \(loc.table); finish it with `flagdeck source resume \(env.id)` and retry")
            }
            let cell = JobsCell(location: loc, overrides: try j.overrides(flag: loc.flag, env: env.id),
                                record: try j.sourceFlag(binding: b.id, flag: loc.flag))
            guard let seen = cell.state(job) else {
                throw SourceError.unsupported(source: b.uri, detail: DynamoDBJobsError.notBoolean(
                    table: loc.table, attribute: loc.attribute, job: job, value: cell.lastSeen[job] ?? "?").description)
            }
            guard seen != target else { return seen }
            let step = DynamoDBBulkPlan.Step(job: job, expect: seen, set: target, status: .inFlight)
            try j.insert(PushIntent(id: intentID, bindingID: b.id, createdAt: now, operator: actor.name, host: actor.host,
                                    action: action, flag: loc.flag, env: env.id, reason: reason.trimmingWhitespace(),
                                    before: StateJSON.encode(current), after: StateJSON.encode(current),
                                    plan: JobsIntentPlan(bulk: DynamoDBBulkPlan(kind: .set, uri: b.uri, steps: [step])).json))
            return seen
        }
        if seen == target {
            // Already so as far as flagdeck knows: check the item, as `change` does.
            do { _ = try src.change(job: job, to: target, seen: seen) } catch { throw error.sourceError(uri: b.uri) }
            throw FlagDeckError.nothingToDo("job \(job) already has \(loc.attribute) \(target) in \(loc.table); nothing written")
        }
        do {
            _ = try src.change(job: job, to: target, seen: seen)
        } catch {
            if case .unreachable = error {
                // May or may not have been written: the intent stays, the next open reads the item back.
                throw SourceError.unreachable(source: b.uri, detail: error.description + "; the next flagdeck command reads job \(job) back and records what happened")
            }
            try store.journal { try $0.deleteIntent(id: intentID) }
            throw error.sourceError(uri: b.uri)
        }
        let intent = try store.read { r in try r.pendingIntents().first { $0.id == intentID } }
        guard let intent else { return }
        let done = DynamoDBBulkPlan(kind: .set, uri: b.uri,
                                    steps: [DynamoDBBulkPlan.Step(job: job, expect: seen, set: target, status: .applied)])
        try finishJobChange(intent, binding: b, plan: done, recovered: false)
    }

    /// The audited half of a per-job change: the job's override, the event.
    func finishJobChange(_ intent: PushIntent, binding b: SourceBinding, plan: DynamoDBBulkPlan, recovered: Bool) throws {
        guard let loc = b.jobsLocation, let step = plan.steps.first else { return }
        let who = Actor(name: intent.operator, host: intent.host)
        let numberKey = (try? Self.jobsSource(loc).keyType == "N") ?? false
        try store.write { w in
            let tx = Transaction(w: w, actor: who, now: clock())
            guard try w.pendingIntents().contains(where: { $0.id == intent.id }) else { return }
            try w.deleteIntent(id: intent.id)
            guard step.status == .applied else {
                let after = JSONWriter.compact(.object(JSONObject([("intent", .string(intent.id)), ("action", .string(intent.action)),
                                                                   ("job", .string(step.job)), ("why", .string(step.detail ?? "not written"))])))
                try tx.append(AuditAction.pushAbandoned, flag: intent.flag, env: intent.env.path, before: intent.before,
                              after: after, reason: intent.reason)
                return
            }
            let existing = try w.overrides(flag: intent.flag, env: intent.env)
                .first { $0.contextKey == loc.key && JobsCell.job($0.matchValue) == step.job }
            var after: Override?
            if let existing, step.set == .absent {
                try w.deleteOverride(id: existing.id)
            } else if step.set != .absent {
                after = try w.upsert(Override(flagKey: intent.flag, env: intent.env, contextKey: loc.key,
                                              matchValue: JobsCell.matchValue(step.job, numberKey: numberKey),
                                              serve: step.set == .on ? "true" : "false", createdAt: tx.now, createdBy: who.name))
            }
            let stamp = SourceStamp(uri: b.uri, version: nil, origin: "flagdeck", intent: intent.id, recovered: recovered,
                                    details: ["job": step.job, "before": step.expect.description, "after": step.set.description])
            let afterJSON = after.map { String($0.json.dropLast()) + ",\"source\":" + stamp.json + "}" }
                ?? JSONWriter.compact(.object(JSONObject([("job", .string(step.job)), ("after", .string("absent"))])))
                    .dropLast() + ",\"source\":" + stamp.json + "}"
            try tx.append(intent.action, flag: intent.flag, env: intent.env.path, before: existing?.json, after: String(afterJSON),
                          reason: intent.reason)
        }
    }
}
