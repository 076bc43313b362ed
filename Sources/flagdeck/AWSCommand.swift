import ArgumentParser
import FlagDeckCore
import Foundation

/// `flagdeck aws …`: AWS AppConfig across accounts. The work is in the core
/// (`AppConfigDiscovery`); this prints it.
struct AWSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws",
        abstract: "AWS AppConfig across accounts.",
        subcommands: [Discover.self])

    struct Discover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every account's AppConfig feature flags: applications, environments and flag profiles.",
            discussion: """
                For each --profile (default: every profile in the shared config files) and --region (default: the
                profile's own), shows the account (STS GetCallerIdentity) and every hosted configuration profile that
                holds flags: AWS.AppConfig.FeatureFlags profiles, and freeform profiles whose latest version is Powertools
                JSON. Each environment a profile is deployed to gets the flagdeck environment it would bind to
                (docs/aws.md, "Discovery"). Exits 1 when any profile or region could not be scanned; the others are
                still shown.
                """)

        @Option(name: .customLong("profile"), help: "An AWS profile to scan (repeatable).") var profiles: [String] = []
        @Option(name: .customLong("region"), help: "A region to scan (repeatable).") var regions: [String] = []
        @Flag(help: "JSON output.") var json = false
        @Flag(help: "Bind every deployed flag profile found that is not bound yet (`source add`, audited).") var bind = false
        @Option(help: "With --bind: why (recorded; required for protected environments).")
        var reason: String = "bound by flagdeck aws discover"
        @OptionGroup var db: DatabaseOptions

        func run() throws {
            try CLI.run {
                let accounts = AppConfigDiscovery.discover(profiles: profiles.isEmpty ? nil : profiles, regions: regions)
                if json && !bind {
                    CLI.out(AppConfigDiscovery.json(accounts).render())
                } else if !json {
                    for line in Self.lines(accounts) { CLI.out(line) }
                }
                if accounts.isEmpty { CLI.fail("no AWS profile found to scan; name one with --profile", code: 1) }
                var failed = accounts.contains(where: { $0.error != nil })
                if bind {
                    let outcome = try Self.bindAll(AppConfigDiscovery.sources(accounts), CLI.operations(try db.open()), reason: reason)
                    failed = failed || outcome.contains { $0.error != nil }
                    if json {
                        CLI.out(JSONValue.array(outcome.map(\.json)).render())
                    } else {
                        for o in outcome { CLI.out(o.line) }
                    }
                }
                if failed { throw ExitCode(1) }
            }
        }

        /// What `--bind` did with one discovered source.
        struct Bound {
            var source: AppConfigDiscovery.Source
            var already: Bool
            var changes = 0
            var error: String?

            var line: String {
                if let error { return "not bound \(source.env)  \(source.uri): \(error)" }
                if already { return "already bound \(source.env)  \(source.uri)" }
                return "bound \(source.env)  \(source.uri)  (\(changes) change\(changes == 1 ? "" : "s") imported)"
            }

            var json: JSONValue {
                .object([("env", .string(source.env.path)), ("uri", .string(source.uri.description)),
                         ("format", .string(source.format.rawValue)),
                         ("outcome", .string(error != nil ? "error" : already ? "already_bound" : "bound")),
                         ("changes", .int(Int64(changes))), ("error", error.map { .string($0) } ?? .null)])
            }
        }

        /// Binds through `Operations.addSource`, one audited transaction per source, so a
        /// second run binds only what is new and one bad source does not stop the others.
        static func bindAll(_ sources: [AppConfigDiscovery.Source], _ ops: Operations, reason: String) throws -> [Bound] {
            let bound = Set(try ops.sourceBindings().map(\.uri))
            return sources.map { s in
                var b = Bound(source: s, already: bound.contains(s.uri.description))
                guard !b.already else { return b }
                do {
                    b.changes = try ops.addSource(env: s.env.path, uri: s.uri.description, format: s.format.rawValue,
                                                  reason: reason).changes.count
                } catch {
                    b.error = "\(error)"
                }
                return b
            }
        }

        static func lines(_ accounts: [AppConfigDiscovery.Account]) -> [String] {
            var out: [String] = []
            for a in accounts {
                let head = "profile \(a.profile)  \(a.region ?? "no region")"
                guard a.error == nil else {
                    out.append(head + "  error: \(a.error!)")
                    continue
                }
                out.append(head + "  account \(a.accountId ?? "?")" + (a.arn.map { "  \($0)" } ?? ""))
                if a.applications.isEmpty { out.append("  no AppConfig applications") }
                for app in a.applications {
                    out.append("  \(app.name) (\(app.id))")
                    if app.flagProfiles.isEmpty { out.append("    no flag profiles") }
                    for p in app.flagProfiles {
                        let kind = p.format == .powertools ? "freeform, Powertools JSON" : "AWS.AppConfig.FeatureFlags"
                        out.append("    \(p.name) (\(p.id))  \(kind), \(p.flagCount) flag\(p.flagCount == 1 ? "" : "s"), latest v\(p.latestVersion)")
                        let width = p.placements.map(\.environment.name.count).max() ?? 0
                        for pl in p.placements {
                            let name = pl.environment.name.padding(toLength: width, withPad: " ", startingAt: 0)
                            guard let v = pl.deployedVersion else {
                                out.append("      \(name)  not deployed" + (pl.latestDeployment.map { " (\($0))" } ?? ""))
                                continue
                            }
                            var line = "      \(name)  v\(v) deployed"
                            if let d = pl.latestDeployment { line += ", \(d)" }
                            if let s = pl.source { line += "  -> \(s.env)  \(s.uri)" }
                            out.append(line)
                        }
                    }
                    for s in app.skipped { out.append("    skipped \(s.name) (\(s.id)): \(s.reason)") }
                }
            }
            return out
        }
    }
}
