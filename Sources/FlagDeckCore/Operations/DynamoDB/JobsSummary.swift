import Foundation

/// How many jobs of a DynamoDB-bound cell have the feature on, for the grid (`312/10k
/// jobs`) and the detail screen. Computed from the inventory (the overrides and what the
/// last sync saw), never from the table: drawing the grid makes no AWS call.
public struct JobsCellSummary: Sendable, Hashable {
    public var flag: String
    public var env: EnvironmentID
    /// Jobs the application runs with the feature on (absent attributes count as the
    /// binding's default; non-booleans as the application reads them).
    public var on: Int
    /// Items the last sync found.
    public var items: Int
    /// Items whose attribute is not a boolean (reported, never written).
    public var nonBoolean: Int
    public var killed: Bool
    public var table: String
    public var uri: String

    /// `312/10k jobs`, with `killed` prepended for a killed cell.
    public var text: String { (killed ? "killed " : "") + "\(on)/\(Self.compact(items)) jobs" }

    /// 999, 1k, 1.5k, 10k, 100k, 1.2M.
    public static func compact(_ n: Int) -> String {
        func trim(_ v: Double, _ unit: String) -> String {
            let s = v >= 10 ? String(Int(v.rounded(.down))) : String(format: "%.1f", (v * 10).rounded(.down) / 10)
            return (s.hasSuffix(".0") ? String(s.dropLast(2)) : s) + unit
        }
        if n < 1_000 { return String(n) }
        if n < 1_000_000 { return trim(Double(n) / 1_000, "k") }
        return trim(Double(n) / 1_000_000, "M")
    }
}

/// One page of a DynamoDB-bound cell's jobs, for the detail screen and `--json`.
public struct JobsPage: Sendable, Hashable {
    public struct Job: Sendable, Hashable {
        public var job: String
        /// `on`, `off`, or a non-boolean's value; jobs without the attribute are not listed
        /// (they serve the default).
        public var value: String
        public var served: Bool
    }
    public var jobs: [Job]
    /// Jobs matching the filter, over all pages.
    public var total: Int
}

extension Operations {
    /// The summary of every DynamoDB-bound cell, by flag and environment: what the
    /// dashboard's grid shows instead of on/off.
    public func jobsSummaries() throws -> [String: [EnvironmentID: JobsCellSummary]] {
        try store.read { r in try Self.jobsSummaries(r) }
    }

    /// The same from inside a read the caller already has open.
    public static func jobsSummaries(_ r: any StoreReading) throws -> [String: [EnvironmentID: JobsCellSummary]] {
        var out: [String: [EnvironmentID: JobsCellSummary]] = [:]
        for b in try r.sourceBindings() {
            guard let loc = b.jobsLocation, let s = try jobsSummary(r, binding: b, location: loc) else { continue }
            out[loc.flag, default: [:]][b.env] = s
        }
        return out
    }

    /// The summary of one cell; nil when it is not bound to a DynamoDB table.
    public func jobsSummary(flag: String, env: String) throws -> JobsCellSummary? {
        try store.read { r in
            let e = try EnvironmentResolver.resolve(env, in: r).id
            guard let b = try r.sourceBindings().first(where: { $0.env == e && $0.jobsLocation?.flag == flag }),
                  let loc = b.jobsLocation else { return nil }
            return try Self.jobsSummary(r, binding: b, location: loc)
        }
    }

    static func jobsSummary(_ r: any StoreReading, binding b: SourceBinding, location loc: SourceURI.DynamoDBLocation) throws
        -> JobsCellSummary? {
        guard let state = try r.state(flag: loc.flag, env: b.env) else { return nil }
        let overrides = try r.overrides(flag: loc.flag, env: b.env).filter { $0.contextKey == loc.key }
        let record = try r.sourceFlag(binding: b.id, flag: loc.flag)
        let seen = JobsSeen(json: record?.seen)
        let items = max(seen?.items ?? overrides.count, overrides.count)
        let explicitOn = overrides.filter { $0.serve == "true" }.count
        let on = explicitOn + (loc.defaultValue ? items - overrides.count : 0)
        return JobsCellSummary(flag: loc.flag, env: b.env, on: state.killed ? 0 : on, items: items,
                               nonBoolean: seen?.nonBoolean.count ?? 0, killed: state.killed, table: loc.table, uri: b.uri)
    }

    /// A page of one cell's jobs, sorted by job id: `matching` filters by a substring of
    /// the job id, `value` by what the job is served.
    public func jobs(flag: String, env: String, matching: String? = nil, value: Bool? = nil, offset: Int = 0,
                     limit: Int = 100) throws -> JobsPage {
        try store.read { r in
            let e = try EnvironmentResolver.resolve(env, in: r).id
            guard let b = try r.sourceBindings().first(where: { $0.env == e && $0.jobsLocation?.flag == flag }),
                  let loc = b.jobsLocation else {
                throw FlagDeckError.invalidArgument("\(flag) in \(e) is not bound to a DynamoDB table")
            }
            let record = try r.sourceFlag(binding: b.id, flag: loc.flag)
            let overrides = try r.overrides(flag: flag, env: e).filter { $0.contextKey == loc.key }
            let served = Dictionary(overrides.map { (JobsCell.job($0.matchValue), $0.serve == "true") }, uniquingKeysWith: { a, _ in a })
            let cell = JobsCell(location: loc, overrides: overrides, record: record)
            let all = cell.lastSeen.sorted { $0.key < $1.key }.map { job, v in
                JobsPage.Job(job: job, value: v, served: served[job] ?? loc.defaultValue)
            }.filter { j in
                (matching.map { j.job.contains($0) } ?? true) && (value.map { j.served == $0 } ?? true)
            }
            let page = Array(all.dropFirst(max(0, offset)).prefix(max(0, limit)))
            return JobsPage(jobs: page, total: all.count)
        }
    }
}
