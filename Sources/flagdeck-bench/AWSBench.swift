import FlagDeckAWS
import FlagDeckCore
import Foundation

/// AppConfig against the local emulator, side by side with what an operator would use
/// otherwise, all in one run:
///
/// - `aws_sync_ms`: reading the served documents of 3 accounts × 8 environments through
///   the driver, concurrently as the dashboard does (each driver keeps its AppConfigData
///   session; the median of warm cycles), and `aws_sync_cold_ms` for the first cycle
///   (names resolved, sessions started). Baselines: the aws CLI in a sequential shell loop
///   (`start-configuration-session` + `get-latest-configuration` per environment) and a
///   boto3 script doing the same reads sequentially with a warm client per account.
/// - `aws_kill_to_served_ms`: from the kill (read the latest hosted version, write the
///   killed document, deploy at once) until an application's `GetLatestConfiguration`
///   returns it, against the aws CLI doing the same (`create-hosted-configuration-version`,
///   `start-deployment` with an immediate strategy, poll `get-latest-configuration`). In
///   both, the application's session exists before the clock starts.
///
/// The emulator is ministack, started like the tests start it (loopback, own virtualenv).
/// When it cannot start, the suite fails and the bench exits non-zero, unless `--no-aws`.
enum AWSBench {
    /// `--no-aws` sets this: skip the suite instead of failing when no emulator can run.
    nonisolated(unsafe) static var enabled = true

    /// The peers (the aws CLI loop and the boto3 script) and the ratios over them; left
    /// out, loudly, only with `--no-peers`.
    static let peerMetrics = ["aws_sync_cli_ms", "aws_sync_boto3_ms", "aws_sync_cli_vs_driver", "aws_sync_driver_vs_boto3",
                              "aws_kill_to_served_cli_ms", "aws_kill_vs_cli", "aws_op_kill_vs_cli"]

    /// Computed when the run starts, after the arguments are read: with `--no-aws` the
    /// suite promises nothing (and says it skipped).
    static var suite: BenchSuite {
        BenchSuite(
            name: "aws",
            metrics: enabled ? ["aws_sync_ms", "aws_sync_cold_ms", "aws_sync_cli_ms", "aws_sync_boto3_ms", "aws_sync_cli_vs_driver",
                                "aws_sync_driver_vs_boto3", "aws_kill_to_served_ms", "aws_kill_to_served_cli_ms", "aws_kill_vs_cli",
                                "aws_op_kill_to_served_ms", "aws_op_kill_vs_cli", "aws_op_sync_ms"] : [],
            run: {
                guard enabled else {
                    FileHandle.standardError.write(Data("aws: skipped (--no-aws)\n".utf8))
                    return []
                }
                return try run()
            },
            peers: peerMetrics,
            how: "ministack on loopback, \(accountCount) accounts x \(envCount) envs; sync: median of 7 warm concurrent cycles;"
                + " kill until GetLatestConfiguration serves it: driver median of 5 writes, Operations median of 3 kills, aws CLI median of 2 (kill, restore)")
    }

    static let accountCount = 3, envCount = 8

    static func run() throws -> [(String, Double)] {
        let emulator: BenchEmulator
        do { emulator = try BenchEmulator.start() } catch {
            throw BenchError("the AWS emulator (ministack) could not be started: \(error); run with --no-aws to skip the AWS benchmarks")
        }
        defer { emulator.stop() }
        let consumers = try BenchVenv(name: "consumers").ensure()
        let world = try World(emulator: emulator)

        let sync = try measureSync(world)
        let kill = try measureKill(world)
        let operations = try measureOperations(world)
        var out: [(String, Double)] = [("aws_sync_ms", sync.warm), ("aws_sync_cold_ms", sync.cold), ("aws_kill_to_served_ms", kill),
                                       ("aws_op_kill_to_served_ms", operations.kill), ("aws_op_sync_ms", operations.sync)]
        guard !BenchOptions.noPeers else { return out }
        let cli = try cliSyncLoop(world, consumers)
        let boto3 = try boto3Sync(world, consumers)
        let cliKill = try cliKill(world, consumers)
        out += [("aws_sync_cli_ms", cli), ("aws_sync_boto3_ms", boto3),
                ("aws_sync_cli_vs_driver", cli / sync.warm), ("aws_sync_driver_vs_boto3", sync.warm / boto3),
                ("aws_kill_to_served_cli_ms", cliKill), ("aws_kill_vs_cli", kill / cliKill), ("aws_op_kill_vs_cli", operations.kill / cliKill)]
        return out
    }

    // MARK: the world: 3 accounts × 8 environments

    struct Place: Sendable {
        var account: String
        var app: AppConfigApplication
        var env: AppConfigEnvironment
        var profile: AppConfigConfigurationProfile
    }

