import FlagDeckAWS
import Foundation

/// The driver for `appconfig://PROFILE@REGION/APPLICATION/ENVIRONMENT/CONFIGURATION-PROFILE`:
/// one hosted configuration profile as deployed to one environment. It moves bytes and
/// version numbers only; the operations parse documents and decide what to write.
///
/// - `readServed` reads what applications receive, through an AppConfigData session this
///   instance keeps (an application's own view; "unchanged" answers are empty), and says
///   which hosted version that is and how it relates to the latest hosted version and to
///   the newest deployment (`v15 staged, v14 deployed`, `deploying v15 40 %`).
/// - `readLatest` reads the newest hosted version: what a change is made on top of.
/// - `write` creates a hosted version with the `Latest-Version-Number` precondition, then
///   deploys it; a kill stops whatever deployment is in progress and deploys at once.
///
/// It does not trust the service to enforce the precondition (ministack 1.5.33 ignores
/// it): the latest version is re-checked just before creating, and the number AWS gives
/// back is checked too; a version created on top of someone else's is taken back. Lists
/// are read so that a service that neither paginates nor sorts (ministack again) cannot
/// hide the newest version or deployment (see `AppConfigHistory`).
///
/// Thread-safe; calls block. Names are resolved to ids on first use and kept.
public final class AppConfigSource: DocumentSource, Sendable {
    public let uri: SourceURI
    public let location: SourceURI.AppConfigLocation
    public let options: AppConfigBindingOptions
    public let client: AWSClient
    /// Shared with every binding of this profile and region.
    let shared: AppConfigAccountCache
    let hooks: Hooks
    /// How long a kill waits for a stopped deployment to let go of the environment.
    let stopDeadline: TimeInterval

    /// Deterministic pause points for tests (another writer acts exactly between two calls).
    public struct Hooks: Sendable {
        /// Runs in `write` after the latest version was re-checked, just before it is created.
        public var beforeCreate: (@Sendable () throws -> Void)?
        /// Runs in `write` once the hosted version exists, before its deployment starts; a
        /// throw here is a crash between the two calls.
        public var afterCreate: (@Sendable (Int) throws -> Void)?

        public init(beforeCreate: (@Sendable () throws -> Void)? = nil, afterCreate: (@Sendable (Int) throws -> Void)? = nil) {
            self.beforeCreate = beforeCreate
            self.afterCreate = afterCreate
        }

        public static let none = Hooks()
    }

    struct State {
        var target: AppConfigBindingTarget?
        var session: AppConfigDataSession?
        var history = AppConfigHistory.Cache()
        var strategies: [String: AppConfigDeploymentStrategy] = [:]
        var lastServed: AppConfigServedState?
        var lastRecovery: SourceReceipt?
        var lastRecoveryIntent: String?
    }
    let state = Locked(State())

    /// `clients` supplies the account's client (shared with every binding of that profile
    /// and region). A bad profile or a missing region throws here, naming the profile.
    public init(location: SourceURI.AppConfigLocation, options: AppConfigBindingOptions = AppConfigBindingOptions(),
                clients: AWSClientPool = .shared, hooks: Hooks = .none, stopDeadline: TimeInterval = 60) throws(SourceError) {
        self.location = location
        self.uri = .appConfig(location)
        self.options = options
        self.hooks = hooks
        self.stopDeadline = stopDeadline
        do {
            (client, shared) = try clients.entry(profile: location.profile, region: location.region)
        } catch .unreachable(_, let detail) {
            throw .unreachable(source: SourceURI.appConfig(location).description, detail: detail)
        }
    }

    public convenience init(uri: SourceURI, options: [String: String] = [:], clients: AWSClientPool = .shared,
                            hooks: Hooks = .none) throws(SourceError) {
        guard case .appConfig(let location) = uri else { throw .badURI(uri.description, "not an appconfig:// URI") }
        try self.init(location: location, options: AppConfigBindingOptions(options: options), clients: clients, hooks: hooks)
    }

    var name: String { uri.description }

    // MARK: DocumentSource

    public func readServed() throws(SourceError) -> SourceSnapshot {
        let s = try readServedState()
        return SourceSnapshot(bytes: s.bytes, version: String(s.version), status: s.status)
    }

