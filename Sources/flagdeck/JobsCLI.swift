import ArgumentParser
import FlagDeckCore
import Foundation

/// `flagdeck source resume ENV`: finish a kill, unkill or per-job change of ENV's DynamoDB
/// tables that was cut short (SIGKILL, network). Any writing command does the same at
/// open; this one says what it did and fails if something is still left.
struct SourceResume: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Finish an interrupted kill/unkill of ENV's DynamoDB tables (reads back what was in flight).")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "ACCOUNT/ENV or an unambiguous ENV.") var env: String

    func run() throws {
        try CLI.run {
            let store = try db.open()
            JobsProgressLine.install()
            let ops = Operations(store: store, actor: DatabaseOptions.actor(for: store))
            let done = try ops.resumeJobs(env: env)
            if done.isEmpty { CLI.out("nothing to resume in \(env)") }
            for r in done { CLI.out("\(r.intent.action) \(r.intent.flag) in \(r.intent.env): \(r.outcome.rawValue) (\(r.detail))") }
            if done.contains(where: { $0.outcome == .pending }) { throw ExitCode(1) }
        }
    }
}

/// The progress of a bulk DynamoDB write on stderr: a redrawn bar on a terminal, else a
/// line at every tenth of the work (so logs show it moving without flooding).
enum JobsProgressLine {
    static func install() {
        let tty = isatty(STDERR_FILENO) == 1
        let last = LastDrawn()
        JobsProgress.observe { e in
            let p = e.progress
            let tenth = p.total == 0 ? 10 : p.done * 10 / p.total
            guard last.advance(to: tty ? p.done * 1000 / max(1, p.total) : tenth) else { return }
            let text = "\(e.action) \(e.flag) in \(e.env): \(p.done)/\(p.total) jobs settled, \(p.applied) written"
            FileHandle.standardError.write(Data((tty ? "\r\u{1B}[K" + text + (p.done >= p.total ? "\n" : "") : text + "\n").utf8))
        }
    }

    final class LastDrawn: @unchecked Sendable {
        private let lock = NSLock()
        private var value = -1
        func advance(to v: Int) -> Bool { lock.withLock { guard v > value else { return false }; value = v; return true } }
    }
}

extension Render {
    /// `jobs` of `show --json`: for each DynamoDB-bound cell, the count and every job with
    /// the attribute (jobs without it serve the binding's default).
    static func jobs(_ ops: Operations, flag: String) throws -> JSONValue? {
        let summaries = try ops.jobsSummaries()[flag] ?? [:]
        guard !summaries.isEmpty else { return nil }
        return .object(JSONObject(try summaries.sorted { $0.key.path < $1.key.path }.map { env, s in
            let page = try ops.jobs(flag: flag, env: env.path, limit: Int.max)
            return (env.path, JSONValue.object([
                ("summary", .string(s.text)), ("on", .int(Int64(s.on))), ("items", .int(Int64(s.items))),
                ("non_boolean", .int(Int64(s.nonBoolean))), ("killed", .bool(s.killed)), ("table", .string(s.table)),
                ("uri", .string(s.uri)),
                ("jobs", .array(page.jobs.map { .object([("job", .string($0.job)), ("value", .string($0.value)), ("served", .bool($0.served))]) })),
            ]))
        }))
    }
}
