import ArgumentParser
import FlagDeckCore
import FlagDeckDemo
import Foundation

/// `flagdeck generate`: a big, demo-like database for benchmarks and tests. The same
/// seed always gives the same content, so two machines can compare head hashes.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a deterministic demo-like database of any size.",
        discussion: """
            Times fall in 2025 and are drawn from the seed, operators are a fixed set: the same
            arguments give identical content and the same `audit head`. A progress bar is shown on
            a terminal (stderr) only.
            """)

    @Option(help: "Number of flags.") var flags: Int
    @Option(help: "Number of environments (spread over accounts of 2-4).") var envs: Int
    @Option(help: "Total audit events, including 1 init, one per environment and one per flag.") var events: Int
    @Option(help: "RNG seed.") var seed: UInt64 = 1
    @Option(help: "The new database file to create.") var db: String

    func run() throws {
        try CLI.run {
            let generator = try Generator(GeneratorConfig(flags: flags, envs: envs, events: events, seed: seed))
            if let size = (try? FileManager.default.attributesOfItem(atPath: db))?[.size] as? Int, size > 0 {
                throw FlagDeckError.invalidArgument("\(db) already exists; generate writes a new database")
            }
            // Generate into a scratch file and rename at the end: an interrupted run leaves
            // no half-filled database behind under the requested name.
            let tmp = db + ".generating-\(getpid())"
            let scratch = [tmp, tmp + "-wal", tmp + "-shm"]
            defer { for p in scratch { try? FileManager.default.removeItem(atPath: p) } }
            let bar = isatty(STDERR_FILENO) == 1 ? ProgressBar(label: "generating") : nil
            let started = Date()
            let summary = try Self.generate(generator, into: tmp) { done, total in bar?.update(done, of: total) }
            guard rename(tmp, db) == 0 else {
                throw FlagDeckError.storage("cannot move the generated database into \(db): \(String(cString: strerror(errno)))")
            }
            if let bar {
                bar.finish()
                let mix = summary.cellStates.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                bar.line("\(summary.flags) flags × \(summary.envs) environments, \(summary.events) events in "
                         + String(format: "%.1fs", Date().timeIntervalSince(started)) + "; cells: \(mix); head \(summary.head?.hash ?? "-")")
            }
        }
    }

    /// The store lives only inside this call, so its connection is closed (WAL
    /// checkpointed and removed) before the file is renamed.
    static func generate(_ g: Generator, into path: String, progress: (Int, Int) -> Void) throws -> GeneratorSummary {
        let store = try SQLiteStore(path: path, create: true)
        return try g.run(into: store, progress: progress)
    }
}
