import ArgumentParser
import FlagDeckCore
import Foundation

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "One flag: metadata and its state in every environment.")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var now: NowOption
    @Argument var key: String
    @Flag(help: "JSON output.") var json = false

    func run() throws {
        try CLI.run {
            let at = try now.resolve()
            let store = try db.open()
            let (flag, states, envs, all) = try store.read { r in
                guard let f = try r.flag(key: key) else { throw FlagDeckError.unknownFlag(key) }
                return (f, try r.states(flag: key), try r.environments(), try r.flags())
            }
            let jobs = try Render.jobs(Operations(store: store), flag: key)
            if json {
                var out = Render.flag(flag, states: states, envs: envs, detail: true, now: at)
                if let jobs, case .object(var m) = out { m.append(("jobs", jobs)); out = .object(m) }
                CLI.out(out.render())
                return
            }
            var lines = [
                "\(flag.key)  (\(flag.type.rawValue), version \(flag.version))",
                "  description: \(flag.description.isEmpty ? "-" : flag.description)",
                "  owner:       \(flag.owner ?? "(none)")",
                "  tags:        \(flag.tags.isEmpty ? "-" : flag.tags.joined(separator: ", "))",
                "  created:     \(UTC.format(flag.createdAt))",
                "  expires:     \(flag.expiresAt.map(UTC.formatDay) ?? "-")",
                "  depends on:  \(flag.dependsOn.isEmpty ? "-" : flag.dependsOn.joined(separator: ", "))",
                "  needed by:   \(DependencyGraph.dependents(of: flag.key, in: all).joined(separator: ", ").nonEmpty ?? "-")",
                "",
            ]
            let prot = Set(envs.filter(\.isProtected).map(\.id))
            lines.append(Render.table(["ENV", "STATE", "ENABLED", "ROLLOUT", "VERSION", "CHANGED", "BY"], states.map { s in
                [s.env.path + (prot.contains(s.env) ? "*" : ""), s.cell.label, s.enabled ? "yes" : "no",
                 Percent.format(s.rolloutBasisPoints) + "%", String(s.version),
                 UTC.format(s.changedAt) + " (\(Render.age(at.timeIntervalSince(s.changedAt))) ago)", s.changedBy]
            }))
            for (env, s) in (try Operations(store: store).jobsSummaries()[key] ?? [:]).sorted(by: { $0.key.path < $1.key.path }) {
                lines.append("  \(env): \(s.text) in DynamoDB table \(s.table)" + (s.nonBoolean > 0 ? " (\(s.nonBoolean) non-boolean, never written)" : ""))
            }
            CLI.out(lines.joined(separator: "\n"))
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
