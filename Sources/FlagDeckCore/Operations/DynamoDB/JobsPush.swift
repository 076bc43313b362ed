import FlagDeckAWS
import Foundation

/// What a DynamoDB push intent's `plan` holds: the bulk plan as the engine last journalled
/// it, and the process running it (so recovery on this host never resumes a live kill).
struct JobsIntentPlan: Sendable {
    static let format = "flagdeck.dynamodb.intent/1"
    var bulk: DynamoDBBulkPlan
    var pid: Int32 = getpid()

    var json: String {
        JSONWriter.compact(.object(JSONObject([("format", .string(Self.format)), ("pid", .int(Int64(pid))),
                                               ("bulk", .string(bulk.json))])))
    }

    init(bulk: DynamoDBBulkPlan, pid: Int32 = getpid()) {
        self.bulk = bulk
        self.pid = pid
    }

    init?(json text: String) {
        guard case .object(let o)? = try? JSONParser.parse(text), o["format"]?.stringValue == Self.format,
              let b = o["bulk"]?.stringValue, let bulk = try? DynamoDBBulkPlan(json: b) else { return nil }
        self.bulk = bulk
        if case .int(let p)? = o["pid"] { pid = Int32(truncatingIfNeeded: p) } else { pid = 0 }
    }
}

/// Where bulk progress goes while a kill, unkill or hold runs: the CLI's progress line,
/// the dashboard's bar. One observer per process; set it before the change and clear it
/// after.
public enum JobsProgress {
    public struct Event: Sendable {
        /// `kill`, `unkill`, `hold`.
        public var action: String
        public var flag: String
        public var env: EnvironmentID
        public var progress: DynamoDBBulkProgress
    }

    private static let box = Locked<(@Sendable (Event) -> Void)?>(nil)

    public static func observe(_ handler: (@Sendable (Event) -> Void)?) { box.withLock { $0 = handler } }

    static func report(_ e: Event) { box.current?(e) }
}

