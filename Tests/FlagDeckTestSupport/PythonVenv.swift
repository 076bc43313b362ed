import Foundation

/// A virtualenv under `.build/venvs/NAME`, provisioned from `Tests/python/NAME.txt` on
/// first use, so a fresh machine passes `swift test` with no other step. Real consumers
/// (Powertools, the flagd provider, boto3, botocore's signer) and the AWS emulator are
/// test oracles, never mocks; each set of pins gets its own virtualenv because the
/// emulator pins its own botocore.
///
/// Provisioning is serialised with an exclusive `flock` on a lock file, so parallel tests
/// and parallel `swift test` runs share one install. The virtualenv is reused while the
/// copy of the requirements inside it matches the file in the repository.
public struct PythonVenv: Sendable {
    public let name: String
    public let directory: String

    public var python: String { directory + "/bin/python" }
    public func bin(_ tool: String) -> String { directory + "/bin/" + tool }

    public static let consumers = PythonVenv(name: "consumers")
    public static let ministack = PythonVenv(name: "ministack")

    public init(name: String) {
        self.name = name
        directory = RepoRoot.path(".build/venvs/\(name)")
    }

    private static let inProcess = NSLock()

    /// Creates or refreshes the virtualenv if needed and returns it. Throws with pip's
    /// own output when PyPI cannot be reached or a pin does not resolve.
    @discardableResult
    public func ensure() throws -> PythonVenv {
        Self.inProcess.lock()
        defer { Self.inProcess.unlock() }
        let fm = FileManager.default
        let requirementsPath = RepoRoot.path("Tests/python/\(name).txt")
        guard let wanted = fm.contents(atPath: requirementsPath) else {
            throw ProcessFailure("no requirements file \(requirementsPath)")
        }
        let root = RepoRoot.path(".build/venvs")
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        let lockFD = open(root + "/\(name).lock", O_CREAT | O_RDWR, 0o644)
        guard lockFD >= 0 else { throw ProcessFailure("cannot open \(root)/\(name).lock") }
        defer { close(lockFD) }
        flock(lockFD, LOCK_EX)
        defer { flock(lockFD, LOCK_UN) }

        let stamp = directory + "/flagdeck-requirements.txt"
        if fm.contents(atPath: stamp) == wanted, fm.isExecutableFile(atPath: python) { return self }
        try? fm.removeItem(atPath: directory)
        let python3 = Self.systemPython()
        let made = try ProcessRunner.run(python3, ["-m", "venv", directory])
        guard made.status == 0 else {
            throw ProcessFailure("`\(python3) -m venv \(directory)` failed (on Debian install python3-venv): \(made.stderr)")
        }
        let pip = try ProcessRunner.run(bin("pip"), ["install", "--disable-pip-version-check", "--no-input", "-q",
                                                     "-r", requirementsPath])
        guard pip.status == 0 else {
            try? fm.removeItem(atPath: directory)
            throw ProcessFailure("pip could not install \(requirementsPath): \(pip.stderr.suffix(3000))")
        }
        fm.createFile(atPath: stamp, contents: wanted)
        return self
    }

    /// Runs `script` (a path) with this virtualenv's python.
    @discardableResult
    public func run(_ script: String, _ args: [String] = [], env: [String: String] = [:], stdin: String? = nil,
                    cwd: String? = nil) throws -> ProcessResult {
        try ProcessRunner.run(python, [script] + args, env: env, stdin: stdin, cwd: cwd)
    }

    static func systemPython() -> String {
        // The first python3 on PATH (pyenv and friends put theirs there), else the system's.
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/python3"
    }
}
