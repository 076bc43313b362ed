import Foundation

/// A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` into a fresh
/// temporary directory, listening on 127.0.0.1 on a free port, started with
/// `pg_ctl -w` and stopped by its own data directory — never by process name.
///
/// Authentication is real: the superuser `postgres` is trusted only over the cluster's
/// private Unix socket (for the fixture's own set-up SQL), while every TCP connection on
/// 127.0.0.1 must pass `scram-sha-256`, so wrong-password tests meet the server's own
/// refusal. One cluster per test process (`shared()`); each test makes its own database.
///
/// As root, the server binaries run as the `postgres` account (`initdb` refuses root).
/// A cluster left behind by a killed test process is stopped by the next one that
/// starts (its owner's pid is recorded beside the data directory).
public final class PostgresCluster: @unchecked Sendable {
    public static let binDirectory = ProcessInfo.processInfo.environment["FLAGDECK_PG_BIN"] ?? "/usr/lib/postgresql/15/bin"
    /// What a machine without the server needs (Debian 12).
    public static let installHint = "apt-get install -y postgresql libpq-dev  (server binaries expected in \(binDirectory))"
    public static let superuserPassword = "fixture-superuser-pw"

    public let directory: String
    public let dataDirectory: String
    public let socketDirectory: String
    public let port: Int
    public let fsync: Bool
    private let runAs: String?

    private static let sharedLock = NSLock()
    nonisolated(unsafe) private static var sharedCluster: PostgresCluster?
    nonisolated(unsafe) private static var sharedFailure: String?

    /// The test process's cluster, started on first use and stopped at exit.
    public static func shared() throws -> PostgresCluster {
        try sharedLock.withLock {
            if let c = sharedCluster { return c }
            if let f = sharedFailure { throw ProcessFailure(f) }
            do {
                let c = try PostgresCluster.start()
                sharedCluster = c
                atexit { PostgresCluster.stopSharedAtExit() }
                return c
            } catch {
                sharedFailure = "\(error)"
                throw error
            }
        }
    }

    private static func stopSharedAtExit() { sharedCluster?.destroy() }

    /// Stops the server (if running) and removes its directory.
    public func destroy() {
        if FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid") { try? stop() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Whether the server binaries are installed. Tests that need a cluster fail loudly
    /// with `installHint` when they are not, rather than skipping quietly.
    public static var binariesPresent: Bool {
        FileManager.default.isExecutableFile(atPath: binDirectory + "/initdb")
            && FileManager.default.isExecutableFile(atPath: binDirectory + "/pg_ctl")
    }

    /// A new cluster. `fsync: false` trades crash-safety of the machine (not of the server
    /// process) for speed; the default keeps PostgreSQL's defaults so figures are honest.
    public static func start(fsync: Bool = true, settings: [String: String] = [:]) throws -> PostgresCluster {
        guard binariesPresent else {
            throw ProcessFailure("PostgreSQL SERVER BINARIES MISSING: the team-mode tests need a real server. Install: \(installHint)")
        }
        reapAbandoned()
        let c = try PostgresCluster(fsync: fsync)
        try c.initialise(settings: settings)
        try c.startServer()
        return c
    }

    private init(fsync: Bool) throws {
        let base = NSTemporaryDirectory() + "flagdeck-pg-" + UUID().uuidString.prefix(8)
        directory = base
        dataDirectory = base + "/data"
        socketDirectory = base
        port = FreePort.next()
        self.fsync = fsync
        runAs = geteuid() == 0 ? "postgres" : nil
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        try "\(getpid())\n".write(toFile: base + "/owner.pid", atomically: true, encoding: .utf8)
        if let runAs {
            _ = try Self.spawn(["/bin/chown"], [runAs, base], scratch: "/tmp")
        }
    }

    // MARK: - Life cycle

    private func initialise(settings: [String: String]) throws {
        let pwfile = directory + "/pwfile"
        try Self.superuserPassword.write(toFile: pwfile, atomically: true, encoding: .utf8)
        if let runAs { _ = try Self.spawn(["/bin/chown"], [runAs, pwfile], scratch: directory) }
        try server("initdb", ["-D", dataDirectory, "-U", "postgres", "--pwfile=\(pwfile)", "--auth-local=trust",
                              "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"])
        // Only loopback, only our socket directory; scram for every TCP login.
        var conf = """

            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(socketDirectory)'
            fsync = \(fsync ? "on" : "off")
            max_connections = 60
            shared_buffers = 64MB
            log_min_messages = warning
            password_encryption = 'scram-sha-256'

            """
        for (k, v) in settings.sorted(by: { $0.key < $1.key }) { conf += "\(k) = \(v)\n" }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.conf"))
        handle.seekToEndOfFile()
        handle.write(Data(conf.utf8))
        try handle.close()
        let hba = """
            local all postgres trust
            local all all scram-sha-256
            host all all 127.0.0.1/32 scram-sha-256

            """
        try hba.write(toFile: dataDirectory + "/pg_hba.conf", atomically: false, encoding: .utf8)
        if let runAs { _ = try Self.spawn(["/bin/chown"], ["-R", runAs, dataDirectory], scratch: directory) }
    }

    private func startServer() throws {
        try server("pg_ctl", ["-D", dataDirectory, "-l", directory + "/server.log", "-w", "-t", "60", "start"])
    }

    /// Stops the server: `fast` rolls back open transactions and shuts down cleanly.
    public func stop() throws {
        try server("pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"])
    }

