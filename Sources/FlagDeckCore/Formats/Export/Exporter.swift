import Foundation

/// Renders the inventory as files. Pure over a store snapshot: the same inventory gives
/// the same bytes (flags sorted by key, fixed member order, `JSONWriter.pretty`).
public enum Exporter {
    public enum Format: String, Sendable, CaseIterable {
        case powertools
        case flagd
    }

    public struct File: Sendable, Equatable {
        public var env: EnvironmentID
        /// `ACCOUNT/ENV/features.json`, relative to the output directory.
        public var relativePath: String
        public var contents: String
    }

    /// Overrides in force at `now` are written where the format has them (Powertools: as
    /// override rules, first, as a push writes them); flagd has nowhere to mark one, so
    /// each flag that has any is named in a warning rather than dropped in silence.
    public static func files(_ r: any StoreReading, format: Format, env: EnvironmentID? = nil,
                             now: Date = Date()) throws -> (files: [File], warnings: [String]) {
        let flags = try r.flags()
        let byKey = Dictionary(flags.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [File] = []
        var warnings: [String] = []
        let envs = try r.environments().map(\.id).filter { env == nil || $0 == env }.sorted()
        // Grouped once, not filtered again for each environment (50 × 500,000 cells).
        let statesByEnv = Dictionary(grouping: try r.states(), by: \.env)
        let overridesByEnv = Dictionary(grouping: try r.overrides().filter { !$0.isExpired(at: now) }, by: \.env)
        for e in envs {
            let cells = (statesByEnv[e] ?? []).compactMap { s in byKey[s.flagKey].map { ($0, s) } }
            let pinned = overridesByEnv[e] ?? []
            let path = "\(e.account)/\(e.name)/features.json"
            let text: String
            if format == .powertools {
                let (bytes, w) = try powertools(cells, overrides: pinned, now: now, file: path)
                text = String(decoding: bytes, as: UTF8.self)
                warnings += w
            } else {
                let (doc, w) = FlagdMapping.document(cells)
                text = JSONWriter.pretty(doc)
                warnings += w
                for key in Set(pinned.map(\.flagKey)).sorted() {
                    warnings.append("\(key) in \(e) has overrides, which flagd cannot hold (JsonLogic has nowhere to mark one): they are not in the flagd document, and binding it drops them")
                }
            }
            out.append(File(env: e, relativePath: path, contents: text))
        }
        return (out, warnings)
    }

    /// One environment's Powertools document: the cells in export form, then each flag's
    /// overrides in force written in through the push's own edit.
    public static func powertools(_ cells: [(Flag, FlagState)], overrides: [Override], now: Date,
                                  file: String) throws -> (bytes: [UInt8], warnings: [String]) {
        let (tree, warnings) = PowertoolsMapping.document(cells)
        let text = JSONWriter.pretty(tree)
        let byFlag = Dictionary(grouping: overrides, by: \.flagKey)
        guard cells.contains(where: { byFlag[$0.0.key] != nil }) else { return (Array(text.utf8), warnings) }
        var doc = try FlagDocuments.parse(text, format: .powertools, file: file)
        for (f, s) in cells {
            guard let pinned = byFlag[f.key] else { continue }
            doc = try doc.applying(DesiredCell(state: s, valueKind: f.valueKind, overrides: pinned, now: now), to: f.key,
                                   context: DocumentContext(env: s.env))
        }
        return (doc.bytes, warnings)
    }

    /// Writes each file with a temporary file and `rename`, so a reader sees the old
    /// file or the new one, never half of one. Unchanged files are not rewritten.
    public static func write(_ files: [File], to dir: String) throws(FormatError) {
        let fm = FileManager.default
        for f in files {
            let path = dir + "/" + f.relativePath
            let folder = (path as NSString).deletingLastPathComponent
            do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw .io(path: folder, "cannot create directory: \(error.localizedDescription)")
            }
            let data = Data(f.contents.utf8)
            if fm.contents(atPath: path) == data { continue }
            let tmp = folder + "/.features.json.\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
            guard fm.createFile(atPath: tmp, contents: data) else { throw .io(path: tmp, "cannot write temporary file") }
            if let h = FileHandle(forWritingAtPath: tmp) { fsync(h.fileDescriptor); try? h.close() }
            guard rename(tmp, path) == 0 else {
                let e = String(cString: strerror(errno))
                unlink(tmp)
                throw .io(path: path, "cannot replace file: \(e)")
            }
        }
    }
}
