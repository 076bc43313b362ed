import FlagDeckAWS
import Foundation

/// `flagdeck aws discover`: for each profile and region, the account (STS
/// GetCallerIdentity) and every application, environment and configuration profile that
/// holds feature flags — hosted `AWS.AppConfig.FeatureFlags` profiles, and hosted freeform
/// profiles whose latest version is Powertools JSON (checked with the same validator
/// Powertools applies). Each profile × environment it is deployed to is a source to bind,
/// named by `AppConfigNaming`. Accounts are scanned concurrently; one that fails is reported
/// with its error and does not stop the others.
public enum AppConfigDiscovery {
    /// One profile in one region.
    public struct Account: Sendable {
        public var profile: String
        public var region: String?
        public var accountId: String?
        public var arn: String?
        /// Why this profile and region could not be scanned (nothing else is filled in then).
        public var error: String?
        public var applications: [Application] = []
    }

    public struct Application: Sendable {
        public var id: String
        public var name: String
        public var environments: [AppConfigEnvironment]
        public var flagProfiles: [FlagProfile]
        /// Profiles that hold no flags flagdeck reads, and why — so an operator looking for
        /// one learns where it went.
        public var skipped: [Skipped]
    }

    public struct FlagProfile: Sendable {
        public var id: String
        public var name: String
        public var type: AppConfigProfileType
        /// `powertools` or `appconfig-feature-flags` (the hosted form).
        public var format: DocumentFormat
        public var latestVersion: Int
        public var flagCount: Int
        /// One entry per environment of the application.
        public var placements: [Placement]
    }

    /// The profile in one environment.
    public struct Placement: Sendable {
        public var environment: AppConfigEnvironment
        /// The version applications there receive; nil when it was never deployed there.
        public var deployedVersion: Int?
        public var latestDeployment: AppConfigDeploymentStatus?
        /// Where to bind it (only when deployed).
        public var source: Source?
    }

    public struct Skipped: Sendable {
        public var id: String
        public var name: String
        public var reason: String
    }

    /// A bindable source: what `--bind` adds.
    public struct Source: Sendable, Hashable {
        public var env: EnvironmentID
        public var uri: SourceURI
        public var format: DocumentFormat
    }

    /// Scans `profiles` (nil: every profile in the shared files, else the default chain)
    /// in `regions` (empty: each profile's own region).
    public static func discover(profiles: [String]?, regions: [String], clients: AWSClientPool = .shared) -> [Account] {
        var names = profiles ?? []
        if profiles == nil {
            names = (try? clients.profileNames()) ?? []
        }
        var targets: [(String?, String?)] = []
        let regionList: [String?] = regions.isEmpty ? [nil] : regions.map { Optional($0) }
        if names.isEmpty {
            targets = regionList.map { (nil, $0) }
        } else {
            for p in names { for r in regionList { targets.append((p, r)) } }
        }
        let work = targets
        var accounts = BlockingParallel.map(work.count, width: 16) { i in scan(profile: work[i].0, region: work[i].1, clients: clients) }
        name(&accounts, clients: clients, requestedProfiles: targets.map(\.0))
        return accounts
    }

    /// Every bindable source found, in a stable order.
    public static func sources(_ accounts: [Account]) -> [Source] {
        accounts.flatMap { a in a.applications.flatMap { app in app.flagProfiles.flatMap { p in p.placements.compactMap(\.source) } } }
            .sorted { ($0.env, $0.uri.description) < ($1.env, $1.uri.description) }
    }

    // MARK: scanning one account

    static func scan(profile: String?, region: String?, clients: AWSClientPool) -> Account {
        var account = Account(profile: profile ?? "default", region: region)
        let client: AWSClient
        do { client = try clients.client(profile: profile, region: region) } catch {
            account.error = error.description
            return account
        }
        account.region = client.region
        do {
            let me = try client.sts.getCallerIdentity()
            account.accountId = me.account
            account.arn = me.arn
            let ac = client.appConfig
            for app in try ac.listApplications().sorted(by: { ($0.name, $0.id) < ($1.name, $1.id) }) {
                account.applications.append(try scan(app, ac))
            }
        } catch {
            account.error = AppConfigFailure.map(error, source: "profile \(account.profile) in \(client.region)", target: nil).description
        }
        return account
    }