    public func readLatest() throws(SourceError) -> SourceSnapshot {
        let t = try target()
        guard let n = try latestHosted(t) else {
            throw .unreachable(source: name, detail: "\(t.words) has no hosted configuration version yet; create one first")
        }
        let h = try hostedVersion(n, t)
        return SourceSnapshot(bytes: [UInt8](h.content), version: String(n))
    }

    public func write(_ w: SourceWrite) throws(SourceError) -> SourceReceipt {
        let t = try target()
        guard let base = Int(w.baseVersion) else {
            throw .unsupported(source: name, detail: "the base version \(w.baseVersion) is not a hosted version number")
        }
        guard w.bytes.count <= options.maxBytes else {
            throw .unsupported(source: name, detail: "the new document is \(w.bytes.count) bytes, over the \(options.maxBytes)-byte"
                               + " limit of a hosted configuration; nothing was written")
        }
        do { _ = try JSONParser.validateWithSpans(w.bytes, spanDepth: 1) } catch {
            throw .unsupported(source: name, detail: "the new document is not valid JSON (\(error.inFile("new version"))); nothing was written")
        }
        // 1. The precondition, checked here as well as by AWS.
        let latest = try latestHosted(t) ?? 0
        guard latest == base else { throw .changedSince(source: name, expected: String(base), found: String(latest)) }
        // 2. Never build on a version applications could not have parsed.
        var contentType = "application/json"
        if base > 0 {
            let current = try hostedVersion(base, t)
            do { _ = try JSONParser.validateWithSpans([UInt8](current.content), spanDepth: 1) } catch {
                throw .unparseable(source: name, detail: "hosted version \(base): \(error.inFile("version \(base)"))")
            }
            if let ct = current.contentType, !ct.isEmpty { contentType = ct }
        }
        // 3. An ordinary change waits its turn: AppConfig runs one deployment at a time.
        let strategy = try w.urgent ? killStrategy(t) : ordinaryStrategy(t)
        if !w.urgent, let busy = try recentDeployments(t).first(where: { $0.phase.isInProgress }) {
            throw .unsupported(source: name, detail: "deployment #\(busy.number) (\(busy.versionText)) is \(busy.phase.text) in"
                               + " \(t.environmentWords); AppConfig runs one deployment at a time, so nothing was written."
                               + " Retry when it completes, or kill (a kill stops it)")
        }
        try run { try hooks.beforeCreate?() }
        // 4. Create with the precondition, and check the number we got.
        let description = AppConfigIntentMarker.description(w.description, intentID: w.intentID)
        let created: AppConfigHostedVersion
        do {
            created = try client.appConfig.createHostedConfigurationVersion(
                application: t.application.id, profile: t.profile.id, content: Data(w.bytes), contentType: contentType,
                description: description, latestVersionNumber: base,
                versionLabel: AppConfigIntentMarker.versionLabel(intentID: w.intentID, urgent: w.urgent))
        } catch AWSError.versionConflict {
            let now = (try? latestHosted(t)).flatMap { $0 }.map(String.init) ?? "a newer version"
            throw .changedSince(source: name, expected: String(base), found: now)
        } catch {
            throw fail(error, t)
        }
        remember(created)
        if created.versionNumber != base + 1 {
            let others = try versionsBetween(base, created.versionNumber, t)
            if let newest = others.max() {
                let undone = undo(created.versionNumber, t)
                throw .changedSince(source: name, expected: String(base), found: String(newest)
                                    + (undone ? "" : "; version \(created.versionNumber) holding flagdeck's change was created on top of it"
                                       + " and could not be deleted (\(t.words)); delete it before deploying anything"))
            }
        }
        do { try hooks.afterCreate?(created.versionNumber) } catch { throw fail(error, t) }
        // 5. Deploy.
        do {
            var receipt = try deploy(created.versionNumber, strategy: strategy, urgent: w.urgent, description: description, t)
            receipt.details["version_label"] = created.versionLabel
            return receipt
        } catch {
            let undone = undo(created.versionNumber, t)
            guard undone else {
                throw .unreachable(source: name, detail: "\(error); hosted version \(created.versionNumber) was created but not deployed"
                                   + " and could not be deleted; delete it (aws appconfig delete-hosted-configuration-version) or deploy it")
            }
            throw error
        }
    }

