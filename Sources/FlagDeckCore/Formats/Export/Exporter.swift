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

    public static func files(_ r: any StoreReading, format: Format, env: EnvironmentID? = nil) throws -> (files: [File], warnings: [String]) {
        let flags = try r.flags()
        let byKey = Dictionary(flags.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [File] = []
        var warnings: [String] = []
        let envs = try r.environments().map(\.id).filter { env == nil || $0 == env }.sorted()
        let states = try r.states()
        for e in envs {
            let cells = states.filter { $0.env == e }.compactMap { s in byKey[s.flagKey].map { ($0, s) } }
            let (doc, w) = format == .powertools ? PowertoolsMapping.document(cells) : FlagdMapping.document(cells)
            warnings += w
            out.append(File(env: e, relativePath: "\(e.account)/\(e.name)/features.json", contents: JSONWriter.pretty(doc)))
        }
        return (out, warnings)
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
