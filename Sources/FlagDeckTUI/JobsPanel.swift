import FlagDeckCore
import Foundation

/// The jobs of a flag bound to a DynamoDB table, inside the flag's detail screen: one page
/// at a time, filtered by job id and by value, because a table holds thousands of jobs and
/// the question is usually "which jobs have it on?" or "what does job-17 run with?". Every
/// page is read from the inventory through `Operations.jobs` (what the last sync saw),
/// never from the table, so paging makes no AWS call.
public struct JobsPanel: Sendable {
    /// What a job is served: `on`/`off` as the application reads it; `absent` jobs have no
    /// attribute and serve the binding's default.
    public enum ValueFilter: String, CaseIterable, Sendable {
        case all, on, off, absent

        var next: ValueFilter {
            let all = Self.allCases
            return all[(all.firstIndex(of: self)! + 1) % all.count]
        }
        /// The core's filter by what a job is served; nil lists every job with the attribute.
        var served: Bool? { self == .on ? true : self == .off ? false : nil }
    }

    public static let pageSize = 10

    public let flag: String
    public let env: EnvironmentID
    public private(set) var summary: JobsCellSummary
    /// The page shown; nil before the first read and under the `absent` filter.
    public private(set) var page: JobsPage?
    /// Index of the page's first job among the jobs that pass the filters.
    public private(set) var offset = 0
    /// Substring of the job id.
    public private(set) var matching = ""
    public private(set) var value: ValueFilter = .all
    /// The job id prompt while it is open; the list narrows with every key.
    public private(set) var field: TextField?
    public private(set) var problem: String?

    /// The panel for the detail screen's environment when it is table-bound, else for the
    /// first table-bound environment of the flag; nil when the flag lives in no table.
    static func open(flag: String, env: String?, services sv: ScreenServices) -> JobsPanel? {
        let bound = sv.data.environments.map(\.id).filter { sv.data.jobs[CellKey(flag: flag, env: $0)] != nil }
        guard let chosen = bound.first(where: { $0.path == env }) ?? bound.first,
              let summary = (try? sv.operations.jobsSummary(flag: flag, env: chosen.path)) ?? nil else { return nil }
        // The screen's own reload reads the first page.
        return JobsPanel(flag: flag, env: chosen, summary: summary)
    }

    init(flag: String, env: EnvironmentID, summary: JobsCellSummary) {
        self.flag = flag
        self.env = env
        self.summary = summary
    }

    /// Reads the count and the current page again (after a write, a sync, a filter).
    mutating func load(_ ops: Operations) {
        do {
            summary = try ops.jobsSummary(flag: flag, env: env.path) ?? summary
            if value == .absent {
                // The inventory keeps only how many jobs lack the attribute, not which.
                listed = try ops.jobs(flag: flag, env: env.path, limit: 0).total
                page = nil
            } else {
                page = try ops.jobs(flag: flag, env: env.path, matching: matching.isEmpty ? nil : matching,
                                    value: value.served, offset: offset, limit: Self.pageSize)
                if let total = page?.total, offset > 0 && offset >= total {
                    offset = max(0, (total - 1) / Self.pageSize * Self.pageSize)
                    page = try ops.jobs(flag: flag, env: env.path, matching: matching.isEmpty ? nil : matching,
                                        value: value.served, offset: offset, limit: Self.pageSize)
                }
            }
            problem = nil
        } catch {
            problem = DashboardApp.message(error)
        }
    }

    /// Items without the attribute (they serve the default): the table's count minus the
    /// jobs the inventory lists.
    /// Jobs that pass the filters, over all pages.
    var total: Int { page?.total ?? 0 }

    var absentCount: Int { max(0, summary.items - (listed ?? 0)) }
    /// Jobs with the attribute, whatever their value (read for the `absent` filter).
    private var listed: Int?

    // MARK: keys

    /// Next or previous page; false when there is none that way.
    mutating func turn(forward: Bool, _ ops: Operations) -> Bool {
        let target = offset + (forward ? Self.pageSize : -Self.pageSize)
        guard target >= 0, target < total else { return false }
        offset = target
        load(ops)
        return true
    }

    mutating func cycleValue(_ ops: Operations) {
        value = value.next
        offset = 0
        load(ops)
    }

    mutating func startFilter() { field = TextField(matching) }

    /// A key while the job id prompt is open: Enter keeps the filter, Esc clears it.
    mutating func handleTyping(_ key: Key, _ ops: Operations) {
        guard var f = field else { return }
        switch key {
        case .enter: field = nil
        case .escape:
            field = nil
            setMatching("", ops)
        default:
            if f.edit(key) { setMatching(f.text, ops) }
            field = f
        }
    }

    private mutating func setMatching(_ text: String, _ ops: Operations) {
        matching = text
        offset = 0
        load(ops)
    }

    // MARK: drawing

    /// The panel's lines: a heading with the count and filters, one line per job, and
    /// where this page is among all pages.
    func lines(width: Int, keys: (next: String, previous: String, filter: String, value: String)) -> [(String, ThemeRole)] {
        let filters = "value: \(value.rawValue)" + (matching.isEmpty && field == nil ? "" : "  job id contains: "
            + (field.map { $0.display(width: max(8, width / 3), focused: true) } ?? "\"\(matching)\""))
        var out: [(String, ThemeRole)] = [
            ("  JOBS in \(env.path) (table \(summary.table)): \(summary.text)   \(filters)", .header),
        ]
        if let problem { return out + [("  " + problem, .danger)] }
        if value == .absent {
            let d = summary.uri.contains("default=true") ? "true" : "false"
            out.append(("  \(absentCount) jobs have no attribute and serve the default (\(d)); the inventory keeps only", .grid))
            out.append(("  their count (the table itself lists them). \(keys.value) changes the value filter.", .grid))
            return out
        }
        let jobs = page?.jobs ?? []
        if jobs.isEmpty {
            out.append(("  (no job matches)", .grid))
        }
        for j in jobs {
            let value = j.value == "on" || j.value == "off" ? j.value : "\(j.value) (not a boolean; never written)"
            out.append(("  " + DisplayWidth.fit(j.job, to: 28) + " " + DisplayWidth.fit(value, to: 40)
                        + " serves \(j.served)", j.served ? .on : .off))
        }
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let shown = jobs.isEmpty ? "0" : "\(offset + 1)–\(offset + jobs.count)"
        out.append(("  jobs \(shown) of \(total), page \(offset / Self.pageSize + 1)/\(pages)   "
                    + "\(keys.next)/\(keys.previous) page  \(keys.filter) job id  \(keys.value) value", .grid))
        return out
    }
}
