import Foundation

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

public struct ProcessFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// Runs a program to completion, reading both pipes concurrently so a chatty child
/// cannot block on a full pipe. One implementation for every test that starts a process.
public enum ProcessRunner {
    @discardableResult
    public static func run(_ executable: String, _ args: [String], env extra: [String: String] = [:],
                           removing: [String] = [], stdin: String? = nil, cwd: String? = nil) throws -> ProcessResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for k in removing { env.removeValue(forKey: k) }
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return ProcessResult(status: p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and insists on exit 0, naming the command and its stderr otherwise.
    @discardableResult
    public static func ok(_ executable: String, _ args: [String], env: [String: String] = [:], stdin: String? = nil,
                          cwd: String? = nil) throws -> ProcessResult {
        let r = try run(executable, args, env: env, stdin: stdin, cwd: cwd)
        guard r.status == 0 else {
            throw ProcessFailure("`\(executable) \(args.joined(separator: " "))` exited \(r.status): \(r.stderr.suffix(4000))")
        }
        return r
    }
}
