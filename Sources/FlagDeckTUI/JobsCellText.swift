import FlagDeckCore
import Foundation

/// How a cell bound to a DynamoDB table reads in the grid: how many jobs run with the
/// feature on (`312/10k jobs`), because on/off says nothing about a flag that lives per
/// job. Kept apart from `CellFormat` and the drawing so tests can check the words alone.
public enum JobsCellText {
    /// The longest form that fits `width` columns: `312/10k jobs`, then `312/10k`; a
    /// killed cell keeps the kill marker first (`✖KILL 0/10k`, then `✖KILL`), because
    /// during an incident the kill is what must be read.
    public static func text(_ s: JobsCellSummary, width: Int, glyphs: Glyphs) -> String {
        let count = "\(s.on)/\(JobsCellSummary.compact(s.items))"
        let forms = s.killed
            ? [glyphs.killed + "KILL " + count + " jobs", glyphs.killed + "KILL " + count, glyphs.killed + "KILL"]
            : [count + " jobs", count]
        let body = forms.first { DisplayWidth.of($0) <= width } ?? forms[forms.count - 1]
        return DisplayWidth.fit(body, to: width)
    }

    /// The theme role: killed as any kill; otherwise by how many jobs are on, so a table
    /// with none on reads as off and one with all on as on.
    public static func role(_ s: JobsCellSummary) -> ThemeRole {
        if s.killed { return .killed }
        if s.on == 0 { return .off }
        return s.on >= s.items ? .on : .partial
    }
}

extension JobsCellText {
    /// A table-bound cell whose count is still being read (the first frame does not wait
    /// for it): never the inventory's plain `ON`, which would claim every job is on.
    public static func pending(width: Int, glyphs: Glyphs) -> String {
        DisplayWidth.fit(DisplayWidth.of("… jobs") <= width ? "… jobs" : "…", to: width)
    }
}

extension GridData {
    /// The cell is bound to a DynamoDB table but its count has not been read yet.
    public func awaitsJobs(flag: String, envIndex: Int) -> Bool {
        guard environments.indices.contains(envIndex), let bound = sources[environments[envIndex].id],
              jobs[CellKey(flag: flag, env: environments[envIndex].id)] == nil else { return false }
        return bound.contains { $0.jobsLocation?.flag == flag }
    }

    /// The jobs summary of a cell bound to a DynamoDB table; nil for any other cell.
    /// The counts are read off the event loop and may trail the cell by a moment; the
    /// cell's own kill state is newer, so it wins (a kill never reads as jobs still on).
    public func jobs(flag: String, envIndex: Int, state: FlagState?) -> JobsCellSummary? {
        guard !jobs.isEmpty, environments.indices.contains(envIndex),
              var s = jobs[CellKey(flag: flag, env: environments[envIndex].id)] else { return nil }
        if let state, state.killed != s.killed {
            s.killed = state.killed
            if state.killed { s.on = 0 }
        }
        return s
    }
}
