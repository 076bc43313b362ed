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
            let (flag, states, envs, all) = try db.open().read { r in
                guard let f = try r.flag(key: key) else { throw FlagDeckError.unknownFlag(key) }
                return (f, try r.states(flag: key), try r.environments(), try r.flags())
            }
            if json {
                CLI.out(Render.flag(flag, states: states, envs: envs, detail: true, now: at).render())
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
            CLI.out(lines.joined(separator: "\n"))
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
