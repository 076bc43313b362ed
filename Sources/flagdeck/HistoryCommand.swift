import ArgumentParser
import FlagDeckCore
import Foundation

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Audit events, newest first.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Only this flag.") var key: String?
    @Option(help: "Only this environment (ACCOUNT/ENV or unambiguous ENV).") var env: String?
    @Option(help: "Only events at or after this time (YYYY-MM-DD or ISO 8601).") var since: String?
    @Option(help: "Only this operator.") var `operator`: String?
    @Option(help: "Only this action (kill, unkill, rollout, enable, disable, ...).") var action: String?
    @Option(help: "At most this many events.") var limit: Int?
    @Flag(help: "JSON output: an array of events.") var json = false

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be zero or more") }
    }

    func run() throws {
        try CLI.run {
            let sinceDate = try since.map { try UTC.parseUserDate($0) }
            let store = try db.open()
            let events = try store.read { r -> [AuditEvent] in
                if let key, try r.flag(key: key) == nil, try r.events(AuditQuery(flag: key, limit: 1)).isEmpty {
                    throw FlagDeckError.unknownFlag(key)
                }
                let envPath = try env.map { try EnvironmentResolver.resolve($0, in: try r.environments()).id.path }
                return try r.events(AuditQuery(flag: key, env: envPath, since: sinceDate, operator: `operator`,
                                               action: action, limit: limit))
            }
            if json {
                CLI.out(JSONValue.array(events.map(Render.event)).render())
                return
            }
            CLI.out(Render.table(["SEQ", "AT", "OPERATOR", "ACTION", "FLAG", "ENV", "CHANGE", "REASON"], events.map { e in
                [String(e.seq), e.at, e.operator, e.action, e.flag ?? "-", e.env ?? "-",
                 EventDiff.describe(before: e.before, after: e.after), e.reason]
            }))
        }
    }
}
