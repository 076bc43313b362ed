import FlagDeckCore
import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckPostgres

/// `flagdeck migrate` through the real binary, as an operator would run it.
@Suite("flagdeck migrate (CLI)")
struct MigrateCLITests {
    static let binary: String = {
        for config in ["debug", "release"] {
            let candidate = RepoRoot.path(".build/\(config)/flagdeck")
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return RepoRoot.path(".build/debug/flagdeck")
    }()

    static func flagdeck(_ args: [String]) throws -> ProcessResult {
        try ProcessRunner.run(binary, args, removing: ["FLAGDECK_DB", "PGPASSWORD"])
    }

    @Test func migratesAndPrintsTheSameHeadWithoutThePassword() throws {
        let dir = RepoRoot.temporaryDirectory("flagdeck-migrate-cli")
        let db = dir + "/team.sqlite"
        for args in [["init"], ["env", "add", "acct/prod", "--protected"], ["flag", "add", "checkout.v2"],
                     ["kill", "checkout.v2", "--env", "acct/prod", "--reason", "incident 7", "--yes"]] {
            let r = try Self.flagdeck(args + ["--db", db])
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        let head = try Self.flagdeck(["audit", "head", "--db", db]).stdout
        let team = try TeamDatabase()
        let r = try Self.flagdeck(["migrate", "--db", db, "--to", team.ownerURL])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains(TeamDatabase.password) && !r.stderr.contains(TeamDatabase.password))
        let hash = try #require(head.split(whereSeparator: { $0 == " " || $0 == "\n" }).first { $0.count == 64 })
        #expect(r.stdout.contains(String(hash)), "\(r.stdout) vs \(head)")
        #expect(r.stderr.isEmpty, "no progress bar when stderr is not a terminal: \(r.stderr)")

        // A second run is refused: the target is no longer empty; exit 1, nothing written.
        let again = try Self.flagdeck(["migrate", "--db", db, "--to", team.ownerURL])
        #expect(again.status == 1 && again.stderr.contains("is not empty"), "\(again.stderr)")
        #expect(!again.stderr.contains(TeamDatabase.password))
    }

    @Test func refusesANonURLTargetAndAWrongPasswordCleanly() throws {
        let dir = RepoRoot.temporaryDirectory("flagdeck-migrate-cli")
        let db = dir + "/team.sqlite"
        #expect(try Self.flagdeck(["init", "--db", db]).status == 0)
        let notURL = try Self.flagdeck(["migrate", "--db", db, "--to", dir + "/other.sqlite"])
        #expect(notURL.status != 0 && notURL.stderr.contains("postgresql://"))
        let team = try TeamDatabase()
        let wrong = team.cluster.url(user: team.owner, password: "Wr0ngPassw0rd", database: team.database)
        let r = try Self.flagdeck(["migrate", "--db", db, "--to", wrong])
        #expect(r.status == 1 && r.stderr.contains("password authentication failed"), "\(r.stderr)")
        #expect(!r.stderr.contains("Wr0ngPassw0rd"))
    }
}
