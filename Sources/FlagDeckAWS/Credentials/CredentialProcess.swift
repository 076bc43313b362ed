import Foundation

/// Runs a profile's `credential_process` and reads the credentials it prints, per the
/// AWS spec: a JSON object with `Version: 1`, `AccessKeyId`, `SecretAccessKey`, and
/// optionally `SessionToken`, `Expiration` (ISO 8601) and `AccountId`.
///
/// This is the escape hatch for every credential source the module does not implement
/// (SSO, MFA, corporate brokers): `aws configure export-credentials --format process`
/// prints exactly this format.
///
/// The command line is split like a POSIX shell would (no shell runs it, as in
/// botocore). Nothing the process prints on stdout ever appears in an error; its stderr
/// does, with any secret it also printed on stdout removed.
public enum CredentialProcess {
    /// Runs `command` and parses its output. `timeout` bounds a hung helper.
    public static func fetch(command: String, profile: String, environment: AWSEnvironment, clock: AWSClock,
                             timeout: TimeInterval = 60) throws -> AWSCredentials {
        guard let words = SharedConfig.shellWordsOrNil(command), let first = words.first else {
            throw AWSError.credentialProcessFailed(profile: profile, program: "(unparsable)",
                                           reason: "is not a valid command line (unbalanced quotes or empty)", stderr: "")
        }
        let program = (first as NSString).lastPathComponent
        guard let executable = locate(first, path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            throw AWSError.credentialProcessFailed(profile: profile, program: program,
                                           reason: "was not found (not executable, or not on PATH)", stderr: "")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = Array(words.dropFirst())
        p.environment = environment.variables
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch {
            throw AWSError.credentialProcessFailed(profile: profile, program: program,
                                           reason: "could not start: \(error.localizedDescription)", stderr: "")
        }
        let collected = Locked((Data(), Data()))
        let group = DispatchGroup()
        for (pipe, isOut) in [(out, true), (err, false)] {
            group.enter()
            DispatchQueue.global().async {
                let d = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.withLock { if isOut { $0.0 = d } else { $0.1 = d } }
                group.leave()
            }
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            p.terminate()
            _ = group.wait(timeout: .now() + 2)
            throw AWSError.credentialProcessFailed(profile: profile, program: program,
                                           reason: "did not finish within \(Int(timeout)) s", stderr: "")
        }
        p.waitUntilExit()
        let (stdout, stderrData) = collected.current
        let parsed = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any]
        let printedSecrets = ["SecretAccessKey", "SessionToken", "AccessKeyId"].compactMap { parsed?[$0] as? String }
        let stderr = Redactor(secrets: printedSecrets).scrub(String(decoding: stderrData.suffix(4000), as: UTF8.self))

        guard p.terminationStatus == 0, p.terminationReason == .exit else {
            let how = p.terminationReason == .exit ? "exited with status \(p.terminationStatus)"
                : "was killed by signal \(p.terminationStatus)"
            throw AWSError.credentialProcessFailed(profile: profile, program: program, reason: how, stderr: stderr)
        }
        guard let json = parsed else {
            throw AWSError.credentialProcessFailed(profile: profile, program: program,
                                           reason: "printed \(stdout.count) bytes that are not a JSON object", stderr: stderr)
        }
        guard (json["Version"] as? NSNumber)?.intValue == 1 else {
            throw AWSError.credentialProcessFailed(profile: profile, program: program,
                                           reason: "printed JSON without \"Version\": 1", stderr: stderr)
        }
        guard let ak = json["AccessKeyId"] as? String, !ak.isEmpty else {
            throw AWSError.credentialProcessFailed(profile: profile, program: program,
                                           reason: "printed JSON without AccessKeyId", stderr: stderr)
        }
        guard let sk = json["SecretAccessKey"] as? String, !sk.isEmpty else {
            throw AWSError.credentialProcessFailed(profile: profile, program: program,
                                           reason: "printed JSON without SecretAccessKey", stderr: stderr)
        }
        var expiration: Date?
        if let raw = json["Expiration"] as? String {
            guard let d = ISO8601.parse(raw) else {
                throw AWSError.credentialProcessFailed(profile: profile, program: program,
                                               reason: "printed an Expiration that is not an ISO 8601 time: \(raw)",
                                               stderr: stderr)
            }
            guard d > clock.now() else {
                throw AWSError.credentialProcessExpired(profile: profile, program: program, expiration: d)
            }
            expiration = d
        }
        let token = (json["SessionToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyId: ak, secretAccessKey: sk, sessionToken: token, expiration: expiration,
                              accountId: json["AccountId"] as? String)
    }

    static func locate(_ name: String, path: String) -> String? {
        let fm = FileManager.default
        if name.contains("/") { return fm.isExecutableFile(atPath: name) ? name : nil }
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
