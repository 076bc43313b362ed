import ArgumentParser
import FlagDeckCore
import FlagDeckDemo
import Foundation

/// A hidden torture driver for the concurrency and crash-safety tests: random mutations
/// through the same `Operations` the CLI uses, one line per outcome on stdout, flushed
/// after the commit returns, so a test killing this process knows exactly what was
/// reported committed.
///
/// Outcomes: `ok SEQ ACTION FLAG ENV`, `unchanged` (already as asked), and the clean
/// failures `conflict`, `busy` and `refused` (policy or validation). Anything else — a
/// storage error, a broken invariant — is `error`, which the tests treat as a failure.
struct RandomWrites: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug-random-writes", abstract: "Testing aid: random audited mutations.", shouldDisplay: false)

    @OptionGroup var db: DatabaseOptions
    @Option var seed: UInt64 = 1
    @Option var count: Int = 100

    func run() throws {
        try CLI.run {
            let store = try db.open()
            let ops = try CLI.operations(store)
            var rng = SplitMix64(seed: seed)
            let (flags, envs) = try store.read { r in (try r.flags().map(\.key), try r.environments().map(\.id.path)) }
            guard !flags.isEmpty, !envs.isEmpty else { throw FlagDeckError.invalidArgument("no flags or environments to mutate") }
            for _ in 0..<count {
                let flag = flags[Int(rng.next() % UInt64(flags.count))]
                let env = envs[Int(rng.next() % UInt64(envs.count))]
                let read = try store.read { try $0.state(flag: flag, env: try EnvironmentID(parsing: env)) }
                let v = read?.version
                let reason = "random \(rng.next() % 1000)"
                do {
                    let r: MutationResult
                    switch rng.next() % 5 {
                    case 0: r = try ops.kill(flag: flag, env: env, reason: reason, expectedVersion: v)
                    case 1: r = try ops.unkill(flag: flag, env: env, reason: reason, expectedVersion: v)
                    case 2: r = try ops.setEnabled(!(read?.enabled ?? false), flag: flag, env: env, reason: reason, expectedVersion: v)
                    default:
                        r = try ops.setRollout(flag: flag, env: env, basisPoints: Int(rng.next() % 10_001), reason: reason, expectedVersion: v)
                    }
                    if let e = r.events.first {
                        CLI.out("ok \(e.seq) \(e.action) \(flag) \(env)")
                    } else {
                        CLI.out("unchanged \(flag) \(env): \(r.unchangedReason ?? "")")
                    }
                } catch let e as FlagDeckError {
                    CLI.out("\(Self.outcome(e)) \(flag) \(env): \(e.description)")
                } catch {
                    CLI.out("error \(flag) \(env): \(error)")
                }
            }
        }
    }

    /// Which failures are clean: someone else got there first, the file was busy, or the
    /// change was refused by policy or validation. Everything else is a defect.
    static func outcome(_ e: FlagDeckError) -> String {
        switch e {
        case .conflict: "conflict"
        case .databaseBusy: "busy"
        case .denied, .policyUnreadable, .reasonRequired, .flagIsKilled, .invalidPercent, .invalidFlagKey,
             .invalidEnvironmentName, .unknownFlag, .unknownEnvironment, .ambiguousEnvironment:
            "refused"
        default: "error"
        }
    }
}