    struct World {
        let emulator: BenchEmulator
        let pool: AWSClientPool
        let environment: AWSEnvironment
        var places: [Place] = []
        /// The killed place's account strategy for the CLI's kill.
        var strategies: [String: String] = [:]

        init(emulator: BenchEmulator) throws {
            self.emulator = emulator
            let dir = NSTemporaryDirectory() + "flagdeck-bench-aws-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            var config = "", credentials = ""
            let accounts = (0..<AWSBench.accountCount).map { String(format: "%012d", 710_000_000_000 + $0 * 1_111 + Int.random(in: 0..<1000)) }
            for (i, a) in accounts.enumerated() {
                config += "[profile bench-\(i)]\nregion = us-east-1\n\n"
                credentials += "[bench-\(i)]\naws_access_key_id = \(a)\naws_secret_access_key = test\n\n"
            }
            _ = FileManager.default.createFile(atPath: dir + "/config", contents: Data(config.utf8))
            _ = FileManager.default.createFile(atPath: dir + "/credentials", contents: Data(credentials.utf8))
            environment = AWSEnvironment(variables: ["AWS_CONFIG_FILE": dir + "/config", "AWS_SHARED_CREDENTIALS_FILE": dir + "/credentials",
                                                     "AWS_ENDPOINT_URL": emulator.endpoint, "HOME": dir], homeDirectory: dir)
            pool = AWSClientPool(environment: environment)
            for (i, a) in accounts.enumerated() {
                let ac = try pool.client(profile: "bench-\(i)", region: nil).appConfig
                let app = try ac.createApplication(name: "checkout")
                let profile = try ac.createConfigurationProfile(application: app.id, name: "flags")
                let v = try ac.createHostedConfigurationVersion(application: app.id, profile: profile.id,
                                                                content: Data(AWSBench.document(flags: 40).utf8),
                                                                contentType: "application/json")
                let strategy = try ac.createDeploymentStrategy(.immediate(name: "bench-immediate"))
                strategies[a] = strategy.id
                for e in 0..<AWSBench.envCount {
                    let env = try ac.createEnvironment(application: app.id, name: "env\(e)")
                    _ = try ac.startDeployment(AppConfigStartDeploymentRequest(
                        applicationId: app.id, environmentId: env.id, deploymentStrategyId: strategy.id,
                        configurationProfileId: profile.id, configurationVersion: String(v.versionNumber)))
                    places.append(Place(account: a, app: app, env: env, profile: profile))
                }
            }
        }

        func source(_ p: Place) throws -> AppConfigSource {
            let i = places.firstIndex { $0.account == p.account }! / AWSBench.envCount
            return try AppConfigSource(location: .init(profile: "bench-\(i)", region: "us-east-1", application: p.app.name,
                                                       environment: p.env.name, configurationProfile: p.profile.name), clients: pool)
        }
    }

