import Foundation

/// The bench's Python peers run in the same virtualenv the tests use,
/// `.build/venvs/consumers`, provisioned from the pinned `Tests/python/consumers.txt`.
/// This replicates `PythonVenv.ensure()` from the test-support target (which an
/// executable cannot depend on) step for step — same directory, same `flock`ed lock file,
/// same requirements stamp — so whichever of the two provisions first, the other reuses it.
enum BenchPython {
    static let name = "consumers"

    /// The package root, found from this file's location.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    /// The virtualenv's python, creating or refreshing the virtualenv first if its
    /// requirements stamp does not match the pinned file.
    static func ensure(_ name: String = BenchPython.name) throws -> String {
        let fm = FileManager.default
        let requirements = path("Tests/python/\(name).txt")
        let directory = path(".build/venvs/\(name)")
        let python = directory + "/bin/python"
        guard let wanted = fm.contents(atPath: requirements) else { throw BenchError("no requirements file \(requirements)") }
        let venvs = path(".build/venvs")
        try fm.createDirectory(atPath: venvs, withIntermediateDirectories: true)
        let lockFD = open(venvs + "/\(name).lock", O_CREAT | O_RDWR, 0o644)
        guard lockFD >= 0 else { throw BenchError("cannot open \(venvs)/\(name).lock") }
        defer { close(lockFD) }
        flock(lockFD, LOCK_EX)
        defer { flock(lockFD, LOCK_UN) }

        let stamp = directory + "/flagdeck-requirements.txt"
        if fm.contents(atPath: stamp) == wanted, fm.isExecutableFile(atPath: python) { return python }
        FileHandle.standardError.write(Data("flagdeck-bench: provisioning \(directory) from \(requirements)...\n".utf8))
        try? fm.removeItem(atPath: directory)
        let python3 = systemPython()
        let made = try run(python3, ["-m", "venv", directory])
        guard made.status == 0 else {
            throw BenchError("`\(python3) -m venv \(directory)` failed (on Debian install python3-venv): \(made.stderr)")
        }
        let pip = try run(directory + "/bin/pip", ["install", "--disable-pip-version-check", "--no-input", "-q", "-r", requirements])
        guard pip.status == 0 else {
            try? fm.removeItem(atPath: directory)
            throw BenchError("pip could not install \(requirements): \(pip.stderr.suffix(3000))")
        }
        guard fm.createFile(atPath: stamp, contents: wanted) else { throw BenchError("cannot write \(stamp)") }
        return python
    }

    static func systemPython() -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/python3"
    }

    /// Runs a program to completion, capturing both streams.
    static func run(_ program: String, _ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try BenchProcess.capture(program, args)
    }
}
