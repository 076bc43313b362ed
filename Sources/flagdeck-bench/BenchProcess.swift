import Foundation

/// Runs the bench's peer programs (the aws CLI, boto3 scripts, pip). Every `AWS_`
/// variable of the bench's own environment is removed first, so an operator's real
/// credentials or endpoints never reach a script meant for the emulator; `env` supplies
/// what the peer needs.
enum BenchProcess {
    /// Runs to completion and returns stdout; a non-zero exit is an error with stderr.
    static func run(_ exe: String, _ args: [String], env: [String: String] = [:]) throws -> String {
        let r = try capture(exe, args, env: env)
        guard r.status == 0 else {
            throw BenchError("`\((exe as NSString).lastPathComponent) \(args.prefix(3).joined(separator: " "))…` exited \(r.status): "
                             + r.stderr.suffix(1500))
        }
        return r.stdout
    }

    /// Runs to completion, both streams read at once so neither pipe can fill.
    static func capture(_ exe: String, _ args: [String], env: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        for k in e.keys where k.hasPrefix("AWS_") { e[k] = nil }
        for (k, v) in env { e[k] = v }
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        nonisolated(unsafe) var errData = Data()
        let g = DispatchGroup()
        g.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            g.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        g.wait()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
