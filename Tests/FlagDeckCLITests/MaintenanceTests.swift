import Foundation
import Testing

@Suite("Doctor, backup and policy from the CLI")
struct MaintenanceTests {
    @Test func doctorPassesAHealthyDatabaseAndNamesProblems() throws {
        let fx = try CLIFixture()
        let good = try fx.run(["doctor"])
        #expect(good.status == 0, "\(good.stdout)")
        #expect(good.stdout.contains("OK   integrity"))
        #expect(good.stdout.contains("OK   audit chain"))

        chmod(fx.db, 0o644)
        let open = try fx.run(["doctor"])
        #expect(open.status == 1)
        #expect(open.stdout.contains("FAIL permissions"))
        #expect(open.stdout.contains("chmod 600"))
        chmod(fx.db, 0o600)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [fx.db, "DROP TRIGGER audit_event_no_update; UPDATE audit_event SET operator = 'nobody' WHERE seq = 2;"]
        try p.run()
        p.waitUntilExit()
        let bad = try fx.run(["doctor", "--json"])
        #expect(bad.status == 1)
        let findings = try CLIRunner.json(bad.stdout) as! [[String: Any]]
        let chain = findings.first { $0["check"] as? String == "audit chain" }
        #expect(chain?["status"] as? String == "fail")
        #expect((chain?["detail"] as? String)?.contains("seq 2") == true)
    }

    @Test func backupWhileOthersWriteGivesAHealthyCopy() throws {
        let fx = try CLIFixture()
        let writers = (1...2).map { n -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLIRunner.binary)
            p.arguments = ["debug-random-writes", "--db", fx.db, "--seed", String(n), "--count", "300"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            return p
        }
        for w in writers { try w.run() }
        let copy = fx.dir + "/copy.sqlite"
        let r = try CLIRunner.run(["backup", copy, "--db", fx.db])
        for w in writers { w.waitUntilExit() }
        #expect(r.status == 0, "\(r.stderr)")
        let doctor = try CLIRunner.run(["doctor", "--db", copy])
        #expect(doctor.status == 0, "\(doctor.stdout)")
        #expect(try CLIRunner.run(["backup", copy, "--db", fx.db]).status == 1) // refuses to overwrite
    }

    @Test func policyDeniesAndSaysWhoMay() throws {
        let fx = try CLIFixture()
        let me = CLIRunner.osUser
        let show = try fx.ok(["policy", "show", "--json"])
        #expect(show.stdout.contains("user:\(me)"))
        try fx.ok(["policy", "set", "--admin", "user:\(me)", "--allow", "user:\(me)=sandbox/*",
                   "--allow", "group:oncall-nobody-has=payments/*", "--reason", "lock prod"])
        let mode = try FileManager.default.attributesOfItem(atPath: fx.db)[.posixPermissions] as? Int
        #expect(mode == 0o660)
        try fx.ok(["enable", "beta.api", "--env", "sandbox/dev"])
        let denied = try fx.run(["kill", "beta.api", "--env", "payments/prod", "--reason", "x", "--yes"])
        #expect(denied.status == 1)
        #expect(denied.stderr.contains("may not kill in payments/prod"))
        #expect(denied.stderr.contains("group:oncall-nobody-has"))
        let last = try fx.history().first!
        #expect(last["action"] as? String == "denied")
        #expect(last["env"] as? String == "payments/prod")
        let badSet = try fx.run(["policy", "set", "--allow", "nonsense", "--admin", "user:\(me)", "--reason", "x"])
        #expect(badSet.status == 1)
        #expect(badSet.stderr.contains("expected PRINCIPAL=GLOB"))
    }
}
