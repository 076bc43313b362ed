import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The AWS emulator (ministack, from `PythonVenv.ministack`) on a free loopback port.
///
/// Tests share one emulator per test process and per `auth` mode (`Ministack.shared`):
/// starting one costs about a second, and tests keep apart by account — with
/// `AUTH=false` a 12-digit access key id *is* the account (`Ministack.freshAccount()`).
/// `Ministack.start` gives a private one to `stop()` yourself.
///
/// The emulator runs under a small Python supervisor in its own process group. The
/// supervisor ends the emulator when the test process goes away (its stdin, a pipe from
/// us, reaches end of file) — even after a crash — and `atexit` sends SIGTERM to every
/// group still running when the test process exits normally.
public final class Ministack: @unchecked Sendable {
    public let port: Int
    public let auth: Bool
    public let logPath: String
    /// `http://127.0.0.1:PORT`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    private let process: Process
    private let stdinPipe: Pipe
    private let stopped = NSLock()
    private var isStopped = false

    private init(port: Int, auth: Bool, logPath: String, process: Process, stdinPipe: Pipe) {
        self.port = port
        self.auth = auth
        self.logPath = logPath
        self.process = process
        self.stdinPipe = stdinPipe
    }

    // MARK: shared instances

    private static let sharedLock = NSLock()
    nonisolated(unsafe) private static var sharedInstances: [Bool: Ministack] = [:]

    /// The emulator for this test process (started on first use).
    public static func shared(auth: Bool = false) throws -> Ministack {
        sharedLock.lock()
        defer { sharedLock.unlock() }
        if let m = sharedInstances[auth] { return m }
        let m = try start(auth: auth)
        sharedInstances[auth] = m
        return m
    }

    /// A 12-digit account id no other test in this process uses.
    public static func freshAccount() -> String {
        accountLock.lock()
        defer { accountLock.unlock() }
        accountCounter += 1
        let base = UInt64(ProcessInfo.processInfo.processIdentifier % 9000 + 1000) * 100_000_000
        return String(base + UInt64(accountCounter) * 7919 % 100_000_000)
    }
    private static let accountLock = NSLock()
    nonisolated(unsafe) private static var accountCounter: UInt64 = UInt64.random(in: 0..<1000)

    // MARK: lifecycle

    /// Starts a private emulator and waits (up to `deadline` seconds) until it answers.
    public static func start(auth: Bool = false, extraEnvironment: [String: String] = [:],
                             deadline: TimeInterval = 60) throws -> Ministack {
        let venv = try PythonVenv.ministack.ensure()
        let port = FreePort.next()
        let dir = RepoRoot.temporaryDirectory("ministack")
        let logPath = dir + "/ministack.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))

        let p = Process()
        p.executableURL = URL(fileURLWithPath: venv.python)
        p.arguments = ["-c", supervisor]
        var env = ProcessInfo.processInfo.environment
        env["BIND_HOST"] = "127.0.0.1"
        env["GATEWAY_PORT"] = String(port)
        env["AUTH"] = auth ? "true" : "false"
        env["PERSIST_STATE"] = "0"
        env["STATE_DIR"] = dir + "/state"
        env["PYTHONUNBUFFERED"] = "1"
        for (k, v) in extraEnvironment { env[k] = v }
        p.environment = env
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = log
        p.standardError = log
        try p.run()
        let m = Ministack(port: port, auth: auth, logPath: logPath, process: p, stdinPipe: input)
        registerForExit(p.processIdentifier)

        let ready = Deadline.until(deadline, every: 0.1) {
            guard p.isRunning else { return true }
            return Self.probe(port: port)
        }
        guard ready, p.isRunning else {
            let tail = (try? String(contentsOfFile: logPath, encoding: .utf8)).map { String($0.suffix(3000)) } ?? ""
            m.stop()
            throw ProcessFailure("ministack on port \(port) did not become ready within \(Int(deadline)) s "
                                 + "(\(p.isRunning ? "still running" : "exited")); log \(logPath):\n\(tail)")
        }
        return m
    }

    /// SIGTERM to the process group, then waits for the supervisor (the emulator takes a
    /// few seconds to exit); SIGKILL if it has not gone within `grace` seconds.
    public func stop(grace: TimeInterval = 15) {
        stopped.lock()
        defer { stopped.unlock() }
        guard !isStopped else { return }
        isStopped = true
        let pid = process.processIdentifier
        kill(-pid, SIGTERM)
        kill(pid, SIGTERM)  // in case the supervisor had not yet made its group
        if !Deadline.until(grace, every: 0.05, { !process.isRunning }) {
            kill(-pid, SIGKILL)
            _ = Deadline.until(5, every: 0.05) { !process.isRunning }
        }
        try? stdinPipe.fileHandleForWriting.close()
        Self.unregister(pid)
    }

    /// One GET of the health endpoint.
    static func probe(port: Int) -> Bool {
        guard let url = URL(string: "http://127.0.0.1:\(port)/_ministack/health") else { return false }
        let done = DispatchSemaphore(value: 0)
        let ok = OKBox()
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        URLSession.shared.dataTask(with: request) { _, response, _ in
            ok.value = (response as? HTTPURLResponse)?.statusCode == 200
            done.signal()
        }.resume()
        done.wait()
        return ok.value
    }

    private final class OKBox: @unchecked Sendable { var value = false }

    // MARK: exit handling

    private static let groupsLock = NSLock()
    nonisolated(unsafe) private static var groups = Set<Int32>()
    nonisolated(unsafe) private static var atexitRegistered = false

    private static func registerForExit(_ pid: Int32) {
        groupsLock.lock()
        defer { groupsLock.unlock() }
        groups.insert(pid)
        if !atexitRegistered {
            atexitRegistered = true
            atexit {
                Ministack.groupsLock.lock()
                for g in Ministack.groups { kill(-g, SIGTERM) }
                Ministack.groupsLock.unlock()
            }
        }
    }

    private static func unregister(_ pid: Int32) {
        groupsLock.lock()
        groups.remove(pid)
        groupsLock.unlock()
    }

    /// Becomes a process-group leader (so one kill reaches the emulator and its
    /// workers), runs the emulator, and ends it on SIGTERM, when stdin reaches end of
    /// file, or when its parent (the test process) is gone.
    ///
    /// A child started from a test thread inherits that thread's blocked signals (then
    /// SIGTERM would never arrive), so it unblocks them. It also inherits the write end of
    /// its own stdin pipe (then stdin would never reach end of file), so it closes that
    /// one descriptor — and only that one: Foundation's `Process` learns that a child
    /// exited when another inherited descriptor closes, and closing it early wedges every
    /// later `waitUntilExit` in the test process.
    private static let supervisor = """
    import os, signal, subprocess, sys, threading, time
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    stdin_pipe = os.readlink("/proc/self/fd/0")
    for fd in os.listdir("/proc/self/fd"):
        try:
            if int(fd) > 2 and os.readlink("/proc/self/fd/" + fd) == stdin_pipe:
                os.close(int(fd))
        except OSError:
            pass
    os.setpgid(0, 0)
    parent = os.getppid()
    child = subprocess.Popen([sys.executable, "-m", "ministack"], stdin=subprocess.DEVNULL)
    def end(*_):
        if child.poll() is None:
            child.terminate()
    signal.signal(signal.SIGTERM, end)
    def watch_stdin():
        try:
            sys.stdin.buffer.read()
        finally:
            end()
    def watch_parent():
        while child.poll() is None:
            if os.getppid() != parent:
                end()
            time.sleep(0.5)
    threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Thread(target=watch_parent, daemon=True).start()
    sys.exit(child.wait())
    """
}
