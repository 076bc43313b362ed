import Foundation
import Testing

/// The recorded operator is the OS account of the effective uid, whatever the environment
/// says: `USER`, `LOGNAME` and `HOME` are the caller's to set, so they prove nothing
/// (issue 12.7).
@Suite("Identity")
struct IdentityTests {
    @Test func aLyingEnvironmentDoesNotChangeTheRecordedOperator() throws {
        let fx = try CLIFixture()
        let other = try #require(Self.anotherAccount(), "no second account in /etc/passwd to impersonate")
        let liar = ["USER": other.name, "LOGNAME": other.name, "HOME": other.home, "SUDO_USER": other.name]
        let r = try CLIRunner.run(["kill", "beta.api", "--env", "sandbox/dev", "--reason", "who am I", "--yes", "--db", fx.db],
                                  env: liar)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let flag = try CLIRunner.run(["flag", "add", "impostor.flag", "--db", fx.db], env: liar)
        #expect(flag.status == 0)
        let events = try fx.history().prefix(2)
        #expect(events.count == 2)
        for e in events {
            #expect(e["operator"] as? String == CLIRunner.osUser)
            #expect(e["operator"] as? String != other.name)
        }
    }

    /// Any account other than the effective uid's, from the password database.
    static func anotherAccount() -> (name: String, home: String)? {
        setpwent()
        defer { endpwent() }
        let me = geteuid()
        while let pw = getpwent() {
            if pw.pointee.pw_uid != me, let n = pw.pointee.pw_name, let h = pw.pointee.pw_dir {
                return (String(cString: n), String(cString: h))
            }
        }
        return nil
    }
}