    public func findWrite(intentID: String, after baseVersion: String) throws(SourceError) -> String? {
        let t = try target()
        let base = Int(baseVersion) ?? 0
        guard let latest = try latestHosted(t), latest > base else { return nil }
        let listed = try run { try client.appConfig.listHostedConfigurationVersions(application: t.application.id, profile: t.profile.id) }
        let byNumber = Dictionary(listed.map { ($0.versionNumber, $0) }, uniquingKeysWith: { a, _ in a })
        for v in (base + 1)...latest {
            var label = byNumber[v]?.versionLabel, description = byNumber[v]?.description
            if byNumber[v] == nil || (label == nil && (description ?? "").isEmpty) {
                guard let h = try? hostedVersion(v, t) else { continue }  // deleted
                label = h.versionLabel
                description = h.description
            }
            guard AppConfigIntentMarker.carries(intentID, label: label, description: description) else { continue }
            state.withLock { $0.lastRecovery = nil; $0.lastRecoveryIntent = intentID }
            let urgent = AppConfigIntentMarker.intent(fromLabel: label)?.urgent ?? (description ?? "").contains("flagdeck kill")
            return try completeWrite(v, urgent: urgent, description: description ?? "", latest: latest, t).map(String.init)
        }
        return nil
    }

    public func destination(urgent: Bool) -> String {
        let place = "\(location.application)/\(location.environment) (\(location.configurationProfile))"
        let account = client.accountId.map { "account \($0), " } ?? ""
        let who = "\(account)profile \(location.profile ?? client.profileName), \(client.region)"
        if urgent {
            return "deploys to \(place) in \(who) with \(options.killStrategyName), stopping any deployment in progress"
        }
        return "deploys to \(place) in \(who) with \(options.strategy)"
    }

    /// An `AWS.AppConfig.FeatureFlags` profile is served flattened, so its format comes
    /// from the profile's type, not from what AppConfigData returns.
    public func declaredFormat() throws(SourceError) -> DocumentFormat? {
        try target().isFeatureFlags ? .appConfigFeatureFlags : nil
    }

    // MARK: beyond the protocol

    /// What applications receive, with the facts a sync event records.
    public func readServedState() throws(SourceError) -> AppConfigServedState {
        let t = try target()
        var deployments = try profileDeployments(t)
        let session = sessionFor(t)
        let poll = try run { try session.poll() }
        let latest = try latestHosted(t)
        guard !poll.document.isEmpty else {
            throw .unreachable(source: name, detail: "nothing is deployed to \(t.environmentWords) from \(t.profileWords) yet"
                               + (latest.map { " (latest hosted version \($0))" } ?? "") + "; deploy a version first")
        }
        var found = try servedVersion(poll, deployments, latest, t)
        if found == nil {
            // A deployment may have started or ended between the two reads: read the history again, once.
            deployments = try profileDeployments(t)
            found = try servedVersion(poll, deployments, latest, t)
        }
        guard let served = found else {
            throw .unreachable(source: name, detail: "AppConfigData serves \(t.profileWords) in \(t.environmentWords), but no hosted"
                               + " version in its deployment history has that content; cannot tell which version it is")
        }
        let (version, deployment) = served
        var newest = deployments.first.map { status($0, t) }
        if let n = newest, case .rolledBack = n.phase { newest = (try? detailedStatus(n.deploymentNumber, t)) ?? n }
        let s = AppConfigServedState(bytes: [UInt8](poll.document), version: version, deployment: deployment,
                                     latestDeployment: newest, latestHosted: latest,
                                     nextPollIntervalSeconds: poll.nextPollIntervalSeconds, versionLabel: poll.versionLabel)
        state.withLock { $0.lastServed = s }
        return s
    }

    /// The newest deployment of this profile to this environment, with its strategy's name
    /// and, for a rollback, who caused it; nil when it was never deployed there.
    public func deploymentState() throws(SourceError) -> AppConfigDeploymentStatus? {
        let t = try target()
        guard let newest = try profileDeployments(t).first else { return nil }
        return try detailedStatus(newest.number, t)
    }

    func detailedStatus(_ number: Int, _ t: AppConfigBindingTarget) throws(SourceError) -> AppConfigDeploymentStatus {
        let full = try run { try client.appConfig.getDeployment(application: t.application.id, environment: t.environment.id,
                                                                 number: number) }
        var s = status(AppConfigHistory.Deployment(full), t)
        let rollback = full.eventLog?.first { ($0.eventType ?? "").hasPrefix("ROLLBACK") || $0.eventType == "REVERT_COMPLETED" }
        s.phase = AppConfigDeploymentStatus.Phase(state: full.state, percent: full.percentageComplete, triggeredBy: rollback?.triggeredBy)
        if let id = full.deploymentStrategyId { s.strategy = (try? strategyName(id)) ?? id }
        return s
    }