    static func scan(_ app: AppConfigApplication, _ ac: AppConfigClient) throws -> Application {
        let envs = try ac.listEnvironments(application: app.id).sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        let profiles = try ac.listConfigurationProfiles(application: app.id).sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        var flagProfiles: [FlagProfile] = [], skipped: [Skipped] = []
        var deployments: [String: [AppConfigHistory.Deployment]] = [:]
        for p in profiles {
            let type = p.type ?? .freeform
            if let uri = p.locationUri, uri != "hosted" {
                skipped.append(Skipped(id: p.id, name: p.name, reason: "stored at \(uri); flagdeck reads hosted configurations only"))
                continue
            }
            guard type == .freeform || type == .featureFlags else {
                skipped.append(Skipped(id: p.id, name: p.name, reason: "type \(type) holds no flags flagdeck reads"))
                continue
            }
            guard let latest = try latestHostedVersion(ac, app: app.id, profile: p.id) else {
                skipped.append(Skipped(id: p.id, name: p.name, reason: "no hosted version yet"))
                continue
            }
            let content = [UInt8](try ac.getHostedConfigurationVersion(application: app.id, profile: p.id, version: latest.number).content)
            let format: DocumentFormat = type == .featureFlags ? .appConfigFeatureFlags : .powertools
            let count: Int
            switch flags(in: content, format: format) {
            case .success(let n): count = n
            case .failure(let why):
                skipped.append(Skipped(id: p.id, name: p.name, reason: "version \(latest.number) is not \(format == .powertools ? "Powertools feature flags JSON" : "an AWS.AppConfig.FeatureFlags document"): \(why)"))
                continue
            }
            var placements: [Placement] = []
            let shared = profiles.filter { $0.name == p.name }.count > 1
            for e in envs {
                if deployments[e.id] == nil { deployments[e.id] = try recentDeployments(ac, app: app.id, env: e.id) }
                let mine = try deployments[e.id]!.filter { d in
                    guard d.configurationName == p.name else { return false }
                    guard shared else { return true }
                    return try ac.getDeployment(application: app.id, environment: e.id, number: d.number).configurationProfileId == p.id
                }
                let delivered = mine.first { $0.phase.delivers }
                let version = delivered?.configurationVersion.flatMap { Int($0) ?? latest.labels[$0] }
                let newest = mine.first.map { d in
                    AppConfigDeploymentStatus(deploymentNumber: d.number, configurationVersion: d.configurationVersion.flatMap { Int($0) ?? latest.labels[$0] },
                                              phase: d.phase, startedAt: d.startedAt, completedAt: d.completedAt)
                }
                placements.append(Placement(environment: e, deployedVersion: version, latestDeployment: newest, source: nil))
            }
            flagProfiles.append(FlagProfile(id: p.id, name: p.name, type: type, format: format, latestVersion: latest.number,
                                            flagCount: count, placements: placements))
        }
        return Application(id: app.id, name: app.name, environments: envs, flagProfiles: flagProfiles, skipped: skipped)
    }

    /// How many flags a latest version holds, or why it is not a flag document.
    static func flags(in content: [UInt8], format: DocumentFormat) -> Result<Int, DiscoveryRefusal> {
        do {
            if format == .powertools {
                let doc = try JSONParser.parse(content)
                return .success(try PowertoolsValidator.validate(doc).features.count)
            }
            return .success(try FlagDocuments.parse(content, format: format, file: "hosted version").keys.count)
        } catch {
            return .failure(DiscoveryRefusal(description: String(error.description.prefix(300))))
        }
    }

    struct DiscoveryRefusal: Error, CustomStringConvertible { var description: String }

    /// The newest hosted version (every page, then past a truncated list) and the labels seen.
    static func latestHostedVersion(_ ac: AppConfigClient, app: String, profile: String) throws -> (number: Int, labels: [String: Int])? {
        let items = try ac.listHostedConfigurationVersions(application: app, profile: profile)
        var labels: [String: Int] = [:]
        for i in items { if let l = i.versionLabel { labels[l] = i.versionNumber } }
        var latest = items.map(\.versionNumber).max() ?? 0
        if AppConfigHistory.looksTruncated(items.count) {
            while true {
                do { _ = try ac.getHostedConfigurationVersion(application: app, profile: profile, version: latest + 1) } catch {
                    if AppConfigHistory.isNotFound(error) { break }
                    throw error
                }
                latest += 1
            }
        }
        return latest == 0 ? nil : (latest, labels)
    }

    /// The newest deployments of an environment, newest first (past a truncated list too).
    static func recentDeployments(_ ac: AppConfigClient, app: String, env: String) throws -> [AppConfigHistory.Deployment] {
        let items = try ac.listDeployments(application: app, environment: env, maxItems: AppConfigHistory.page)
        var all = items.map(AppConfigHistory.Deployment.init)
        if AppConfigHistory.looksTruncated(items.count) {
            var n = (all.map(\.number).max() ?? 0) + 1
            while true {
                do { all.append(AppConfigHistory.Deployment(try ac.getDeployment(application: app, environment: env, number: n))) } catch {
                    if AppConfigHistory.isNotFound(error) { break }
                    throw error
                }
                n += 1
            }
        }
        return all.sorted { $0.number > $1.number }
    }

    // MARK: naming

