import Foundation
import Testing

/// A writer makes random mutations while the test SIGKILLs it at random moments. After
/// every kill the file must be intact, the chain must verify, and every mutation the
/// writer reported as committed must be in the log.
@Suite("Crash safety")
struct CrashSafetyTests {
    @Test func hundredSigkillsLoseNothing() throws {
        let fx = try CLIFixture()
        var rng = SystemRandomNumberGenerator()
        var reported: [(Int, String)] = []
        for round in 0..<100 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLIRunner.binary)
            p.arguments = ["debug-random-writes", "--db", fx.db, "--seed", String(round + 1), "--count", "100000"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Let it get going, then kill it mid-stream: wait for a random number of
            // reported commits (polling the pipe), so the kill lands during writes.
            let target = Int.random(in: 1...12, using: &rng)
            var buffer = Data()
            let reader = out.fileHandleForReading
            while buffer.split(separator: UInt8(ascii: "\n")).count < target {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            buffer.append(reader.readDataToEndOfFile())
            #expect(p.terminationReason == .uncaughtSignal)
            let text = String(decoding: buffer, as: UTF8.self)
            // Only complete lines count: a line cut mid-write was never fully reported.
            let complete = text.hasSuffix("\n") ? text : String(text[..<(text.lastIndex(of: "\n") ?? text.startIndex)])
            for line in complete.split(separator: "\n") where line.hasPrefix("ok ") {
                let parts = line.split(separator: " ")
                reported.append((Int(parts[1])!, String(parts[2])))
            }
            try Self.check(fx, reported: reported, round: round)
        }
        #expect(reported.count >= 100)
    }

    /// The three checks, run after every single kill.
    static func check(_ fx: CLIFixture, reported: [(Int, String)], round: Int) throws {
        let integrity = Process()
        integrity.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        integrity.arguments = [fx.db, "PRAGMA integrity_check;"]
        let ip = Pipe()
        integrity.standardOutput = ip
        try integrity.run()
        integrity.waitUntilExit()
        #expect(String(decoding: ip.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "ok\n", "round \(round)")
        #expect(try fx.run(["audit", "verify"]).status == 0, "chain broken after kill \(round)")
        let events = Dictionary(uniqueKeysWithValues: try fx.history().map { ($0["seq"] as! Int, $0["action"] as! String) })
        for (seq, action) in reported {
            #expect(events[seq] == action, "committed seq \(seq) (\(action)) missing after kill \(round)")
        }
    }
}
