import Foundation

/// Renderings of the review. They live in the core (not the CLI) so the dashboard can
/// offer the same export and the tests can check them without a process.
public enum ReviewReportFormat: String, CaseIterable, Sendable {
    case text
    case markdown
    case csv
    case json

    public func render(_ r: ReviewReport) -> String {
        switch self {
        case .text: ReviewText.render(r)
        case .markdown: ReviewMarkdown.render(r)
        case .csv: ReviewCSV.render(r)
        case .json: ReviewJSON.render(r).render()
        }
    }
}

/// Markdown for a team wiki: a title, a one-line scope, a summary table of counts, then a
/// section per hint kind (most pressing first) with a table of its flags, then the flags
/// silenced by marks and the marks made since the last review.
enum ReviewMarkdown {
    static func render(_ r: ReviewReport) -> String {
        var out: [String] = []
        out.append("# Flag review \(UTC.formatDay(r.now))")
        out.append("")
        out.append("\(r.flagCount) flags in \(r.environmentCount) environments; **\(r.candidates.count) need a decision**. "
                   + "Stable window \(r.settings.stableWindowDays) days; marks since \(UTC.formatDay(r.since)).")
        out.append("")
        out.append(row(["Hint", "Severity", "Flags", "Advice"]))
        out.append(row(["---", "---", "---:", "---"]))
        for k in ReviewReport.sectionOrder {
            let n = r.counts.first { $0.kind == k }?.flags ?? 0
            out.append(row([n > 0 ? "[\(k.rawValue)](#\(anchor(k)))" : k.rawValue, k.severity.name, String(n), k.advice]))
        }
        for k in ReviewReport.sectionOrder {
            let rows = r.candidates(of: k)
            guard !rows.isEmpty else { continue }
            out.append("")
            out.append("## \(k.rawValue)")
            out.append("")
            out.append("\(rows.count == 1 ? "1 flag" : "\(rows.count) flags"), severity \(k.severity.name). \(k.advice).")
            out.append("")
            out.append(row(["Flag", "Owner", "Facts", "Last change", "Mark"]))
            out.append(row(["---", "---", "---", "---", "---"]))
            for (f, h) in rows {
                out.append(row(["`\(f.flag.key)`", f.flag.owner ?? "*none*", h.facts,
                                f.lastChange?.phrase ?? "-", f.mark?.summary ?? ""]))
            }
        }
        if !r.silenced.isEmpty {
            out.append("")
            out.append("## Silenced by review marks (\(r.silenced.count))")
            out.append("")
            out.append(row(["Flag", "Mark", "Reason", "By", "Would show"]))
            out.append(row(["---", "---", "---", "---", "---"]))
            for f in r.silenced {
                out.append(row(["`\(f.flag.key)`", f.mark?.summary ?? "", f.mark?.reason ?? "", f.mark?.by ?? "",
                                f.hints.map(\.kind.rawValue).joined(separator: ", ")]))
            }
        }
        out.append("")
        out.append("## Marks since \(UTC.formatDay(r.since)) (\(r.marks.count))")
        out.append("")
        if r.marks.isEmpty {
            out.append("No marks were made in this period.")
        } else {
            out.append(row(["When", "Flag", "Mark", "Reason", "By"]))
            out.append(row(["---", "---", "---", "---", "---"]))
            for m in r.marks {
                out.append(row([UTC.formatDay(m.at), "`\(m.flag)`", m.summary, m.reason, m.by]))
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Heading anchor: the section heading is the bare kind name, so its id is the name.
    static func anchor(_ k: HintKind) -> String { k.rawValue }

    static func row(_ cells: [String]) -> String {
        "| " + cells.map(cell).joined(separator: " | ") + " |"
    }

    /// Pipes would split the cell and newlines end the table.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r", with: " ")
            .replacingOccurrences(of: "\n", with: " ")
    }
}

/// One row per (candidate flag, hint): the shape spreadsheets filter and pivot best.
enum ReviewCSV {
    static let header = ["flag", "owner", "type", "kind", "severity", "facts", "advice", "last_change_at", "last_change_by", "mark"]

    static func render(_ r: ReviewReport) -> String {
        var lines = [header.joined(separator: ",")]
        for f in r.candidates {
            for h in f.active {
                lines.append([f.flag.key, f.flag.owner ?? "", f.flag.type.rawValue, h.kind.rawValue, h.severity.name, h.facts,
                              h.advice, f.lastChange.map { UTC.format($0.at) } ?? "", f.lastChange?.by ?? "",
                              f.mark?.summary ?? ""].map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet never
    /// runs a flag description as a formula.
    static func field(_ s: String) -> String {
        var v = s
        if let c = v.first, "=+-@".contains(c) { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The terminal rendering: a counts table, then candidates grouped by kind.
enum ReviewText {
    static func render(_ r: ReviewReport) -> String {
        var out: [String] = []
        out.append("Flag review \(UTC.formatDay(r.now)): \(r.candidates.count) of \(r.flagCount) flags need a decision "
                   + "(\(r.environmentCount) environments, stable window \(r.settings.stableWindowDays) days)")
        out.append("")
        for k in ReviewReport.sectionOrder {
            let n = r.counts.first { $0.kind == k }?.flags ?? 0
            out.append("  " + k.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                       + k.severity.name.padding(toLength: 8, withPad: " ", startingAt: 0) + String(n))
        }
        for k in ReviewReport.sectionOrder {
            let rows = r.candidates(of: k)
            guard !rows.isEmpty else { continue }
            out.append("")
            out.append("\(k.rawValue.uppercased()) (\(rows.count)): \(k.advice)")
            for (f, h) in rows {
                out.append("  \(f.flag.key)  [owner \(f.flag.owner ?? "none")]\(f.mark.map { "  [marked \($0.summary)]" } ?? "")")
                out.append("      \(h.facts)")
            }
        }
        if !r.silenced.isEmpty {
            out.append("")
            out.append("SILENCED BY MARKS (\(r.silenced.count))")
            for f in r.silenced {
                out.append("  \(f.flag.key)  \(f.mark?.summary ?? ""): \(f.mark?.reason ?? "")  (would show: "
                           + f.hints.map(\.kind.rawValue).joined(separator: ", ") + ")")
            }
        }
        out.append("")
        out.append("MARKS SINCE \(UTC.formatDay(r.since)) (\(r.marks.count))")
        for m in r.marks {
            out.append("  \(UTC.formatDay(m.at))  \(m.flag)  \(m.summary)  by \(m.by): \(m.reason)")
        }
        return out.joined(separator: "\n") + "\n"
    }
}

/// `review --json`: stable field names, every hint kind present in `counts`.
public enum ReviewJSON {
    public static func render(_ r: ReviewReport) -> JSONValue {
        .object([
            ("generated_at", .string(UTC.format(r.now))),
            ("since", .string(UTC.format(r.since))),
            ("flags", .int(Int64(r.flagCount))),
            ("environments", .int(Int64(r.environmentCount))),
            ("settings", settings(r.settings)),
            ("counts", .object(JSONObject(r.counts.map { ($0.kind.rawValue, .int(Int64($0.flags))) }))),
            ("candidates", .array(r.candidates.map(flag))),
            ("silenced", .array(r.silenced.map(flag))),
            ("marks", .array(r.marks.map(mark))),
        ])
    }

    public static func flag(_ f: FlagHints) -> JSONValue {
        .object([
            ("key", .string(f.flag.key)), ("owner", .optional(f.flag.owner)), ("type", .string(f.flag.type.rawValue)),
            ("last_change", f.lastChange.map { .object([("at", .string(UTC.format($0.at))), ("by", .string($0.by)),
                                                         ("env", .string($0.env.path))]) } ?? .null),
            ("top", .optional(f.top?.kind.rawValue)),
            ("hints", .array(f.hints.map(hint))),
            ("mark", f.mark.map(mark) ?? .null),
        ])
    }

    public static func hint(_ h: Hint) -> JSONValue {
        .object([("kind", .string(h.kind.rawValue)), ("severity", .string(h.severity.name)),
                 ("facts", .string(h.facts)), ("advice", .string(h.advice))])
    }

    public static func mark(_ m: ReviewMark) -> JSONValue {
        .object([("seq", .int(m.seq)), ("flag", .string(m.flag)), ("mark", .string(m.kind.rawValue)),
                 ("until", .optional(m.until.map(UTC.format))), ("reason", .string(m.reason)),
                 ("by", .string(m.by)), ("at", .string(UTC.format(m.at)))])
    }

    public static func settings(_ s: LifecycleSettings) -> JSONValue {
        .object(JSONObject(LifecycleSettings.keys.map { ($0, .optional(s.value(forKey: $0))) }))
    }
}