    /// Fills in each deployed placement's binding, by `AppConfigNaming`.
    static func name(_ accounts: inout [Account], clients: AWSClientPool, requestedProfiles: [String?]) {
        var places: [AppConfigNaming.Place] = []
        var homes: [String: String?] = [:]
        for a in accounts where a.error == nil {
            if homes[a.profile] == nil {
                let p: String? = a.profile == "default" && requestedProfiles.allSatisfy({ $0 == nil }) ? nil : a.profile
                homes[a.profile] = .some(try? clients.client(profile: p, region: nil).region)
            }
        }
        for a in accounts where a.error == nil {
            for app in a.applications where !app.flagProfiles.isEmpty {
                let used = Set(app.flagProfiles.flatMap { $0.placements.filter { $0.deployedVersion != nil }.map(\.environment.id) })
                for e in app.environments where used.contains(e.id) {
                    places.append(.init(profile: a.profile, region: a.region ?? "", homeRegion: homes[a.profile] ?? nil, applicationId: app.id,
                                        application: app.name, environmentId: e.id, environment: e.name))
                }
            }
        }
        let names = AppConfigNaming.names(places)
        for ai in accounts.indices where accounts[ai].error == nil {
            let a = accounts[ai]
            let uriProfile: String? = a.profile == "default" && requestedProfiles.allSatisfy({ $0 == nil }) ? nil : a.profile
            for pi in a.applications.indices {
                let app = a.applications[pi]
                let appNames = Dictionary(grouping: accounts[ai].applications.map(\.name), by: { $0 }).mapValues(\.count)
                for fi in app.flagProfiles.indices {
                    let fp = app.flagProfiles[fi]
                    let profileNameUnique = app.flagProfiles.filter { $0.name == fp.name }.count == 1
                        && app.skipped.allSatisfy { $0.name != fp.name }
                    for li in fp.placements.indices where fp.placements[li].deployedVersion != nil {
                        let e = fp.placements[li].environment
                        let place = AppConfigNaming.Place(profile: a.profile, region: a.region ?? "", homeRegion: homes[a.profile] ?? nil,
                                                          applicationId: app.id, application: app.name, environmentId: e.id,
                                                          environment: e.name)
                        guard let env = names[place] else { continue }
                        // Names read better in URIs; ids where a name would be ambiguous.
                        let appRef = appNames[app.name, default: 1] > 1 ? app.id : app.name
                        let envRef = app.environments.filter { $0.name == e.name }.count > 1 ? e.id : e.name
                        let profRef = profileNameUnique ? fp.name : fp.id
                        let uri = SourceURI.appConfig(.init(profile: uriProfile, region: a.region, application: appRef,
                                                            environment: envRef, configurationProfile: profRef))
                        accounts[ai].applications[pi].flagProfiles[fi].placements[li].source = Source(env: env, uri: uri, format: fp.format)
                    }
                }
            }
        }
    }
}

extension AppConfigDiscovery {
    /// The documented `aws discover --json` shape.
    public static func json(_ accounts: [Account]) -> JSONValue {
        func deployment(_ d: AppConfigDeploymentStatus?) -> JSONValue {
            guard let d else { return .null }
            return .object([("number", .int(Int64(d.deploymentNumber))), ("version", d.configurationVersion.map { .int(Int64($0)) } ?? .null),
                            ("state", .string(d.phase.text))])
        }
        return .object([("accounts", .array(accounts.map { a in
            .object([
                ("profile", .string(a.profile)), ("region", .optional(a.region)), ("account", .optional(a.accountId)),
                ("arn", .optional(a.arn)), ("error", .optional(a.error)),
                ("applications", .array(a.applications.map { app in
                    .object([
                        ("id", .string(app.id)), ("name", .string(app.name)),
                        ("environments", .array(app.environments.map { .object([("id", .string($0.id)), ("name", .string($0.name))]) })),
                        ("profiles", .array(app.flagProfiles.map { p in
                            .object([
                                ("id", .string(p.id)), ("name", .string(p.name)), ("type", .string(p.type.rawValue)),
                                ("format", .string(p.format.rawValue)), ("latest_version", .int(Int64(p.latestVersion))),
                                ("flags", .int(Int64(p.flagCount))),
                                ("environments", .array(p.placements.map { pl in
                                    .object([
                                        ("id", .string(pl.environment.id)), ("name", .string(pl.environment.name)),
                                        ("deployed_version", pl.deployedVersion.map { .int(Int64($0)) } ?? .null),
                                        ("latest_deployment", deployment(pl.latestDeployment)),
                                        ("env", pl.source.map { .string($0.env.description) } ?? .null),
                                        ("uri", pl.source.map { .string($0.uri.description) } ?? .null),
                                    ])
                                })),
                            ])
                        })),
                        ("skipped", .array(app.skipped.map {
                            .object([("id", .string($0.id)), ("name", .string($0.name)), ("reason", .string($0.reason))])
                        })),
                    ])
                })),
            ])
        }))])
    }
}
