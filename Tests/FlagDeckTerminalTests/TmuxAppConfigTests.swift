import FlagDeckTestSupport
import Foundation
import Testing

/// The real binary under tmux over a real AppConfig (the emulator): nobody touching the
/// keyboard, a deployment made with the aws CLI reaches the grid at the poll floor; a kill
/// from the dialog says where it goes and with which strategy, stops the deployment in
/// progress, and the header shows the kill's own deployment going to complete.
@Suite(.enabled(if: TmuxSession.available, "tmux is not installed"), .serialized)
struct TmuxAppConfigTests {
    /// `checkout`/`prod` in a fresh account, deployed, and bound through the CLI to
    /// `payments/prod` of a fresh database whose AppConfig poll floor is 1 s.
    struct Bound {
        let seed: AppConfigCLISeed
        let dir: String
        let db: String
        let env: [String: String]

        init() throws {
            let emulator = try Ministack.shared()
            let cli = AWSCLI(endpoint: emulator.endpoint, accessKeyId: Ministack.freshAccount(), secretAccessKey: "test")
            seed = try AppConfigCLISeed(cli: cli, application: "checkout", environment: "prod", document: """
                {"checkout.new_flow": {"default": true}, "search.beta": {"default": false}}
                """)
            dir = RepoRoot.temporaryDirectory("flagdeck-terminal-appconfig")
            db = dir + "/flags.sqlite"
            env = try seed.profileFiles("term", in: dir)
            try ok(["init"])
            try ok(["source", "add", "payments/prod", "appconfig://term@us-east-1/checkout/prod/flags", "--reason", "bind"])
            try ok(["settings", "set", "appconfig.poll_floor_seconds", "1", "--reason", "watch deployments closely"])
        }

        static let removed = ["FLAGDECK_DB", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                              "AWS_REGION", "AWS_DEFAULT_REGION"]

        @discardableResult
        func ok(_ args: [String]) throws -> ProcessResult {
            let r = try ProcessRunner.run(Flagdeck.binary, args + ["--db", db], env: env, removing: Self.removed)
            guard r.status == 0 else {
                throw TerminalTestError("`flagdeck \(args.joined(separator: " "))` exited \(r.status): \(r.stderr)")
            }
            return r
        }

        /// The dashboard with the same AWS files and emulator the CLI used.
        func dashboard() throws -> DashboardDriver {
            let unset = Self.removed.map { "-u \($0)" }.joined(separator: " ")
            let set = env.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: " ")
            return try DashboardDriver(db: db, dir: dir, prefix: "env \(unset) \(set)")
        }
    }

    @Test func aDeploymentMadeWithTheAwsCLIAppearsOnTheGrid() throws {
        let f = try Bound()
        let d = try f.dashboard()
        defer { d.close() }
        try d.waitForGrid()
        try d.expectCell(flag: "checkout.new_flow", env: "payments/prod", shows: "ON")
        try d.expect(text: "deployment #1 of v1: complete")

        let v2 = try f.seed.upload(#"{"checkout.new_flow": {"default": false}, "search.beta": {"default": false}}"#)
        try f.seed.deploy(v2)
        let deployed = Date()
        try d.expectCell(flag: "checkout.new_flow", env: "payments/prod", shows: "OFF", timeout: 5)
        // AppConfigData asks for 30 s between polls; the 1 s floor is what the dashboard keeps to.
        #expect(Date().timeIntervalSince(deployed) < 5)
        let s = try d.expect(text: "deployment #2 of v2: complete")
        #expect(s.contains("prod⇄ok"), "the column heading shows the deployment complete:\n\(s)")
        try d.quit()
    }

    @Test func aKillInTheDashboardShowsItsDeploymentGoingToComplete() throws {
        let f = try Bound()
        let d = try f.dashboard()
        defer { d.close() }
        try d.waitForGrid()
        try d.expect(text: "prod⇄ok")

        // Someone else's deployment, baking for ten minutes, is under way.
        let slow = try f.seed.strategy(name: "slow-bake", durationMinutes: 0, bakeMinutes: 10)
        let v2 = try f.seed.upload(#"{"checkout.new_flow": {"default": true}, "search.beta": {"default": true}}"#)
        let baking = try f.seed.deploy(v2, strategy: slow, wait: false)
        let shown = try d.expect(text: "deployment #\(baking) of v2: baking")
        #expect(shown.contains("prod⇄bk"), "\(shown)")

        let dialog = try d.openKillDialog("checkout.new_flow", env: "payments/prod")
        #expect(dialog.contains("deploys to checkout/prod (flags)"), "the dialog names where the kill goes:\n\(dialog)")
        #expect(dialog.contains("deploys with: flagdeck-immediate, stopping any deployment in progress"),
                "and with which strategy:\n\(dialog)")
        let status = try d.confirm(reason: "errors after the deploy", flag: "checkout.new_flow")
        #expect(status.contains("killed checkout.new_flow"), "\(status)")
        try d.expectCell(flag: "checkout.new_flow", env: "payments/prod", shows: "✖KILL")
        let done = try d.expect(text: "deployment #3 of v3: complete")
        #expect(done.contains("prod⇄ok"), "\(done)")
        #expect(try f.seed.state(baking) == "ROLLED_BACK", "the kill stopped the baking deployment")
        try d.quit()
    }
}
