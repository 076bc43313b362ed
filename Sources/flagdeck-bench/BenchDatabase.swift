import FlagDeckCore
import FlagDeckDemo
import Foundation

/// A database made by the core `Generator`, generated at most once per bench run into a
/// temporary directory and shared by every suite that measures on it, so the figures of
/// different suites describe the same data and the minute or two of generation is paid
/// once. Removed when the run ends (`BenchDatabase.removeAll()`).
///
/// Read-only suites open `path()`. A suite that writes (a kill, a policy change, a change
/// from "another operator") takes a `workingCopy()` instead: the generated file must stay
/// as generated for the suites after it, and `workingCopy()` refuses to copy one that
/// has been written to.
final class BenchDatabase: @unchecked Sendable {
    /// Issue 12's database: 10,000 flags × 50 environments × 1,000,000 events, seed 1
    /// (about 1–2 minutes in a release build, about 600 MiB).
    static let large = BenchDatabase(name: "large", GeneratorConfig(flags: 10_000, envs: 50, events: 1_000_000, seed: 1))

    /// The small log for the history comparison: 10,000 events. The generator writes one
    /// creation event per flag, so a 10,000-event log cannot hold 10,000 flags; it has 1,000.
    static let history10k = BenchDatabase(name: "history-10k", GeneratorConfig(flags: 1_000, envs: 50, events: 10_000, seed: 1))

    /// The generated history spans 2025; judged from the first instant after it, every
    /// age and hint is the same in every run.
    static let historyEnd = Date(timeIntervalSince1970: Double(Generator.epochMillis) / 1000 + 365 * 86_400)

    let name: String
    let config: GeneratorConfig
    private let lock = NSLock()
    private var directory: String?
    private var generated: Result<(path: String, head: AuditHead?), any Error>?
    private var copies = 0

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [BenchDatabase] = []

    init(name: String, _ config: GeneratorConfig) {
        self.name = name
        self.config = config
        Self.registryLock.withLock { Self.registry.append(self) }
    }

    /// "generated 10,000 flags × 50 envs × 1,000,000 events (seed 1)", for the how-measured lines.
    var label: String {
        "generated \(Self.grouped(config.flags)) flags × \(Self.grouped(config.envs)) envs × "
            + "\(Self.grouped(config.events)) events (Generator seed \(config.seed))"
    }

    /// The generated file, generating it on first use. Open it, read it, write nothing.
    func path() throws -> String {
        try lock.withLock { try generatedLocked().path }
    }

    /// A private copy of the generated file for a suite that writes. Each call makes a new
    /// one; it is removed with the others at the end of the run, or earlier by `remove(copy:)`.
    func workingCopy() throws -> String {
        try lock.withLock {
            let (path, head) = try generatedLocked()
            // Proof the shared file is still as generated: its chain head has not moved.
            let now = try SQLiteStore(path: path).read { try $0.head() }
            guard now == head else {
                throw BenchError("the shared \(name) bench database was written to (head \(head?.seq ?? 0) → \(now?.seq ?? 0)); "
                                 + "a suite that writes must use workingCopy()")
            }
            copies += 1
            let copy = directory! + "/\(name)-copy\(copies).sqlite"
            for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
                try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix)
            }
            return copy
        }
    }

    /// Removes a working copy (and its WAL) now, to free the disk for the next suite.
    func remove(copy: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
    }

    /// Removes every generated database and copy of this run.
    static func removeAll() {
        for db in registryLock.withLock({ registry }) { db.removeDirectory() }
    }

    func removeDirectory() {
        lock.withLock {
            if let directory { try? FileManager.default.removeItem(atPath: directory) }
            directory = nil
            generated = nil
        }
    }

    /// `FLAGDECK_BENCH_KEEP=DIR` keeps each generated database in DIR, named by its
    /// configuration, and a later run uses it instead of generating again (the Generator is
    /// deterministic, so it is the same file). Generating the large one takes minutes on an
    /// idle machine and over half an hour on a busy one.
    private var keptPath: String? {
        guard let dir = ProcessInfo.processInfo.environment["FLAGDECK_BENCH_KEEP"], !dir.isEmpty else { return nil }
        return dir + "/\(name)-\(config.flags)x\(config.envs)x\(config.events)-seed\(config.seed).sqlite"
    }

    private func generatedLocked() throws -> (path: String, head: AuditHead?) {
        if let generated { return try generated.get() }
        if let kept = keptPath, FileManager.default.fileExists(atPath: kept) {
            let result = Result { () throws -> (path: String, head: AuditHead?) in
                let dir = NSTemporaryDirectory() + "flagdeck-bench-\(name)-" + UUID().uuidString
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                directory = dir
                let path = dir + "/\(name).sqlite"
                try FileManager.default.copyItem(atPath: kept, toPath: path)
                FileHandle.standardError.write(Data("flagdeck-bench: using the kept \(name) database \(kept)\n".utf8))
                return (path, try SQLiteStore(path: path).read { try $0.head() })
            }
            generated = result
            return try result.get()
        }
        let result = Result { () throws -> (path: String, head: AuditHead?) in
            let dir = NSTemporaryDirectory() + "flagdeck-bench-\(name)-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            directory = dir
            let path = dir + "/\(name).sqlite"
            FileHandle.standardError.write(Data("flagdeck-bench: generating the \(name) database (\(label))...\n".utf8))
            let start = DispatchTime.now().uptimeNanoseconds
            let summary = try {
                // Closed before anyone else opens it: the last connection's close
                // checkpoints the WAL into the file, so a copy is the file alone.
                let store = try SQLiteStore(path: path, create: true)
                return try Generator(config).run(into: store)
            }()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            FileHandle.standardError.write(Data("flagdeck-bench: generated \(name) in \(String(format: "%.1f", seconds)) s\n".utf8))
            if let kept = keptPath {
                try FileManager.default.createDirectory(atPath: (kept as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: path, toPath: kept)
            }
            return (path, summary.head)
        }
        generated = result
        return try result.get()
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return out
    }
}
