import Foundation
import Testing

/// Scripts converge a state by re-running the same change. A change already in place
/// exits 0, says "already …; nothing written", writes no event and leaves the file as
/// it was; with `--json` it reports `"changed": false`. Real refusals stay non-zero.
@Suite("CLI idempotent changes")
struct IdempotencyTests {
    static let cases: [(String, [String], [String], String)] = [
        ("rollout to the same percent", ["rollout", "beta.api", "--env", "sandbox/dev", "--percent", "100"], [],
         "already at 100%; nothing written"),
        ("enable an enabled cell", ["enable", "beta.api", "--env", "sandbox/dev"],
         ["enable", "beta.api", "--env", "sandbox/dev"], "already enabled; nothing written"),
        ("kill a killed cell", ["kill", "beta.api", "--env", "sandbox/dev", "--reason", "x", "--yes"],
         ["kill", "beta.api", "--env", "sandbox/dev", "--reason", "x", "--yes"], "already killed; nothing written"),
        ("unkill a live cell", ["unkill", "beta.api", "--env", "sandbox/dev", "--reason", "x", "--yes"], [],
         "already not killed; nothing written"),
        ("kill everywhere twice", ["kill", "beta.api", "--all-envs", "--reason", "x", "--yes"],
         ["kill", "beta.api", "--all-envs", "--reason", "x", "--yes"], "already killed in every environment; nothing written"),
    ]

    @Test(arguments: cases.map(\.0))
    func alreadyInPlaceIsSuccessWithNothingWritten(_ name: String) throws {
        let (_, args, setup, message) = Self.cases.first { $0.0 == name }!
        let fx = try CLIFixture()
        if !setup.isEmpty { try fx.ok(setup) }
        let events = try fx.history().count
        let before = try fx.bytes()
        let r = try fx.run(args)
        #expect(r.status == 0, "\(name): exit \(r.status), stderr \(r.stderr)")
        #expect(r.stdout.contains(message), "\(name): stdout was \(r.stdout)")
        #expect(try fx.history().count == events, "\(name) wrote an event")
        #expect(try fx.bytes() == before, "\(name) changed the database file")

        let j = try fx.run(args + ["--json"])
        #expect(j.status == 0)
        let doc = try #require(try CLIRunner.json(j.stdout) as? [String: Any])
        #expect(doc["changed"] as? Bool == false)
        #expect((doc["message"] as? String)?.contains("nothing written") == true)
    }

    @Test func aChangeReportsChangedTrueWithItsSeq() throws {
        let fx = try CLIFixture()
        let r = try fx.ok(["rollout", "beta.api", "--env", "sandbox/dev", "--percent", "25", "--json"])
        let doc = try #require(try CLIRunner.json(r.stdout) as? [String: Any])
        #expect(doc["changed"] as? Bool == true)
        let cells = try #require(doc["cells"] as? [[String: Any]])
        #expect(cells.count == 1 && cells[0]["action"] as? String == "rollout" && cells[0]["seq"] as? Int != nil)
    }

    /// A no-op by someone the change would be refused to is still refused: refusals come first.
    @Test func aRefusalStillFailsEvenWhenNothingWouldChange() throws {
        let fx = try CLIFixture()
        try fx.ok(["enable", "beta.api", "--env", "payments/prod", "--reason", "launch"])
        let r = try fx.run(["enable", "beta.api", "--env", "payments/prod"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("a reason is required"))
    }
}
