import FlagDeckTestSupport
import Foundation
import Testing
@testable import FlagDeckPostgres

/// The libpq wrapper against a real server: statements, pipelines, typed errors with
/// SQLSTATE, and connection failures that say what happened without leaking a password.
@Suite("PGConnection")
struct PGConnectionTests {
    @Test func queriesReturnTypedColumnsByName() throws {
        let (c, db) = try Server.database()
        let conn = try PGConnection(c.superuserURL(database: db))
        let r = try conn.query("SELECT $1::bigint AS n, $2::text AS s, true AS b, NULL::text AS z", ["42", "héllo"])
        #expect(r.rowCount == 1)
        #expect(r.int64(0, "n") == 42 && r.string(0, "s") == "héllo" && r.bool(0, "b") && r.text(0, "z") == nil)
        #expect(conn.display == "postgresql://postgres@127.0.0.1:\(c.port)/\(db)")
    }

    @Test func pipelineRunsInOrderInOneImplicitTransaction() throws {
        let (c, db) = try Server.database()
        let conn = try PGConnection(c.superuserURL(database: db))
        try conn.query("CREATE TABLE t (id int PRIMARY KEY, v text)")
        let rs = try conn.pipeline([PGStatement("INSERT INTO t VALUES (1, 'a')"), PGStatement("INSERT INTO t VALUES ($1, $2)", ["2", nil]),
                                    PGStatement("SELECT count(*) AS n FROM t")])
        #expect(rs.count == 3 && rs[2].int(0, "n") == 2)
        // A failure aborts the rest of the batch and rolls the implicit transaction back.
        #expect(throws: PGError.self) {
            try conn.pipeline([PGStatement("INSERT INTO t VALUES (3, 'c')"), PGStatement("INSERT INTO t VALUES (1, 'dup')")])
        }
        #expect(try conn.query("SELECT count(*) AS n FROM t").int(0, "n") == 2)
        // The connection and its statement cache still work afterwards.
        #expect(try conn.query("SELECT count(*) AS n FROM t").int(0, "n") == 2)
    }

    @Test func uniqueViolationAndUndefinedTableCarrySQLState() throws {
        let (c, db) = try Server.database()
        let conn = try PGConnection(c.superuserURL(database: db))
        try conn.query("CREATE TABLE t (id int PRIMARY KEY)")
        try conn.query("INSERT INTO t VALUES (1)")
        let dup = #expect(throws: PGError.self) { try conn.query("INSERT INTO t VALUES (1)") }
        #expect(dup?.kind == .uniqueViolation && dup?.sqlState == "23505")
        let missing = #expect(throws: PGError.self) { try conn.query("SELECT * FROM nope") }
        #expect(missing?.kind == .undefinedTable && missing?.sqlState == "42P01")
    }

    @Test func insufficientPrivilegeNamesThePrivilegeAndTheObject() throws {
        let (c, db) = try Server.database()
        let role = "reader_" + UUID().uuidString.prefix(6).lowercased()
        try c.createRole(role, password: "pw")
        try c.sql("CREATE TABLE secrets (id int); GRANT SELECT ON secrets TO \(role)", database: db)
        let conn = try PGConnection(c.url(user: role, password: "pw", database: db))
        #expect(try conn.query("SELECT count(*) AS n FROM secrets").int(0, "n") == 0)
        let e = #expect(throws: PGError.self) { try conn.query("INSERT INTO secrets VALUES (1)") }
        #expect(e?.kind == .insufficientPrivilege && e?.privilege == "INSERT")
        #expect(e?.description.contains("lacks INSERT privilege on table secrets") == true, "\(e.map(String.init(describing:)) ?? "")")
    }

    @Test func wrongPasswordIsRefusedAndNeverEchoed() throws {
        let (c, db) = try Server.database()
        let role = "op_" + UUID().uuidString.prefix(6).lowercased()
        try c.createRole(role, password: "right-one")
        let secret = "S3cr3t-Wr0ng-pw"
        for target in [c.url(user: role, password: secret, database: db),
                       "host=127.0.0.1 port=\(c.port) dbname=\(db) user=\(role) password=\(secret)",
                       "host=127.0.0.1 port=\(c.port) dbname=\(db) user=\(role) password='\(secret) x'"] {
            let e = #expect(throws: PGError.self) { try PGConnection(target) }
            #expect(e?.kind == .authenticationFailed, "\(String(describing: e))")
            let text = e.map(String.init(describing:)) ?? ""
            #expect(!text.contains(secret), "password leaked: \(text)")
            #expect(text.contains("password authentication failed"), "\(text)")
        }
        // PGPASSWORD is honoured (libpq reads it) and redacted too.
        let env = ["PGPASSWORD": secret]
        let e = #expect(throws: PGError.self) {
            try PGConnection("host=127.0.0.1 port=\(c.port) dbname=\(db) user=\(role)", environment: env)
        }
        #expect(!(e.map(String.init(describing:)) ?? "").contains(secret))
    }

    @Test func serverNotUpFailsClearlyWithinTheConnectTimeout() throws {
        let port = FreePort.next()  // nothing listens there
        let start = Date()
        let e = #expect(throws: PGError.self) { try PGConnection("postgresql://nobody:pw@127.0.0.1:\(port)/x") }
        #expect(Date().timeIntervalSince(start) < Double(PGConnection.defaultConnectTimeout) + 1)
        #expect(e?.kind == .connectionFailed)
        let text = e.map(String.init(describing:)) ?? ""
        #expect(text.contains("cannot reach the PostgreSQL server") && text.contains("\(port)") && !text.contains(":pw@"), "\(text)")
    }

    @Test func unknownDatabaseIsNamed() throws {
        let c = try PostgresCluster.shared()
        let e = #expect(throws: PGError.self) { try PGConnection(c.superuserURL(database: "no_such_db")) }
        #expect(e?.kind == .unknownDatabase && e?.description.contains("no_such_db") == true)
    }

    @Test func invalidURLIsRedactedToo() throws {
        let e = #expect(throws: PGError.self) { try PGConnection("postgresql://u:p%zzsecret@127.0.0.1:1/x") }
        #expect(!(e.map(String.init(describing:)) ?? "").contains("secret"), "\(String(describing: e))")
    }

    @Test func resetReconnectsAfterTheServerRestarts() throws {
        // Own cluster: restarting the shared one would disturb parallel tests.
        let c = try PostgresCluster.start(fsync: false)
        defer { c.destroy() }
        let conn = try PGConnection(c.superuserURL(database: "postgres"))
        try conn.query("SELECT 1")
        try c.restart(immediate: true)
        let e = #expect(throws: PGError.self) { try conn.query("SELECT 1") }
        #expect(e?.isConnectionLoss == true, "\(String(describing: e))")
        try conn.reset()
        #expect(try conn.query("SELECT 2 AS n").int(0, "n") == 2)
    }

    @Test func copyInLoadsRowsWithEscapes() throws {
        let (c, db) = try Server.database()
        let conn = try PGConnection(c.superuserURL(database: db))
        try conn.query("CREATE TABLE t (a text, b text)")
        try conn.copyIn("COPY t (a, b) FROM STDIN") { w in
            for _ in 0..<1000 { try w.row(["tab\there\nnew\\line", nil]) }
        }
        let r = try conn.query("SELECT count(*) AS n, min(a) AS a, count(b) AS b FROM t")
        #expect(r.int(0, "n") == 1000 && r.string(0, "a") == "tab\there\nnew\\line" && r.int(0, "b") == 0)
    }
}

/// The shared cluster and a fresh database for one test.
enum Server {
    static func database() throws -> (PostgresCluster, String) {
        let c = try PostgresCluster.shared()
        return (c, try c.createDatabase())
    }
}
