import Foundation

/// A DynamoDB-bound cell as the inventory keeps it: the cell itself (killed or not, its
/// default the binding's `default=`), one override per job whose attribute is present on
/// the table's key, and `JobsSeen` for the rest. Pure conversions between that and what a
/// scan read, so sync, kill and recovery all agree on what "last seen" means.
struct JobsCell {
    var location: SourceURI.DynamoDBLocation
    /// job → state description as last seen (`on`, `off`, or a non-boolean's value);
    /// a job missing here had no attribute (or no item).
    var lastSeen: [String: String]
    var seen: JobsSeen?

    init(location: SourceURI.DynamoDBLocation, overrides: [Override], record: SourceFlagRecord?) {
        self.location = location
        seen = JobsSeen(json: record?.seen)
        var m: [String: String] = [:]
        for o in overrides where o.contextKey == location.key {
            m[Self.job(o.matchValue)] = o.serve == "true" ? "on" : "off"
        }
        for (job, v) in seen?.nonBoolean ?? [:] { m[job] = v }
        lastSeen = m
    }

    /// The job id an override matches (`--equals job-1` is a string, `--equals 42` a number).
    static func job(_ v: JSONValue) -> String { v.stringValue ?? JSONWriter.compact(v) }

    /// How a job id is matched by overrides: a string for S keys, the number for N keys.
    static func matchValue(_ job: String, numberKey: Bool) -> JSONValue {
        if numberKey, let v = try? JSONParser.parse(job), case .int = v { return v }
        return .string(job)
    }

    /// The last-seen state of one job, as the engine's `expect`.
    func state(_ job: String) -> DynamoDBJobState? {
        switch lastSeen[job] {
        case nil: return .absent
        case "on": return .on
        case "off": return .off
        default: return nil  // a non-boolean: never written
        }
    }

    /// Jobs whose value differs between the last sync and `snapshot`, sorted by job.
    func changes(_ snapshot: DynamoDBJobsSnapshot) -> [(job: String, before: String, after: String)] {
        var out: [(String, String, String)] = []
        for (job, s) in snapshot.states {
            let now = s == .absent ? nil : s.description
            if lastSeen[job] != now { out.append((job, lastSeen[job] ?? "absent", now ?? "absent")) }
        }
        for (job, was) in lastSeen where snapshot.states[job] == nil { out.append((job, was, "no item")) }
        return out.sorted { $0.0 < $1.0 }
    }

    /// The overrides that say what `snapshot` holds: one per job with the attribute,
    /// serving what the application makes of it.
    static func overrides(_ states: [String: DynamoDBJobState], location: SourceURI.DynamoDBLocation, numberKey: Bool,
                          flag: String, env: EnvironmentID, now: Date, by: String) -> [Override] {
        states.sorted { $0.key < $1.key }.compactMap { job, s in
            guard s != .absent else { return nil }
            return Override(flagKey: flag, env: env, contextKey: location.key, matchValue: matchValue(job, numberKey: numberKey),
                            serve: s.served(default: location.defaultValue) ? "true" : "false", createdAt: now, createdBy: by)
        }
    }
}

/// The per-job audit detail of a change, appended to the event's `after` snapshot as
/// `"jobs":{…}`: the log says how many items changed and exactly which.
struct JobsAuditDetail {
    var changed: [(job: String, before: String, after: String)] = []
    var skipped: [(job: String, found: String)] = []
    var failed: [(job: String, error: String)] = []
    var on: Int
    var items: Int

    var json: String {
        func list(_ a: [(String, String, String)]) -> JSONValue {
            .array(a.map { .object(JSONObject([("job", .string($0.0)), ("before", .string($0.1)), ("after", .string($0.2))])) })
        }
        return JSONWriter.compact(.object(JSONObject([
            ("on", .int(Int64(on))), ("items", .int(Int64(items))),
            ("changed_count", .int(Int64(changed.count))), ("changed", list(changed.map { ($0.job, $0.before, $0.after) })),
            ("skipped_count", .int(Int64(skipped.count))),
            ("skipped", .array(skipped.map { .object(JSONObject([("job", .string($0.job)), ("found", .string($0.found))])) })),
            ("failed", .array(failed.map { .object(JSONObject([("job", .string($0.job)), ("error", .string($0.error))])) })),
        ])))
    }

    /// `after` with the detail as one more member.
    func appended(to after: String) -> String { String(after.dropLast()) + ",\"jobs\":" + json + "}" }
}
