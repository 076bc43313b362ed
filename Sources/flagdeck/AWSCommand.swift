import ArgumentParser
import FlagDeckCore

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

        func run() throws {
            try CLI.run {
                let accounts = AppConfigDiscovery.discover(profiles: profiles.isEmpty ? nil : profiles, regions: regions)
                if json {
                    CLI.out(AppConfigDiscovery.json(accounts).render())
                } else {
                    for line in Self.lines(accounts) { CLI.out(line) }
                }
                if accounts.isEmpty { CLI.fail("no AWS profile found to scan; name one with --profile", code: 1) }
                if accounts.contains(where: { $0.error != nil }) { throw ExitCode(1) }
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
