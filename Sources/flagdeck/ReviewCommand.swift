import ArgumentParser
import FlagDeckCore
import Foundation

/// `flagdeck review`: the monthly lifecycle review (`report`, the default) and the
/// reviewer's decisions (`mark`).
struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The lifecycle review: retirement hints per flag, and keep/retire/snooze marks.",
        discussion: """
            Hint kinds: retire, remove, overdue, expired, orphan, stuck, long-kill. Thresholds are \
            settings (`flagdeck settings show`). A keep or snooze mark silences a flag until its date.
            """,
        subcommands: [ReviewReportCommand.self, ReviewMarkCommand.self, ReviewCheckCommand.self],
        defaultSubcommand: ReviewReportCommand.self)
}

extension ReviewReportFormat: ExpressibleByArgument {}

struct ReviewReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the review: counts by hint kind, each candidate with its facts, and recent marks.",
        discussion: """
            "Marks since the last review" are the marks made from --since up to --now; --since defaults \
            to --now minus the lifecycle.review_period_days setting (30 days). Reports never write.
            """)
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var now: NowOption
    @Option(help: "text, markdown (for a wiki page), csv (one row per flag and hint) or json.")
    var format: ReviewReportFormat = .text
    @Flag(help: "Same as --format json.") var json = false
    @Option(help: "List marks made at or after this time (YYYY-MM-DD or ISO 8601).") var since: String?

    func run() throws {
        try CLI.run {
            let at = try now.resolve()
            let from = try since.map { try UTC.parseUserDate($0) }
            let report = try ReviewReport.load(from: try db.open(), now: at, since: from)
            // Written as is: CSV lines end in CRLF, which `CLI.out` would not see as a newline
            // (Swift treats "\r\n" as one Character) and would follow with a blank line.
            let text = (json ? .json : format).render(report)
            FileHandle.standardOutput.write(Data((text.hasSuffix("\n") || text.hasSuffix("\r\n") ? text : text + "\n").utf8))
        }
    }
}

extension ReviewMarkKind: EnumerableFlag {
    public static func help(for value: ReviewMarkKind) -> ArgumentHelp? {
        switch value {
        case .keep: "Keep it: silence its hints until --until, or for good without one."
        case .retire: "Agree to retire it (recorded; its hints keep showing until it is gone)."
        case .snooze: "Not now: silence its hints until --until (default: lifecycle.snooze_days)."
        }
    }
}

struct ReviewMarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark",
        abstract: "Record a review decision about a flag (audited as review.mark).",
        discussion: "The mark is recorded at the current time; a later mark replaces an earlier one.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Flag key.") var key: String
    @Flag var kind: ReviewMarkKind
    @Option(help: "Why (required; it is the audit event's reason).") var reason: String
    @Option(help: "Until when a keep or snooze holds (YYYY-MM-DD or ISO 8601).") var until: String?
    @Flag(help: "JSON output: the recorded mark.") var json = false

    func validate() throws {
        if reason.trimmingWhitespace().isEmpty {
            throw ValidationError("--reason must not be empty: the next reviewer needs to know why")
        }
        if kind == .retire, until != nil { throw ValidationError("--until applies to --keep and --snooze only") }
    }

    func run() throws {
        try CLI.run {
            let end = try until.map { try UTC.parseUserDate($0) }
            let mark = try CLI.operations(try db.open()).markForReview(flag: key, kind, reason: reason, until: end)
            if json {
                CLI.out(ReviewJSON.mark(mark).render())
            } else {
                CLI.out("marked \(mark.flag) \(mark.summary) (audit seq \(mark.seq))")
            }
        }
    }
}

struct ReviewCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "One flag's hints, review mark and retirement checklist (each rule with its measured value).")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var now: NowOption
    @Argument(help: "Flag key.") var key: String
    @Flag(help: "JSON output.") var json = false

    func run() throws {
        try CLI.run {
            let at = try now.resolve()
            let (flag, cells, context) = try db.open().read { r in
                guard let f = try r.flag(key: key) else { throw FlagDeckError.unknownFlag(key) }
                return (f, try r.states(flag: key), try LifecycleContext.load(from: r))
            }
            let hints = context.hints(for: flag, cells: cells, now: at)
            let activity = context.activity(of: key)
            let items = RetirementChecklist.items(flag: flag, cells: cells, activity: activity, settings: context.settings, now: at)
            let ready = RetirementChecklist.readyToRetire(flag: flag, cells: cells, activity: activity,
                                                          settings: context.settings, now: at)
            if json {
                guard case .object(var m) = ReviewJSON.flag(hints) else { return }
                m.append(("silenced", .bool(hints.silenced)))
                m.append(("ready_to_retire", .bool(ready)))
                m.append(("checklist", .array(items.map {
                    .object([("rule", .string($0.rule)), ("passed", .bool($0.passed)), ("measured", .string($0.measured))])
                })))
                CLI.out(JSONValue.object(m).render())
                return
            }
            var lines = ["\(flag.key)  (\(flag.type.rawValue), owner \(flag.owner ?? "none"))"]
            if let mark = hints.mark {
                lines.append("  mark: \(mark.summary) by \(mark.by) on \(UTC.formatDay(mark.at)): \(mark.reason)"
                             + (hints.silenced ? " (hints silenced)" : ""))
            }
            lines.append(hints.hints.isEmpty ? "  no hints" : "  hints:")
            for h in hints.hints { lines.append("    [\(h.severity.name)] \(h.kind.rawValue): \(h.facts). \(h.advice)") }
            lines.append("  retirement checklist\(ready ? " (ready to retire)" : ""):")
            for item in items { lines.append("    " + item.line) }
            CLI.out(lines.joined(separator: "\n"))
        }
    }
}
