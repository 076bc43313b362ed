import ArgumentParser
import FlagDeckCore
import Foundation

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The grid as a text table or JSON.")
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var now: NowOption
    @Option(name: .customLong("env"), help: "Only these environments (repeatable; ACCOUNT/ENV or unambiguous ENV).")
    var envFilters: [String] = []
    @Flag(help: "JSON output.") var json = false

    func run() throws {
        try CLI.run {
            let at = try now.resolve()
            let store = try db.open()
            let (allEnvs, flags, states) = try store.read { r in (try r.environments(), try r.flags(), try r.states()) }
            let envs = try envFilters.isEmpty ? allEnvs : envFilters.map { try EnvironmentResolver.resolve($0, in: allEnvs) }
            let byFlag = Dictionary(grouping: states, by: \.flagKey)
            if json {
                CLI.out(JSONValue.object([
                    ("environments", .array(envs.map(Render.environment))),
                    ("flags", .array(flags.map { Render.flag($0, states: byFlag[$0.key] ?? [], envs: envs, detail: false, now: at) })),
                ]).render())
                return
            }
            let rows = flags.map { f -> [String] in
                let cells = Dictionary((byFlag[f.key] ?? []).map { ($0.env, $0) }, uniquingKeysWith: { a, _ in a })
                let last = (byFlag[f.key] ?? []).map(\.changedAt).max()
                return [f.key, f.owner ?? "-", last.map { Render.age(at.timeIntervalSince($0)) } ?? "-"]
                    + envs.map { cells[$0.id]?.cell.label ?? "-" }
            }
            CLI.out(Render.table(["KEY", "OWNER", "AGE"] + envs.map { $0.id.path + ($0.isProtected ? "*" : "") }, rows))
        }
    }
}