    /// Restarts the server. `immediate` is a crash as far as the server is concerned: no
    /// checkpoint, every backend killed, WAL replayed on the next start.
    public func restart(immediate: Bool) throws {
        try server("pg_ctl", ["-D", dataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "stop"])
        try startServer()
    }

    /// Stops the server and leaves it down (for "server not up" tests); `startAgain()` undoes it.
    public func stopForTest(immediate: Bool = false) throws {
        try server("pg_ctl", ["-D", dataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "stop"])
    }

    public func startAgain() throws { try startServer() }

    public var serverLog: String { (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? "" }

    // MARK: - Databases and roles

    /// A fresh database owned by `owner` (default the superuser).
    @discardableResult
    public func createDatabase(_ name: String? = nil, owner: String = "postgres") throws -> String {
        let db = name ?? "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try sql("CREATE DATABASE \(Self.ident(db)) OWNER \(Self.ident(owner))")
        return db
    }

    /// A LOGIN role with a password (scram), optionally in other roles.
    public func createRole(_ name: String, password: String, superuser: Bool = false, memberOf: [String] = [],
                           createRole: Bool = false) throws {
        var s = "CREATE ROLE \(Self.ident(name)) LOGIN PASSWORD \(Self.literal(password))"
        if superuser { s += " SUPERUSER" }
        if createRole { s += " CREATEROLE" }
        if !memberOf.isEmpty { s += " IN ROLE " + memberOf.map(Self.ident).joined(separator: ", ") }
        try sql(s)
    }

    /// Runs SQL as the superuser over the private socket (psql, ON_ERROR_STOP). Returns
    /// psql's unaligned, tuples-only output.
    @discardableResult
    public func sql(_ text: String, database: String = "postgres") throws -> String {
        let sqlFile = directory + "/sql-" + UUID().uuidString.prefix(8) + ".sql"
        try text.write(toFile: sqlFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: sqlFile) }
        let r = try Self.spawn([Self.binDirectory + "/psql"],
                               ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-p", String(port),
                                "-U", "postgres", "-d", database, "-f", sqlFile], scratch: directory)
        guard r.status == 0 else { throw ProcessFailure("psql on \(database) failed: \(r.output) (SQL: \(text.prefix(300)))") }
        return r.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A URL for TCP on 127.0.0.1 (scram), e.g. `postgresql://alice:pw@127.0.0.1:PORT/db`.
    public func url(user: String, password: String?, database: String, query: String? = nil) -> String {
        let enc = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        var u = "postgresql://\(enc(user))" + (password.map { ":" + enc($0) } ?? "") + "@127.0.0.1:\(port)/\(enc(database))"
        if let query { u += "?" + query }
        return u
    }

    /// The superuser's URL over TCP (with its password).
    public func superuserURL(database: String) -> String {
        url(user: "postgres", password: Self.superuserPassword, database: database)
    }

    public static func ident(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    public static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }

    // MARK: - Processes

    private func server(_ tool: String, _ args: [String]) throws {
        let exe = Self.binDirectory + "/" + tool
        let r = try Self.spawn(runAs.map { ["/usr/sbin/runuser", "-u", $0, "--", exe] } ?? [exe], args, scratch: directory)
        guard r.status == 0 else {
            throw ProcessFailure("\(tool) \(args.joined(separator: " ")) exited \(r.status): \(r.output.suffix(2000))\n"
                                 + "server log: \(serverLog.suffix(2000))")
        }
    }

    /// Runs a program with stdin from /dev/null, stdout and stderr to a scratch file, and
    /// every other descriptor closed in the child. `pg_ctl start` leaves a daemon behind;
    /// with `ProcessRunner`'s pipes (or any pipe another test thread has open at that
    /// moment) inherited, the daemon would hold them open and the readers would wait for
    /// an end of file that never comes.
    static func spawn(_ command: [String], _ args: [String], scratch: String) throws -> (status: Int32, output: String) {
        let out = scratch + "/spawn-" + UUID().uuidString.prefix(8) + ".out"
        defer { try? FileManager.default.removeItem(atPath: out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // glibc ≥ 2.34 has both; Swift's Glibc module does not export these GNU extensions.
        guard let closefrom = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"),
              let chdir = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
            throw ProcessFailure("this C library lacks posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later is needed)")
        }
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        typealias ChDir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        _ = unsafeBitCast(closefrom, to: CloseFrom.self)(&actions, 3)
        _ = unsafeBitCast(chdir, to: ChDir.self)(&actions, "/")
        let argv = (command + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = ProcessInfo.processInfo.environment
        for k in ["PGPASSWORD", "PGSERVICE", "PGOPTIONS", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE"] { env.removeValue(forKey: k) }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard rc == 0 else { throw ProcessFailure("cannot start \(command[0]): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }

    /// Stops clusters whose owning test process is gone (a killed `swift test`), by their
    /// own data directories, and removes them.
    static func reapAbandoned() {
        let tmp = NSTemporaryDirectory()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: tmp) else { return }
        for name in names where name.hasPrefix("flagdeck-pg-") {
            let dir = tmp + name
            guard let text = try? String(contentsOfFile: dir + "/owner.pid", encoding: .utf8),
                  let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }  // owner alive
            let data = dir + "/data"
            if FileManager.default.fileExists(atPath: data + "/postmaster.pid") {
                let args = ["-D", data, "-m", "immediate", "-w", "stop"]
                let exe = binDirectory + "/pg_ctl"
                _ = try? spawn(geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", exe] : [exe], args, scratch: tmp)
            }
            try? FileManager.default.removeItem(atPath: dir)
        }
    }
}