    /// The interval AppConfigData last asked applications to poll at, in seconds.
    public var suggestedPollInterval: Int? { state.withLock { $0.lastServed?.nextPollIntervalSeconds } }

    /// The deployment a `findWrite` started to finish a write interrupted by a crash.
    public var lastRecovery: SourceReceipt? { state.withLock { $0.lastRecovery } }

    /// What `findWrite(intentID:)` found or finished: the hosted version and the deployment
    /// that carries it, for the recovered audit event.
    public func recoveryReceipt(intentID: String) -> SourceReceipt? {
        state.withLock { $0.lastRecoveryIntent == intentID ? $0.lastRecovery : nil }
    }

    /// The application, environment and profile this binding names, resolved.
    public func resolvedTarget() throws(SourceError) -> AppConfigBindingTarget { try target() }

    // MARK: resolution

    func target() throws(SourceError) -> AppConfigBindingTarget {
        if let t = state.withLock({ $0.target }) { return t }
        let ac = client.appConfig
        let t: AppConfigBindingTarget = try run {
            // The bindings of one account opened together share these lookups (see AppConfigAccountCache).
            if client.accountId == nil { _ = try shared.lookup("caller") { try client.sts.getCallerIdentity() } }
            let apps = try shared.lookup("applications") { try ac.listApplications() }
            let app = try AppConfigClient.match(location.application, in: apps, id: \.id, name: \.name, kind: "application",
                                                scope: nil, client: client)
            let envs = try shared.lookup("environments/" + app.id) { try ac.listEnvironments(application: app.id) }
            let env = try AppConfigClient.match(location.environment, in: envs, id: \.id, name: \.name, kind: "environment",
                                                scope: "application \(app.name)", client: client)
            let profiles = try shared.lookup("profiles/" + app.id) { try ac.listConfigurationProfiles(application: app.id) }
            let profile = try AppConfigClient.match(location.configurationProfile, in: profiles, id: \.id, name: \.name,
                                                    kind: "configuration profile", scope: "application \(app.name)", client: client)
            return AppConfigBindingTarget(application: app, environment: env, profile: profile,
                                   profileNameShared: profiles.filter { $0.name == profile.name }.count > 1,
                                   accountId: client.accountId)
        }
        if let uri = t.profile.locationUri, uri != "hosted" {
            throw .unsupported(source: name, detail: "\(t.profileWords) is stored at \(uri), not in the AppConfig hosted store;"
                               + " flagdeck reads and writes hosted configurations only")
        }
        state.withLock { $0.target = t }
        return t
    }

    func sessionFor(_ t: AppConfigBindingTarget) -> AppConfigDataSession {
        state.withLock { (s: inout State) -> AppConfigDataSession in
            if let existing = s.session { return existing }
            let made = AppConfigDataSession(client: client, application: t.application.id, environment: t.environment.id,
                                            profile: t.profile.id)
            s.session = made
            return made
        }
    }

    /// Runs AWS calls, turning their errors into `SourceError`s that name this binding.
    func run<T>(_ body: () throws -> T) throws(SourceError) -> T {
        do { return try body() } catch { throw fail(error, state.withLock { $0.target }) }
    }

    func fail(_ error: Error, _ t: AppConfigBindingTarget?) -> SourceError {
        AppConfigFailure.map(error, source: name, target: t?.words ?? "application \(location.application) environment"
                             + " \(location.environment) configuration profile \(location.configurationProfile)")
    }
}

/// The resolved ids behind a binding, and its names for messages.
public struct AppConfigBindingTarget: Sendable, Hashable {
    public var application: AppConfigApplication
    public var environment: AppConfigEnvironment
    public var profile: AppConfigProfileSummary
    /// Another profile of the application has the same name (deployment lists name profiles
    /// by name only, so those deployments are told apart by id).
    public var profileNameShared: Bool
    public var accountId: String?

    public var isFeatureFlags: Bool { profile.type == .featureFlags }

    var words: String { "application \(application.name) environment \(environment.name) configuration profile \(profile.name)" }
    var environmentWords: String { "environment \(environment.name) of application \(application.name)" }
    var profileWords: String { "configuration profile \(profile.name)" }
}
