import Foundation
import Testing

/// Four processes mutate one database at once through the real binary. Nothing may be
/// lost, every reported success must have its event, failures must be clean, and
/// replaying the log must give the final state.
@Suite("CLI concurrency")
struct ConcurrencyTests {
    @Test func fourWritersTwoHundredMutationsEach() throws {
        let fx = try CLIFixture()
        let setupEvents = try fx.history().count
        let writers = (1...4).map { n -> (Process, Pipe, Pipe) in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLIRunner.binary)
            p.arguments = ["debug-random-writes", "--db", fx.db, "--seed", String(n * 7919), "--count", "200"]
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            return (p, out, err)
        }
        for (p, _, _) in writers { try p.run() }
        var lines: [String] = []
        for (p, out, err) in writers {
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationReason == .exit && p.terminationStatus == 0, "writer failed: \(errText)")
            lines += text.split(separator: "\n").map(String.init)
        }
        #expect(lines.count == 800)
        let oks = lines.filter { $0.hasPrefix("ok ") }
        // Only conflicts, busy files, policy/validation refusals and no-ops are clean; a
        // storage error or a broken invariant (`error …`) fails the test.
        let clean = lines.filter {
            $0.hasPrefix("conflict ") || $0.hasPrefix("busy ") || $0.hasPrefix("refused ") || $0.hasPrefix("unchanged ")
        }
        #expect(!lines.contains { $0.hasPrefix("error ") }, "unclean failures: \(lines.filter { $0.hasPrefix("error ") })")
        #expect(oks.count + clean.count == 800, "unexpected outcomes: \(lines.filter { !$0.hasPrefix("ok ") && !clean.contains($0) })")
        #expect(oks.count > 100)

        let events = try fx.history()
        #expect(events.count == setupEvents + oks.count, "lost or phantom events")
        let bySeq = Dictionary(uniqueKeysWithValues: events.map { ($0["seq"] as! Int, $0) })
        for line in oks {
            let parts = line.split(separator: " ").map(String.init)
            let e = try #require(bySeq[Int(parts[1])!], "no event for \(line)")
            #expect(e["action"] as? String == parts[2] && e["flag"] as? String == parts[3] && e["env"] as? String == parts[4])
        }

        // Replay: the last event per cell must describe the cell's final state exactly.
        var lastAfter: [String: [String: Any]] = [:]
        for e in events.reversed() {
            guard let flag = e["flag"] as? String, let env = e["env"] as? String, let after = e["after"] as? [String: Any],
                  after["killed"] != nil else { continue }
            lastAfter["\(flag) \(env)"] = after
        }
        let list = try CLIRunner.json(try fx.ok(["list", "--json"]).stdout) as! [String: Any]
        for flag in list["flags"] as! [[String: Any]] {
            for (env, cell) in flag["states"] as! [String: [String: Any]] {
                guard let after = lastAfter["\(flag["key"]!) \(env)"] else { continue }
                #expect(after["killed"] as? Bool == cell["killed"] as? Bool)
                #expect(after["enabled"] as? Bool == cell["enabled"] as? Bool)
                #expect((after["rollout"] as? NSNumber)?.doubleValue == (cell["rollout"] as? NSNumber)?.doubleValue)
                #expect((after["version"] as? NSNumber)?.intValue == (cell["version"] as? NSNumber)?.intValue)
            }
        }
        #expect(try fx.run(["audit", "verify"]).status == 0)
    }
}
