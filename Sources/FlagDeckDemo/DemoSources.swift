import FlagDeckCore
import Foundation

/// The documents the demo's applications read, one folder per environment next to the
/// demo database, and bound as sources: a kill made in the demo reaches a file a newcomer
/// can `cat`, exactly as it reaches a real application's file.
///
/// Each environment gets the documents that hold its cells exactly, so binding them
/// records nothing (`source add` imports only what a document says differently):
/// - one Powertools `features.json`, the seeds' format, where Powertools can say every
///   cell (no partial rollout);
/// - otherwise a flagd `flags.json` (it has `fractional` for rollouts and splits) beside a
///   Powertools `features.json` for the flags flagd cannot hold: schedule rules, and
///   overrides (Powertools marks them as such; JsonLogic has nowhere to).
public enum DemoSources {
    public struct Document: Sendable, Equatable {
        public var env: EnvironmentID
        /// `ACCOUNT/ENV/NAME`, relative to the demo's files directory.
        public var relativePath: String
        public var format: DocumentFormat
        public var bytes: [UInt8]
    }

    /// `…/demo.sqlite` → `…/demo-files`.
    public static func directory(for databasePath: String) -> String {
        let url = URL(fileURLWithPath: databasePath)
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent(stem + "-files").path
    }

    /// The documents for the inventory as it is, built the way a push writes them.
    public static func documents(_ r: any StoreReading, now: Date) throws -> [Document] {
        let flags = Dictionary(try r.flags().map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let overrides = Dictionary(grouping: try r.overrides().filter { !$0.isExpired(at: now) }) { "\($0.flagKey) \($0.env)" }
        let states = Dictionary(grouping: try r.states(), by: \.env)
        var out: [Document] = []
        for env in try r.environments().sorted(by: { $0.displayOrder < $1.displayOrder }) {
            let cells = (states[env.id] ?? []).compactMap { s in flags[s.flagKey].map { ($0, s) } }
            func pinned(_ s: FlagState) -> [Override] { overrides["\(s.flagKey) \(s.env)"] ?? [] }
            let powertoolsSaysAll = cells.allSatisfy { PowertoolsMapping.feature(kind: $0.0.valueKind, state: $0.1).warning == nil }
            let forPowertools = powertoolsSaysAll ? cells : cells.filter { f, s in
                !pinned(s).isEmpty || !FlagdMapping.flag(f, s).1.isEmpty
            }
            if !powertoolsSaysAll {
                let elsewhere = Set(forPowertools.map(\.1.flagKey))
                let flagd = cells.filter { !elsewhere.contains($0.1.flagKey) }
                let (doc, _) = FlagdMapping.document(flagd)
                out.append(Document(env: env.id, relativePath: "\(env.id.account)/\(env.id.name)/flags.json", format: .flagd,
                                    bytes: Array(JSONWriter.pretty(doc).utf8)))
            }
            guard !forPowertools.isEmpty else { continue }
            let path = "\(env.id.account)/\(env.id.name)/features.json"
            if let (f, s) = forPowertools.first(where: { PowertoolsMapping.feature(kind: $0.0.valueKind, state: $0.1).warning != nil }) {
                throw FlagDeckError.internalInvariant("demo: \(f.key) in \(s.env) can be written to neither flagd nor Powertools; change sample-data")
            }
            let (bytes, _) = try Exporter.powertools(forPowertools, overrides: forPowertools.flatMap { pinned($0.1) }, now: now, file: path)
            out.append(Document(env: env.id, relativePath: path, format: .powertools, bytes: bytes))
        }
        return out
    }

    /// Marks a directory as the demo's own, so a rebuild may replace it and nothing else.
    static let marker = ".flagdeck-demo"

    /// Only a directory the demo made may be replaced: a folder of the operator's own that
    /// happens to sit where the demo's files go is refused and left as it is.
    public static func ensureReplaceable(_ dir: String) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: dir), !fm.fileExists(atPath: dir + "/" + marker) else { return }
        throw FlagDeckError.invalidArgument(
            "refusing to replace \(dir): the demo keeps its applications' files there, but this directory was not made by `flagdeck demo`; move it or pass another --db")
    }

    /// Writes the documents into a fresh directory beside `dir` and swaps it in. The old
    /// directory (the files of the demo being replaced) is kept under another name until
    /// the new database is in place: `discard` removes it, `restore` puts it back.
    public static func install(_ docs: [Document], at dir: String) throws -> String? {
        let fm = FileManager.default
        let staging = dir + ".building-\(getpid())"
        try? fm.removeItem(atPath: staging)
        try ensureReplaceable(dir)
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
            fm.createFile(atPath: staging + "/" + marker,
                          contents: Data("Made by `flagdeck demo`; rebuilt by `flagdeck demo --reset`.\n".utf8))
            for d in docs {
                let file = staging + "/" + d.relativePath
                try fm.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard fm.createFile(atPath: file, contents: Data(d.bytes)) else {
                    throw FlagDeckError.storage("cannot write the demo document \(file): \(String(cString: strerror(errno)))")
                }
            }
            var backup: String?
            if fm.fileExists(atPath: dir) {
                backup = dir + ".old-\(getpid())"
                try? fm.removeItem(atPath: backup!)
                try fm.moveItem(atPath: dir, toPath: backup!)
            }
            do { try fm.moveItem(atPath: staging, toPath: dir) } catch {
                if let backup { try? fm.moveItem(atPath: backup, toPath: dir) }
                throw error
            }
            return backup
        } catch {
            try? fm.removeItem(atPath: staging)
            throw error
        }
    }

    public static func restore(_ backup: String?, at dir: String) {
        let fm = FileManager.default
        try? fm.removeItem(atPath: dir)
        if let backup { try? fm.moveItem(atPath: backup, toPath: dir) }
    }

    public static func discard(_ backup: String?) {
        if let backup { try? FileManager.default.removeItem(atPath: backup) }
    }
}
