import FlagDeckAWS
import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckTUI

/// The dashboard over a real AppConfig (the emulator), on the in-memory surface: the
/// background poll brings in what the aws CLI deployed without a keypress, at the
/// `appconfig.poll_floor_seconds` floor rather than AppConfig's 30 s; each environment's
/// deployment state is on its column heading and in the header; a kill says where it
/// goes and with which strategy, and its deployment is seen to complete.
@Suite(.serialized)
struct AppConfigDashboardTests {
    static let document = """
        {"checkout.new_flow": {"default": true}, "search.beta": {"default": false}}
        """

    /// One account with `checkout`/`prod` deployed, bound to `payments/prod` in a fresh
    /// database whose poll floor is 1 s.
    struct Bound {
        let seed: AppConfigCLISeed
        let store: SQLiteStore
        let sources: SourceDrivers
        let env = "payments/prod"

        init() throws {
            let emulator = try Ministack.shared()
            let cli = AWSCLI(endpoint: emulator.endpoint, accessKeyId: Ministack.freshAccount(), secretAccessKey: "test")
            seed = try AppConfigCLISeed(cli: cli, application: "checkout", environment: "prod", document: AppConfigDashboardTests.document)
            let dir = RepoRoot.temporaryDirectory("flagdeck-tui-appconfig")
            var vars = try seed.profileFiles("tui", in: dir)
            vars["HOME"] = dir
            sources = SourceDrivers(clients: AWSClientPool(environment: AWSEnvironment(variables: vars, homeDirectory: dir)) {
                $0.retry = .none
            })
            store = try SQLiteStore(path: dir + "/flags.sqlite", create: true)
            let ops = Operations(store: store, actor: Fixture.actor, sources: sources)
            try ops.initialize()
            _ = try ops.addSource(env: env, uri: "appconfig://tui@us-east-1/checkout/prod/flags", reason: "bind")
            try ops.setSetting(AppConfigPollSettings.floorKey, to: "1", reason: "tests poll every second")
        }

        func app() throws -> DashboardApp {
            var app = try DashboardApp(store: store, actor: Fixture.actor, syncSources: true, sources: sources)
            app.resize(rows: 30, cols: 160)
            return app
        }
    }

    /// Polls the dashboard (as its event loop does, no key pressed) until the screen
    /// satisfies `condition`; the last screen when the deadline passed.
    static func waitFor(_ app: inout DashboardApp, _ seconds: TimeInterval = 10,
                        _ condition: (MemorySurface) -> Bool) -> (ok: Bool, screen: String) {
        var last = app.screen(cols: 160)
        let ok = Deadline.until(seconds, every: 0.05) {
            app.poll()
            last = app.screen(cols: 160)
            return condition(last)
        }
        return (ok, last.text)
    }

    static func cell(_ s: MemorySurface, flag: String) -> String {
        (0..<s.rows).map(s.row).first { $0.contains(flag) } ?? ""
    }