/// A kill or unkill of a DynamoDB-bound cell: every job, conditional writes through the
/// journalled bulk engine. The intent is recorded first (with the whole plan), the engine
/// journals its progress into it before each batch, and one audited transaction records
/// the cell, the per-job overrides, exactly which jobs changed, and removes the intent. A
/// run cut short leaves the intent: the next open (or `flagdeck source resume ENV`)
/// settles what was in flight by reading it back and finishes the rest.
extension Operations {
    func pushJobs(_ binding: SourceBinding, flag key: String, env envText: String, _ change: CellChange, reason: String?,
                  expectedVersion: (EnvironmentID) -> Int64?) throws -> MutationResult {
        guard let loc = binding.jobsLocation else { throw FlagDeckError.internalInvariant("\(binding.uri) is not a table") }
        guard change == .kill || change == .unkill else {
            throw SourceError.unsupported(source: binding.uri, detail: "\(key) lives per job in DynamoDB table \(loc.table): kill or unkill it for every job, or change one job with `flagdeck override set \(key) --env \(binding.env) --key \(loc.key) --equals JOB --serve true|false`")
        }
        let src = try Self.jobsSource(loc)
        var snapshot: DynamoDBJobsSnapshot?
        if change == .kill {
            do { snapshot = try src.scan() } catch {
                try recordPushFailure(binding, flag: key, env: envText, .cell(change), reason: reason,
                                      error: error.sourceError(uri: binding.uri).description)
                throw error.sourceError(uri: binding.uri)
            }
        }
        let intentID = UUID().uuidString.lowercased()
        LivePushes.shared.insert(intentID)
        defer { LivePushes.shared.remove(intentID) }
        let now = clock()
        let plan: DynamoDBBulkPlan = try store.journal { j in
            let d = Decision(r: j, actor: actor, now: now)
            let (env, current) = try d.cell(flag: key, env: envText)
            if let other = try j.pendingIntents().first(where: { $0.flag == key && $0.env == env.id }) {
                throw FlagDeckError.conflict(FlagDeckError.Conflict(
                    subject: "\(key) in \(env.id)", expectedVersion: current.version, currentVersion: current.version,
                    changedBy: other.operator, changedAt: UTC.format(other.createdAt),
                    lastAction: "\(other.action) being written to \(loc.table) (finish it with `flagdeck source resume \(env.id)`)",
                    now: StateJSON.summary(current)))
            }
            guard let planned = try d.plan(current, in: env, change, reason: reason, expectedVersion: expectedVersion(env.id)) else {
                throw FlagDeckError.nothingToDo(change.unchangedReason(current))
            }
            let record = try j.sourceFlag(binding: binding.id, flag: key)
            let plan: DynamoDBBulkPlan
            if let snapshot {
                plan = .kill(snapshot, uri: binding.uri)
            } else {
                var killed: DynamoDBKillRecord?
                if let text = record?.preKill {
                    do throws(DynamoDBJobsError) { killed = try DynamoDBKillRecord(json: text) } catch { throw error.sourceError(uri: binding.uri) }
                }
                plan = .unkill(killed ?? DynamoDBKillRecord(), uri: binding.uri)
            }
            try j.insert(PushIntent(id: intentID, bindingID: binding.id, createdAt: now, operator: actor.name, host: actor.host,
                                    action: change.action, flag: key, env: env.id, reason: planned.reason,
                                    before: StateJSON.encode(current), after: StateJSON.encode(planned.next),
                                    plan: JobsIntentPlan(bulk: plan).json))
            return plan
        }
        TestCrashPoint.hit(.intentRecorded)
        let env = try store.read { try EnvironmentResolver.resolve(envText, in: $0).id }
        let done = try runJobs(plan, intent: intentID, source: src, action: change.action, flag: key, env: env)
        if !done.isComplete {
            if done.applied.isEmpty && done.remaining.allSatisfy({ job in done.steps.first { $0.job == job }?.status == .failed }) {
                // Refused for good before anything changed (access denied…): nothing to resume.
                let why = done.failed.first.map { "job \($0.job): \($0.error)" } ?? done.interruptions.last ?? "refused"
                try recordPushFailure(binding, flag: key, env: envText, .cell(change), reason: reason, error: why, intent: intentID)
                throw SourceError.unreachable(source: binding.uri, detail: "\(change.action) refused by DynamoDB, nothing changed: \(why)")
            }
            throw SourceError.unreachable(source: binding.uri, detail: Self.interrupted(done, action: change.action, env: env))
        }
        TestCrashPoint.hit(.sourceWritten)
        let intent = try store.read { r in try r.pendingIntents().first { $0.id == intentID } }
        guard let intent else {
            throw FlagDeckError.internalInvariant("the \(change.action) of \(key) in \(env) (intent \(intentID)) was settled by another process; see `flagdeck history \(key)`")
        }
        let result = try finishJobs(intent, binding: binding, plan: done, recovered: false)
        TestCrashPoint.hit(.committed)
        return result
    }

    static func interrupted(_ p: DynamoDBBulkPlan, action: String, env: EnvironmentID) -> String {
        "\(action) interrupted after \(p.applied.count) of \(p.steps.count) jobs (\(p.remaining.count) left): "
            + (p.interruptions.last ?? "stopped") + "; the intent is kept: `flagdeck source resume \(env)` (or the next flagdeck command) finishes it"
    }

    /// Runs the engine, journalling the plan into the intent before every batch.
    func runJobs(_ plan: DynamoDBBulkPlan, intent: String, source: DynamoDBJobsSource, action: String, flag: String,
                 env: EnvironmentID) throws -> DynamoDBBulkPlan {
        let engine = DynamoDBBulkEngine(source: source)
        let store = self.store
        return try engine.run(plan, journal: { p in
            try store.journal { try $0.updatePlan(intent: intent, plan: JobsIntentPlan(bulk: p).json) }
        }, progress: { p in
            JobsProgress.report(JobsProgress.Event(action: action, flag: flag, env: env, progress: p))
            if let n = Self.crashAfterJobs, p.applied >= n { Glibc.kill(getpid(), SIGKILL) }
        })
    }

