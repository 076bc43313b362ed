import Foundation

/// ministack on a free loopback port, under a supervisor that ends it when the bench's
/// end of its stdin pipe closes (also when the bench dies).
final class BenchEmulator: @unchecked Sendable {
    let port: Int
    var endpoint: String { "http://127.0.0.1:\(port)" }
    private let process: Process
    private let stdin: Pipe

    private init(port: Int, process: Process, stdin: Pipe) {
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    static func start() throws -> BenchEmulator {
        let venv = try BenchVenv(name: "ministack").ensure()
        let port = freePort()
        let dir = NSTemporaryDirectory() + "flagdeck-bench-ministack-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let log = dir + "/ministack.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: venv.python)
        p.arguments = ["-c", supervisor]
        var env = ProcessInfo.processInfo.environment
        env["BIND_HOST"] = "127.0.0.1"
        env["GATEWAY_PORT"] = String(port)
        env["AUTH"] = "false"
        env["PERSIST_STATE"] = "0"
        env["STATE_DIR"] = dir + "/state"
        env["LOG_LEVEL"] = "WARNING"
        p.environment = env
        let input = Pipe()
        p.standardInput = input
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        let e = BenchEmulator(port: port, process: p, stdin: input)
        let end = Date().addingTimeInterval(60)
        while Date() < end {
            guard p.isRunning else { break }
            if probe(port) { return e }
            Thread.sleep(forTimeInterval: 0.1)
        }
        e.stop()
        let tail = (try? String(contentsOfFile: log, encoding: .utf8)).map { String($0.suffix(1500)) } ?? ""
        throw BenchError("ministack did not answer on port \(port) within 60 s (log \(log)): \(tail)")
    }

    func stop() {
        kill(-process.processIdentifier, SIGTERM)
        kill(process.processIdentifier, SIGTERM)
        try? stdin.fileHandleForWriting.close()
        let end = Date().addingTimeInterval(15)
        while process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(-process.processIdentifier, SIGKILL) }
    }

    static func probe(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        let request = "GET /_ministack/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var buf = [UInt8](repeating: 0, count: 64)
        let n = recv(fd, &buf, buf.count, 0)
        return n > 12 && String(decoding: buf[0..<n], as: UTF8.self).contains(" 200")
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Own process group; ends the emulator on SIGTERM or when stdin closes.
    private static let supervisor = """
    import os, signal, subprocess, sys, threading
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    os.setpgid(0, 0)
    child = subprocess.Popen([sys.executable, "-m", "ministack"], stdin=subprocess.DEVNULL)
    def end(*_):
        if child.poll() is None:
            child.terminate()
    signal.signal(signal.SIGTERM, end)
    def watch():
        try:
            sys.stdin.buffer.read()
        finally:
            end()
    threading.Thread(target=watch, daemon=True).start()
    sys.exit(child.wait())
    """
}