    @Test func aDeploymentMadeWithTheAwsCLIAppearsWithoutAKeypressAtThePollFloor() throws {
        let b = try Bound()
        var app = try b.app()
        defer { app.stop() }
        app.select(flag: "checkout.new_flow", env: b.env)
        let first = Self.waitFor(&app) { $0.text.contains("prod⇄ok") && Self.cell($0, flag: "checkout.new_flow").contains("ON") }
        #expect(first.ok, "the first poll shows the seed's deployment complete:\n\(first.screen)")
        #expect(first.screen.contains("deployment #1 of v1: complete"), "\(first.screen)")

        // The other writer: a new hosted version, deployed at once, with the aws CLI.
        let v2 = try b.seed.upload(#"{"checkout.new_flow": {"default": false}, "search.beta": {"default": false}}"#)
        try b.seed.deploy(v2)
        let deployed = Date()
        let seen = Self.waitFor(&app) { Self.cell($0, flag: "checkout.new_flow").contains("OFF") }
        let took = Date().timeIntervalSince(deployed)
        #expect(seen.ok, "the CLI's deployment reaches the grid with no key pressed:\n\(seen.screen)")
        // AppConfigData asks for 30 s; the floor of 1 s is what the dashboard keeps to
        // (one interval, plus a poll's calls on a loaded machine).
        #expect(took < 5, "seen after \(took) s")
        let header = Self.waitFor(&app) { $0.text.contains("deployment #2 of v2: complete") }
        #expect(header.ok, "\(header.screen)")
        let events = try b.store.read { try $0.events(AuditQuery(action: AuditAction.sync)) }
        #expect(events.contains { $0.flag == "checkout.new_flow" }, "the change was recorded as a sync")
    }

    @Test func aDeploymentInProgressShowsAndAKillStopsItAndCompletes() throws {
        let b = try Bound()
        var app = try b.app()
        defer { app.stop() }
        app.select(flag: "search.beta", env: b.env)
        #expect(Self.waitFor(&app) { $0.text.contains("prod⇄ok") }.ok)

        // Someone starts a deployment that bakes for ten minutes.
        let slow = try b.seed.strategy(name: "slow-bake", durationMinutes: 0, bakeMinutes: 10)
        let v2 = try b.seed.upload(#"{"checkout.new_flow": {"default": true}, "search.beta": {"default": true}}"#)
        let baking = try b.seed.deploy(v2, strategy: slow, wait: false)
        let shown = Self.waitFor(&app) { $0.text.contains("deployment #\(baking) of v2: baking") }
        #expect(shown.ok, "the deployment in progress is on the header:\n\(shown.screen)")
        #expect(shown.screen.contains("prod⇄bk"), "and on the column heading:\n\(shown.screen)")

        // The kill dialog names where the kill goes and with which strategy.
        app.select(flag: "checkout.new_flow", env: b.env)
        app.press(.char("K"))
        let dialog = app.screen(cols: 160).text
        #expect(dialog.contains("goes to the source: deploys to checkout/prod (flags)"), "\(dialog)")
        #expect(dialog.contains("deploys with: flagdeck-immediate, stopping any deployment in progress"), "\(dialog)")
        app.type("incident 42")
        app.press(.enter)

        let done = Self.waitFor(&app) { $0.text.contains("deployment #3 of v3: complete") }
        #expect(done.ok, "the kill's deployment is seen to complete:\n\(done.screen)")
        #expect(done.screen.contains("prod⇄ok"), "\(done.screen)")
        #expect(try b.seed.state(baking) == "ROLLED_BACK", "the baking deployment was stopped")
        #expect(try b.store.read { try $0.state(flag: "checkout.new_flow", env: EnvironmentID(parsing: b.env)) }?.killed == true)
    }

    @Test func aGradualDeploymentShowsItsPercentageAndItsRollback() throws {
        let b = try Bound()
        var app = try b.app()
        defer { app.stop() }
        #expect(Self.waitFor(&app) { $0.text.contains("prod⇄ok") }.ok)
        // Someone starts a deployment that reaches 20 % more targets every 2 minutes.
        let linear = try b.seed.strategy(name: "linear-20", durationMinutes: 10, bakeMinutes: 0, growth: 20)
        let v2 = try b.seed.upload(#"{"checkout.new_flow": {"default": false}, "search.beta": {"default": false}}"#)
        let n = try b.seed.deploy(v2, strategy: linear, wait: false)
        let shown = Self.waitFor(&app) { $0.text.contains("deployment #\(n) of v2: deploying ") }
        #expect(shown.ok, "the deployment and its percentage are on the header:\n\(shown.screen)")
        #expect(shown.screen.range(of: #"prod⇄\d+%"#, options: .regularExpression) != nil, "and on the heading:\n\(shown.screen)")

        // They stop it with the aws CLI: AppConfig rolls it back, and the grid says so.
        try b.seed.cli.json(["appconfig", "stop-deployment", "--application-id", b.seed.applicationId,
                             "--environment-id", b.seed.environmentId, "--deployment-number", String(n), "--allow-revert"])
        let back = Self.waitFor(&app) { $0.text.contains("prod⇄rb") && $0.text.contains("deployment #\(n) of v2: rolled back") }
        #expect(back.ok, "the rollback is on the heading and the header:\n\(back.screen)")
    }

    @Test func eachPhaseHasItsHeadingAndHeaderWords() {
        let env = EnvironmentID(account: "payments", name: "prod")
        func d(_ p: AppConfigDeploymentStatus.Phase) -> BindingDeployment {
            BindingDeployment(env: env, deployment: AppConfigDeploymentStatus(deploymentNumber: 7, configurationVersion: 15, phase: p,
                                                                              strategy: "linear"), status: nil)
        }
        #expect(DeploymentBadge.short(d(.deploying(percent: 40))) == "40%")
        #expect(DeploymentBadge.long(d(.deploying(percent: 40))) == "deployment #7 of v15: deploying 40 % with linear")
        #expect(DeploymentBadge.short(d(.complete)) == "ok")
        #expect(DeploymentBadge.short(d(.rolledBack(by: "CLOUDWATCH_ALARM"))) == "rb")
        #expect(DeploymentBadge.long(d(.rolledBack(by: "CLOUDWATCH_ALARM"))).contains("rolled back by alarm"))
        #expect(DeploymentBadge.short(d(.failed("AppConfig internal error"))) == "ERR")
        #expect(DeploymentBadge.role(d(.failed("x"))) == .danger && DeploymentBadge.role(d(.deploying(percent: 1))) == .partial)
        #expect(DeploymentBadge.role(d(.complete)) == nil)
        // Several bindings in one environment: the failure speaks for it.
        let board = DeploymentBoard()
        board.post(d(.complete), binding: 1)
        board.post(d(.rolledBack(by: nil)), binding: 2)
        #expect(board.snapshot[env]?.deployment?.phase == .rolledBack(by: nil))
    }

    @Test func thePollIntervalIsAppConfigsOrTheFloorWhicheverIsSooner() throws {
        #expect(AppConfigPollSettings().interval(suggested: 30) == 30)
        #expect(AppConfigPollSettings(floorSeconds: 1).interval(suggested: 30) == 1)
        #expect(AppConfigPollSettings(floorSeconds: 45).interval(suggested: 30) == 30)
        #expect(AppConfigPollSettings().interval(suggested: nil) == TimeInterval(AppConfigPollSettings.defaultIntervalSeconds))
        #expect(throws: FlagDeckError.self) { try AppConfigPollSettings.normalize(key: AppConfigPollSettings.floorKey, value: "0") }
        #expect(try AppConfigPollSettings.load([AppConfigPollSettings.floorKey: "5"]).floorSeconds == 5)
        // The schedule: due at once, then not before the interval; one poll at a time.
        let s = AppConfigPollSchedule()
        let b = SourceBinding(id: 9, env: EnvironmentID(account: "a", name: "b"), uri: "appconfig://p@r/a/e/f", format: "powertools",
                              createdAt: Date(), createdBy: "t")
        let t0 = Date()
        #expect(s.take([b], now: t0).count == 1)
        #expect(s.take([b], now: t0.addingTimeInterval(5)).isEmpty, "in flight")
        s.finished(9, at: t0, interval: 1)
        #expect(s.take([b], now: t0.addingTimeInterval(0.5)).isEmpty)
        #expect(s.take([b], now: t0.addingTimeInterval(1)).count == 1)
    }
}