    /// Fault injection for the crash tests: with `FLAGDECK_TEST_CRASH_AFTER_JOBS=N`, a bulk
    /// write SIGKILLs its own process once N jobs are written, mid-batch, so a test can
    /// prove the next open finishes it and the log accounts for every item.
    static let crashAfterJobs: Int? = ProcessInfo.processInfo.environment["FLAGDECK_TEST_CRASH_AFTER_JOBS"].flatMap(Int.init)

    /// One audited transaction: the cell as the intent planned it, each written job's
    /// override, the kill record (for unkill), the event naming every job, the intent gone.
    func finishJobs(_ intent: PushIntent, binding: SourceBinding, plan: DynamoDBBulkPlan, recovered: Bool) throws -> MutationResult {
        guard let loc = binding.jobsLocation else { throw FlagDeckError.internalInvariant("\(binding.uri) is not a table") }
        let who = Actor(name: intent.operator, host: intent.host)
        let numberKey = (try? Self.jobsSource(loc).keyType == "N") ?? false
        return try store.write { w in
            let tx = Transaction(w: w, actor: who, now: clock())
            guard try w.pendingIntents().contains(where: { $0.id == intent.id }) else {
                throw FlagDeckError.internalInvariant("the \(intent.action) of \(intent.flag) in \(intent.env) (intent \(intent.id)) was already settled by another process; see `flagdeck history \(intent.flag)`")
            }
            guard let current = try w.state(flag: intent.flag, env: intent.env) else { throw FlagDeckError.unknownFlag(intent.flag) }
            let record = try w.sourceFlag(binding: binding.id, flag: intent.flag)
            let overrides = try w.overrides(flag: intent.flag, env: intent.env)
            var states: [String: DynamoDBJobState] = [:]
            let cell = JobsCell(location: loc, overrides: overrides, record: record)
            for (job, v) in cell.lastSeen { states[job] = DynamoDBJobState(writable: v) ?? cell.state(job) ?? .off }
            // Non-booleans keep their override as it was.
            let nonBoolean = Set(cell.seen?.nonBoolean.keys.map { $0 } ?? [])
            for s in plan.steps where s.status == .applied { states[s.job] = s.set }
            var wanted = JobsCell.overrides(states.filter { !nonBoolean.contains($0.key) }, location: loc, numberKey: numberKey,
                                            flag: intent.flag, env: intent.env, now: tx.now, by: who.name)
            wanted += overrides.filter { $0.contextKey == loc.key && nonBoolean.contains(JobsCell.job($0.matchValue)) }
            try w.replaceOverrides(flag: intent.flag, env: intent.env, with: wanted)
            var target = current
            switch plan.kind {
            case .kill: target.killed = true
            case .unkill: target.killed = false
            default: break
            }
            let items = max(cell.seen?.items ?? states.count, states.count)
            let explicitOn = wanted.filter { $0.serve == "true" }.count
            var detail = JobsAuditDetail(on: target.killed ? 0 : explicitOn + (loc.defaultValue ? items - wanted.count : 0),
                                         items: items)
            detail.changed = plan.steps.filter { $0.status == .applied }.map { ($0.job, $0.expect.description, $0.set.description) }
            detail.skipped = plan.skipped
            detail.failed = plan.failed
            let stamp = SourceStamp(uri: binding.uri, version: nil, origin: "flagdeck", intent: intent.id, recovered: recovered,
                                    details: ["changed": String(detail.changed.count), "skipped": String(detail.skipped.count)])
            let (next, event) = try tx.recordJobs(intent.action, from: current, to: target, env: intent.env, reason: intent.reason,
                                                  source: stamp, detail: detail)
            var preKill = record?.preKill
            switch plan.kind {
            case .kill, .hold:
                let before = (try? preKill.map { try DynamoDBKillRecord(json: $0) }) ?? nil
                preKill = (before ?? DynamoDBKillRecord()).merging(plan.killRecord).json
            case .unkill: preKill = nil
            default: break
            }
            var seen = cell.seen ?? JobsSeen(version: nil, items: items, nonBoolean: [:])
            seen.version = nil  // the table moved on; the next sync reads its version
            try w.save(SourceFlagRecord(bindingID: binding.id, flag: intent.flag, seen: seen.json, preKill: preKill))
            try w.deleteIntent(id: intent.id)
            return MutationResult(states: [next], events: [event])
        }
    }
}
