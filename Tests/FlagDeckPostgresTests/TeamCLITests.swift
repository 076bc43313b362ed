import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckPostgres

/// The real binary against a team database: many operators at once, clients killed
/// mid-write, and the operator recorded and policed being the server's role.
@Suite("Team mode through the CLI")
struct TeamCLITests {
    static func flagdeck(_ args: [String], env: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(MigrateCLITests.binary, args, env: env, removing: ["FLAGDECK_DB", "PGPASSWORD"])
    }

    /// A team database with 4 environments and 10 flags, made through the CLI by the owner.
    static func inventory() throws -> TeamDatabase {
        let team = try TeamDatabase()
        #expect(try flagdeck(["init", "--db", team.ownerURL]).status == 0)
        for e in ["a/prod", "a/dev", "b/prod", "b/dev"] {
            let r = try flagdeck(["env", "add", e, "--db", team.ownerURL])
            #expect(r.status == 0, "\(r.stderr)")
        }
        for i in 0..<10 {
            let r = try flagdeck(["flag", "add", "flag.\(i)", "--db", team.ownerURL])
            #expect(r.status == 0, "\(r.stderr)")
        }
        return team
    }

    static func events(_ team: TeamDatabase) throws -> [AuditEvent] { try PostgresStore(url: team.ownerURL).allEvents() }

    static func start(_ args: [String]) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: MigrateCLITests.binary)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "FLAGDECK_DB")
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    @Test func eightWritersTwoHundredMutationsEachLoseNothing() throws {
        let team = try Self.inventory()
        let setup = try Self.events(team).count
        let writers = try (0..<8).map { n in
            try Self.start(["debug-random-writes", "--db", team.url(team.operators[n % 2]), "--seed", String((n + 1) * 7919), "--count", "200"])
        }
        var lines: [String] = []
        for (p, out, err) in writers {
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "writer failed: \(errText)")
            lines += text.split(separator: "\n").map(String.init)
        }
        #expect(lines.count == 1_600)
        let oks = lines.filter { $0.hasPrefix("ok ") }
        let clean = lines.filter { $0.hasPrefix("conflict ") || $0.hasPrefix("busy ") || $0.hasPrefix("refused ") || $0.hasPrefix("unchanged ") }
        #expect(oks.count + clean.count == 1_600, "unexpected: \(lines.filter { !$0.hasPrefix("ok ") && !clean.contains($0) }.prefix(5))")
        #expect(oks.count > 200)

        let events = try Self.events(team)
        #expect(events.count == setup + oks.count, "lost or phantom events")
        let bySeq = Dictionary(uniqueKeysWithValues: events.map { ($0.seq, $0) })
        for line in oks {
            let parts = line.split(separator: " ").map(String.init)
            let e = try #require(bySeq[Int64(parts[1])!], "no event for \(line)")
            #expect(e.action == parts[2] && e.flag == parts[3] && e.env == parts[4])
        }
        #expect(Set(events.suffix(oks.count).map(\.operator)) == Set(team.operators))

        // Replay: the last event per cell describes the cell's final state.
        var lastAfter: [String: String] = [:]
        for e in events { if let f = e.flag, let env = e.env, let after = e.after { lastAfter["\(f) \(env)"] = after } }
        let states = try PostgresStore(url: team.ownerURL).read { try $0.states() }
        for s in states {
            guard let after = lastAfter["\(s.flagKey) \(s.env.path)"] else { continue }
            #expect(after == StateJSON.encode(s), "\(s.flagKey) in \(s.env)")
        }
        let verify = try Self.flagdeck(["audit", "verify", "--db", team.url(team.operators[0])])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }

    @Test func fiftyClientsKilledMidWriteLoseNoReportedCommit() throws {
        let team = try Self.inventory()
        var reported: [String] = []
        for round in 0..<50 {
            let (p, out, _) = try Self.start(["debug-random-writes", "--db", team.url(team.operators[round % 2]),
                                              "--seed", String(round + 1), "--count", "400"])
            // Wait for the first reported commit, then kill at a varying moment after it.
            let handle = out.fileHandleForReading
            var text = ""
            while !text.contains("\n"), p.isRunning || !text.isEmpty {
                let d = handle.availableData
                if d.isEmpty { break }
                text += String(decoding: d, as: UTF8.self)
            }
            usleep(useconds_t(1_000 * (round % 7) * 3))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            text += String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
            // Only complete lines were reported.
            let complete = text.hasSuffix("\n") ? text : String(text[..<(text.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex)])
            reported += complete.split(separator: "\n").map(String.init).filter { $0.hasPrefix("ok ") }
        }
        let events = try Self.events(team)
        let bySeq = Dictionary(uniqueKeysWithValues: events.map { ($0.seq, $0) })
        #expect(!reported.isEmpty)
        for line in reported {
            let parts = line.split(separator: " ").map(String.init)
            let e = bySeq[Int64(parts[1])!]
            #expect(e?.action == parts[2] && e?.flag == parts[3] && e?.env == parts[4], "reported \(line) but the log has \(String(describing: e))")
        }
        #expect(try PostgresStore(url: team.ownerURL).verify().ok)
    }

    @Test func twoRolesFromTheSameOSAccountAreEachRecordedAndPoliced() throws {
        let team = try Self.inventory()
        let (alice, bob) = (team.operators[0], team.operators[1])
        // The owner is the first admin (role:owner); it lets alice change a/* only.
        let set = try Self.flagdeck(["policy", "set", "--admin", "role:\(team.owner)", "--allow", "role:\(alice)=a/*",
                                     "--reason", "alice owns a", "--db", team.ownerURL])
        #expect(set.status == 0, "\(set.stderr)")
        let ok = try Self.flagdeck(["enable", "flag.1", "--env", "a/dev", "--db", team.url(alice)])
        #expect(ok.status == 0, "\(ok.stderr)")
        let denied = try Self.flagdeck(["enable", "flag.1", "--env", "a/prod", "--reason", "x", "--db", team.url(bob)])
        #expect(denied.status == 1 && denied.stderr.contains("\(bob) may not"), "\(denied.stderr)")
        let events = try Self.events(team)
        let os = Actor.osAccountName()
        #expect(events.suffix(2).map(\.operator) == [alice, bob])
        #expect(events.suffix(2).map(\.action) == ["enable", AuditAction.denied])
        #expect(events.suffix(2).allSatisfy { $0.host.hasPrefix("\(os)@") })
    }
}