    /// A Powertools document of `flags` flags, some with rules.
    static func document(flags: Int) -> String {
        var parts: [String] = []
        for i in 0..<flags {
            if i % 4 == 0 {
                parts.append(#""bench.flag-\#(i)": {"default": false, "rules": {"beta": {"when_match": true, "conditions": [{"action": "EQUALS", "key": "tier", "value": "beta"}]}}}"#)
            } else {
                parts.append(#""bench.flag-\#(i)": {"default": true}"#)
            }
        }
        return "{\n  " + parts.joined(separator: ",\n  ") + "\n}\n"
    }

    // MARK: aws_sync_ms

    static func measureSync(_ world: World) throws -> (cold: Double, warm: Double) {
        let sources = try world.places.map(world.source)
        func cycle() throws -> Double {
            let failures = BenchFailures()
            let ms = Clock.micros {
                BlockingParallel.forEach(sources.count, width: sources.count) { i in
                    do { _ = try sources[i].readServed() } catch { failures.add("\(error)") }
                }
            } / 1000
            if let f = failures.first { throw BenchError("driver read failed: \(f)") }
            return ms
        }
        let cold = try cycle()
        var warm: [Double] = []
        for _ in 0..<7 { warm.append(try cycle()) }
        return (cold, Percentile.of(warm, 50))
    }

    static func cliSyncLoop(_ world: World, _ venv: BenchVenv) throws -> Double {
        var script = "set -e\nt0=$(date +%s%N)\n"
        for p in world.places {
            script += """
                export AWS_ACCESS_KEY_ID=\(p.account)
                token=$(aws appconfigdata start-configuration-session --application-identifier \(p.app.id) \
                  --environment-identifier \(p.env.id) --configuration-profile-identifier \(p.profile.id) \
                  --query InitialConfigurationToken --output text)
                aws appconfigdata get-latest-configuration --configuration-token "$token" "$dir/doc.json" > /dev/null

                """
        }
        script += "t1=$(date +%s%N)\necho $(( (t1 - t0) / 1000 ))\n"
        return try shell(script, world, venv) / 1000
    }

    static func boto3Sync(_ world: World, _ venv: BenchVenv) throws -> Double {
        let places = world.places.map { "(\"\($0.account)\", \"\($0.app.id)\", \"\($0.env.id)\", \"\($0.profile.id)\")" }
        let script = """
            import boto3, statistics, sys, time
            endpoint = sys.argv[1]
            places = [\(places.joined(separator: ", "))]
            clients = {a: boto3.client("appconfigdata", endpoint_url=endpoint, region_name="us-east-1",
                                       aws_access_key_id=a, aws_secret_access_key="test") for a, _, _, _ in places}
            first = {}
            for a, app, env, prof in places:
                first.setdefault(a, (app, env, prof))
            for a, (app, env, prof) in first.items():  # warm: connection open, as in a long-running script
                clients[a].start_configuration_session(ApplicationIdentifier=app, EnvironmentIdentifier=env,
                                                       ConfigurationProfileIdentifier=prof)
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                for a, app, env, prof in places:
                    c = clients[a]
                    token = c.start_configuration_session(ApplicationIdentifier=app, EnvironmentIdentifier=env,
                                                          ConfigurationProfileIdentifier=prof)["InitialConfigurationToken"]
                    body = c.get_latest_configuration(ConfigurationToken=token)["Configuration"].read()
                    assert body
                times.append((time.perf_counter() - t0) * 1000)
            print(statistics.median(times))
            """
        return try python(script, [world.emulator.endpoint], venv)
    }

    // MARK: aws_kill_to_served_ms

    static func measureKill(_ world: World) throws -> Double {
        let place = world.places[1]
        let source = try world.source(place)
        let client = try world.pool.client(profile: "bench-0", region: nil)
        var samples: [Double] = []
        let original = try source.readLatest().bytes
        let killed = try FlagDocuments.parse(original, format: .powertools, file: "bench").killing("bench.flag-1").bytes
        for i in 0..<6 {
            let target = i % 2 == 0 ? killed : original
            let app = AppConfigDataSession(client: client, application: place.app.id, environment: place.env.id, profile: place.profile.id)
            _ = try app.poll()  // the application's session, before the clock starts
            var ok = false
            let ms = try Clock.micros {
                let latest = try source.readLatest()
                _ = try source.write(SourceWrite(bytes: target, baseVersion: latest.version, intentID: UUID().uuidString.lowercased(),
                                                 description: "flagdeck kill bench.flag-1 by bench: benchmark", urgent: true))
                let end = Date().addingTimeInterval(30)
                while Date() < end {
                    if [UInt8](try app.poll().document) == target { ok = true; break }
                }
            } / 1000
            guard ok else { throw BenchError("the killed document did not reach the application within 30 s") }
            if i > 0 { samples.append(ms) }  // the first one creates flagdeck-immediate
        }
        return Percentile.of(samples, 50)
    }

    /// The whole `flagdeck kill` path, not only the driver: the 24 environments bound to a
    /// SQLite inventory (`Operations.addSource`), then kills and unkills through
    /// `Operations.kill`/`unkill` (journal intent, read latest, CAS write, deploy, audited
    /// commit) timed until the application's `GetLatestConfiguration` returns the killed
    /// document (`aws_op_kill_to_served_ms`, median of kills after the first); and
    /// `Operations.sync` of all 24 bindings with nothing changed (`aws_op_sync_ms`:
    /// sequential, one served read per binding plus bookkeeping). Account bench-1's profile
    /// is used, which the driver and CLI kills above never wrote.
    static func measureOperations(_ world: World) throws -> (kill: Double, sync: Double) {
        let dir = NSTemporaryDirectory() + "flagdeck-bench-aws-ops-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/bench.sqlite", create: true)
        let ops = Operations(store: store, actor: Actor(name: "bench", host: "bench"), sources: SourceDrivers(clients: world.pool))
        try ops.initialize()
        for (n, p) in world.places.enumerated() {
            try ops.addSource(env: "bench-\(n / envCount)/\(p.env.name)",
                              uri: "appconfig://bench-\(n / envCount)@us-east-1/\(p.app.name)/\(p.env.name)/\(p.profile.name)",
                              reason: "bench")
        }
        let place = world.places[envCount + 1]
        let env = "bench-1/\(place.env.name)"
        let client = try world.pool.client(profile: "bench-1", region: nil)
        var samples: [Double] = []
        for i in 0..<7 {
            let killing = i % 2 == 0
            let app = AppConfigDataSession(client: client, application: place.app.id, environment: place.env.id, profile: place.profile.id)
            _ = try app.poll()  // the application's session, before the clock starts
            var ok = false
            let ms = try Clock.micros {
                if killing {
                    _ = try ops.kill(flag: "bench.flag-1", env: env, reason: "benchmark")
                } else {
                    _ = try ops.unkill(flag: "bench.flag-1", env: env, reason: "benchmark")
                }
                let end = Date().addingTimeInterval(30)
                while Date() < end {
                    let served = try app.poll().document
                    if !served.isEmpty, let doc = try? JSONParser.parse([UInt8](served)),
                       doc["bench.flag-1"]?["default"]?.boolValue == !killing { ok = true; break }
                }
            } / 1000
            guard ok else { throw BenchError("the change through Operations did not reach the application within 30 s") }
            if killing && i > 0 { samples.append(ms) }  // the first one creates flagdeck-immediate
        }
        if let failed = try ops.sync().first(where: { $0.error != nil }) {
            throw BenchError("sync of \(failed.binding.uri) failed: \(failed.error!)")
        }
        var syncs: [Double] = []
        for _ in 0..<3 { syncs.append(try Clock.micros { _ = try ops.sync() } / 1000) }
        return (Percentile.of(samples, 50), Percentile.of(syncs, 50))
    }

    static func cliKill(_ world: World, _ venv: BenchVenv) throws -> Double {
        let place = world.places[2]
        let client = try world.pool.client(profile: "bench-0", region: nil)
        let ac = client.appConfig
        let latest = try ac.listHostedConfigurationVersions(application: place.app.id, profile: place.profile.id).map(\.versionNumber).max()!
        let original = [UInt8](try ac.getHostedConfigurationVersion(application: place.app.id, profile: place.profile.id, version: latest).content)
        let killed = try FlagDocuments.parse(original, format: .powertools, file: "bench").killing("bench.flag-1").bytes
        var samples: [Double] = []
        for i in 0..<2 {
            let doc = i % 2 == 0 ? killed : original
            let dir = NSTemporaryDirectory() + "flagdeck-bench-cli-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data(doc).write(to: URL(fileURLWithPath: dir + "/want.json"))
            let script = """
                set -e
                export AWS_ACCESS_KEY_ID=\(place.account)
                token=$(aws appconfigdata start-configuration-session --application-identifier \(place.app.id) \
                  --environment-identifier \(place.env.id) --configuration-profile-identifier \(place.profile.id) \
                  --query InitialConfigurationToken --output text)
                t0=$(date +%s%N)
                v=$(aws appconfig create-hosted-configuration-version --application-id \(place.app.id) \
                  --configuration-profile-id \(place.profile.id) --content-type application/json \
                  --content fileb://\(dir)/want.json --query VersionNumber --output text "$dir/created.json")
                aws appconfig start-deployment --application-id \(place.app.id) --environment-id \(place.env.id) \
                  --deployment-strategy-id \(world.strategies[place.account]!) --configuration-profile-id \(place.profile.id) \
                  --configuration-version "$v" > /dev/null
                while true; do
                  token=$(aws appconfigdata get-latest-configuration --configuration-token "$token" "$dir/got.json" \
                    --query NextPollConfigurationToken --output text)
                  if cmp -s "$dir/got.json" \(dir)/want.json; then break; fi
                done
                t1=$(date +%s%N)
                echo $(( (t1 - t0) / 1000 ))
                """
            samples.append(try shell(script, world, venv) / 1000)
        }
        return Percentile.of(samples, 50)
    }

    // MARK: running the baselines

    static func shell(_ script: String, _ world: World, _ venv: BenchVenv) throws -> Double {
        let dir = NSTemporaryDirectory() + "flagdeck-bench-sh-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["PATH": venv.directory + "/bin:/usr/bin:/bin", "AWS_ENDPOINT_URL": world.emulator.endpoint,
                   "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": "",
                   "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "dir": dir]
        let out = try BenchProcess.run("/bin/bash", ["-c", script], env: env)
        guard let us = Double(out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "") else {
            throw BenchError("the aws CLI baseline printed no time: \(out.suffix(500))")
        }
        return us
    }

    static func python(_ script: String, _ args: [String], _ venv: BenchVenv) throws -> Double {
        let out = try BenchProcess.run(venv.python, ["-c", script] + args,
                                       env: ["AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"])
        guard let ms = Double(out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "") else {
            throw BenchError("the boto3 baseline printed no time: \(out.suffix(500))")
        }
        return ms
    }
}

/// Errors from reader threads.
final class BenchFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var first: String? { lock.lock(); defer { lock.unlock() }; return items.first }
}

// MARK: the emulator and the virtualenvs, as the tests provision them

/// The repository root (where `Package.swift` is).
enum BenchRepo {
    static var root: String { BenchPython.root }
}
