import FlagDeckTestSupport
import Foundation

/// A private tmux server running one command in a fixed-size window, for end-to-end
/// dashboard tests. Each session has its own socket so parallel tests and the
/// developer's own tmux never interfere, and `close()` kills the server.
final class TmuxSession: @unchecked Sendable {
    static let executable: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/tmux"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    /// Tests are skipped, not failed, only when tmux is missing.
    static var available: Bool { executable != nil }

    let socket = "fd-test-\(UUID().uuidString.prefix(8))"
    private var closed = false

    init(command: String, width: Int = 160, height: Int = 45) throws {
        // escape-time 0 so Esc reaches the dashboard at once; -f /dev/null ignores user config.
        try tmux(["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", command])
        try tmux(["set-option", "-g", "escape-time", "0"])
        try tmux(["set-option", "-g", "remain-on-exit", "on"])
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        _ = try? tmux(["kill-server"])
        let dir = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        unlink("\(dir)/tmux-\(geteuid())/\(socket)")
    }

    /// Runs tmux with posix_spawn + waitpid rather than Foundation's `Process`: the tmux
    /// server forks from the first client and would inherit `Process`'s exit-monitoring
    /// descriptor, so `waitUntilExit` would never return. Descriptors above 2 are closed
    /// in the child for the same reason.
    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        guard let exe = TmuxSession.executable else { throw TerminalTestError("tmux not installed") }
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        for k in ["TMUX", "FLAGDECK_DB", "FLAGDECK_THEME", "NO_COLOR"] { env.removeValue(forKey: k) }
        let wantsOutput = args.first == "capture-pane" || args.first == "display-message"
        let outPath = NSTemporaryDirectory() + "\(socket)-\(UUID().uuidString).out"
        defer { if wantsOutput { unlink(outPath) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, wantsOutput ? outPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // A small shell closes every inherited descriptor above 2, then becomes tmux. bash,
        // because dash cannot name descriptors above 9 in a redirection.
        let shell = FileManager.default.isExecutableFile(atPath: "/bin/bash") ? "/bin/bash" : "/bin/sh"
        let closeAndExec = "for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\" 2>/dev/null; done; exec \"$@\""
        let argv = ([shell, "-c", closeAndExec, "sh", exe, "-u", "-L", socket] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        // The test runner's threads block signals; a tmux server inheriting that mask
        // ignores kill-server and SIGTERM, so the child starts with an empty mask.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE, SIGWINCH] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, shell, &actions, &attr, argv, envp)
        guard rc == 0 else { throw TerminalTestError("cannot run tmux: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard (exited && code == 0) || args.first == "kill-server" else {
            throw TerminalTestError("tmux \(args.joined(separator: " ")) failed (status \(status))")
        }
        guard wantsOutput else { return "" }
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }

    /// Named keys (`Enter`, `Escape`, `C-k`) or single characters.
    func keys(_ keys: String...) throws { try tmux(["send-keys"] + keys) }

    /// Literal text, typed character by character.
    func type(_ text: String) throws { try tmux(["send-keys", "-l", text]) }

    func screen() throws -> String { try tmux(["capture-pane", "-p"]) }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls the screen every 50 ms until `condition` holds; fails after `timeout` with
    /// the last screen in the error, so a failure shows what the operator would have seen.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 10, _ condition: (String) -> Bool) throws -> String {
        var last = ""
        let found = try Deadline.poll(timeout) { () throws -> String? in
            last = try screen()
            return condition(last) ? last : nil
        }
        guard let found else { throw TerminalTestError("timed out after \(timeout)s waiting for \(what); screen was:\n\(last)") }
        return found
    }

    @discardableResult
    func waitFor(text: String, timeout: TimeInterval = 10) throws -> String {
        try waitFor("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }
}
