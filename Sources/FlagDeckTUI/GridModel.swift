import FlagDeckCore
import Foundation

/// The grid's sort orders, cycled by `s`.
public enum GridSort: String, CaseIterable, Sendable {
    /// Alphabetical.
    case key
    /// Most stable first (longest since any change): cleanup candidates rise to the top.
    case age
    /// Most recently changed first: "what just happened?".
    case recent
    /// Grouped by owner (unowned last), then key.
    case owner

    public var next: GridSort {
        let all = GridSort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// The grid's view state over a `GridData`: which rows and columns are visible in which
/// order, the cursor and scrolling. Ordering is recomputed only when data, sort or
/// filter change — never per frame — so 10,000 flags scroll without lag.
public struct GridModel: Sendable {
    public private(set) var data: GridData
    public private(set) var sort: GridSort = .key
    /// `/` filter: case-insensitive substring of key, owner or any tag.
    public private(set) var filter: String = ""
    /// `:env` filter: case-insensitive substring of `ACCOUNT/ENV`.
    public private(set) var envFilter: String = ""
    /// Indices into `data.rows`, filtered and sorted.
    public private(set) var order: [Int] = []
    /// Indices into `data.environments` that pass the env filter.
    public private(set) var visibleEnvs: [Int] = []
    /// Position in `order`.
    public private(set) var cursor = 0
    /// Position in `visibleEnvs`.
    public private(set) var envCursor = 0
    public private(set) var top = 0
    public private(set) var leftEnv = 0

    public init(data: GridData) {
        self.data = data
        recompute(keeping: nil)
    }

    public var rowCount: Int { order.count }

    /// A sort other than by key, or a filter, asked for before every flag is loaded: it
    /// applies when the rest arrives; until then the loaded rows show in key order.
    public var waitingForData: Bool { !data.complete && (sort != .key || !filter.isEmpty) }
    public var currentRow: GridRow? { order.indices.contains(cursor) ? data.rows[order[cursor]] : nil }
    public var currentEnvironment: Environment? {
        visibleEnvs.indices.contains(envCursor) ? data.environments[visibleEnvs[envCursor]] : nil
    }
    public var currentState: FlagState? {
        guard let row = currentRow, visibleEnvs.indices.contains(envCursor) else { return nil }
        return row.cells[visibleEnvs[envCursor]]
    }
    public func row(at position: Int) -> GridRow { data.rows[order[position]] }

    // MARK: data and ordering

    /// Swaps in fresh data; the cursor stays on the same flag (and environment) if it still shows.
    public mutating func replace(_ newData: GridData) {
        let key = currentRow?.flag.key
        let env = currentEnvironment?.id
        data = newData
        recompute(keeping: key)
        if let env, let i = visibleEnvs.firstIndex(where: { data.environments[$0].id == env }) { envCursor = i }
        clampEnvCursor()
    }

    /// Changes the data in place (a live refresh touching a few rows must not copy
    /// 10,000), then re-orders; the cursor stays on the same flag and environment.
    mutating func update<R>(_ body: (inout GridData) throws -> R) rethrows -> R {
        let key = currentRow?.flag.key
        let env = currentEnvironment?.id
        let r = try body(&data)
        recompute(keeping: key)
        if let env, let i = visibleEnvs.firstIndex(where: { data.environments[$0].id == env }) { envCursor = i }
        clampEnvCursor()
        return r
    }

    public mutating func setSort(_ s: GridSort) {
        sort = s
        recompute(keeping: currentRow?.flag.key)
    }

    public mutating func setFilter(_ f: String) {
        let key = currentRow?.flag.key
        filter = f
        recompute(keeping: key)
    }

    public mutating func setEnvFilter(_ f: String) {
        let env = currentEnvironment?.id
        envFilter = f
        recomputeEnvs()
        if let env, let i = visibleEnvs.firstIndex(where: { data.environments[$0].id == env }) { envCursor = i }
        clampEnvCursor()
        leftEnv = min(leftEnv, max(0, visibleEnvs.count - 1))
    }

    public func matches(_ row: GridRow) -> Bool {
        guard !filter.isEmpty else { return true }
        let f = filter.lowercased()
        if row.flag.key.lowercased().contains(f) { return true }
        if let o = row.flag.owner, o.lowercased().contains(f) { return true }
        return row.flag.tags.contains { $0.lowercased().contains(f) }
    }

    mutating func recompute(keeping key: String?) {
        recomputeEnvs()
        // Sorting or filtering part of the flags would show a wrong answer as if it were
        // the answer: wait for all of them.
        let partial = !data.complete
        var idx = partial ? Array(data.rows.indices) : data.rows.indices.filter { matches(data.rows[$0]) }
        let rows = data.rows
        switch partial ? .key : sort {
        case .key: break // data.rows is already key-sorted
        case .age:
            idx.sort { (rows[$0].lastChanged ?? .distantPast, $0) < (rows[$1].lastChanged ?? .distantPast, $1) }
        case .recent:
            idx.sort {
                let a = rows[$0].lastChanged ?? .distantPast, b = rows[$1].lastChanged ?? .distantPast
                return a != b ? a > b : $0 < $1
            }
        case .owner:
            idx.sort {
                let a = rows[$0].flag.owner, b = rows[$1].flag.owner
                switch (a, b) {
                case let (x?, y?) where x != y: return x < y
                case (nil, _?): return false
                case (_?, nil): return true
                default: return $0 < $1
                }
            }
        }
        order = idx
        if let key, let pos = data.index[key], let i = order.firstIndex(of: pos) {
            cursor = i
        } else {
            cursor = min(cursor, max(0, order.count - 1))
        }
        clampEnvCursor()
    }

    mutating func recomputeEnvs() {
        let f = envFilter.lowercased()
        visibleEnvs = data.environments.indices.filter {
            f.isEmpty || data.environments[$0].id.path.lowercased().contains(f)
        }
    }

    mutating func clampEnvCursor() {
        envCursor = min(max(0, envCursor), max(0, visibleEnvs.count - 1))
    }

    // MARK: movement

    public mutating func moveRows(_ delta: Int) {
        guard !order.isEmpty else { return }
        cursor = min(max(0, cursor + delta), order.count - 1)
    }

    public mutating func moveToTop() { cursor = 0 }
    public mutating func moveToBottom() { cursor = max(0, order.count - 1) }

    public mutating func moveEnvs(_ delta: Int) {
        guard !visibleEnvs.isEmpty else { return }
        envCursor = min(max(0, envCursor + delta), visibleEnvs.count - 1)
    }

    /// Next/previous row, wrapping: with a filter active these are the matches.
    public mutating func nextMatch(forward: Bool) {
        guard !order.isEmpty else { return }
        cursor = (cursor + (forward ? 1 : order.count - 1)) % order.count
    }

    /// Jumps to a flag by exact key, else first key containing `text`. Clears a filter
    /// that hides it. Returns false if no flag matches.
    @discardableResult
    public mutating func jump(to text: String) -> Bool {
        let exact = data.index[text]
        let pos = exact ?? data.rows.firstIndex { $0.flag.key.lowercased().contains(text.lowercased()) }
        guard let pos else { return false }
        if !order.contains(pos) { filter = "" ; recompute(keeping: nil) }
        if let i = order.firstIndex(of: pos) { cursor = i }
        return true
    }

    /// Judges the hints of the rows in the viewport that have none yet.
    public mutating func judgeVisible(pageRows: Int, now: Date) {
        for pos in top..<min(order.count, top + max(1, pageRows)) { data.judge(order[pos], now: now) }
    }

    /// Keeps the cursor inside the viewport: `pageRows` rows and `fittingEnvs(leftEnv)`
    /// columns starting at `leftEnv`.
    public mutating func scrollIntoView(pageRows: Int, fittingEnvs: (Int) -> Int) {
        let page = max(1, pageRows)
        if cursor < top { top = cursor }
        if cursor >= top + page { top = cursor - page + 1 }
        top = max(0, min(top, max(0, order.count - page)))
        if envCursor < leftEnv { leftEnv = envCursor }
        while leftEnv < envCursor && envCursor >= leftEnv + max(1, fittingEnvs(leftEnv)) { leftEnv += 1 }
        leftEnv = max(0, leftEnv)
    }
}
