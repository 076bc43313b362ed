import Foundation

/// `publish --out DIR` is what it really is: binding every environment to
/// `DIR/ACCOUNT/ENV/features.json`. A missing file is first written from the inventory;
/// from then on every change reaches it through the same push as any bound source, and
/// changes made to it by other programs are synced. One mechanism, not two.
extension Operations {
    public struct PublishedFile: Sendable {
        public var env: EnvironmentID
        public var path: String
        /// False when the environment was already bound to this file.
        public var bound: Bool
        public var warnings: [String]
    }

    @discardableResult
    public func publish(to dir: String, format: Exporter.Format, reason: String = "") throws -> [PublishedFile] {
        let absolute = ((dir.hasPrefix("/") ? dir : FileManager.default.currentDirectoryPath + "/" + dir) as NSString).standardizingPath
        let (files, warnings) = try store.read { try Exporter.files($0, format: format) }
        let bindings = try store.read { try $0.sourceBindings() }
        var out: [PublishedFile] = []
        for f in files {
            let path = absolute + "/" + f.relativePath
            let uri = SourceURI.file(path: path).description
            if bindings.contains(where: { $0.env == f.env && Self.sameSource($0.uri, uri) }) {
                out.append(PublishedFile(env: f.env, path: path, bound: false, warnings: []))
                continue
            }
            var notes: [String] = []
            if !FileManager.default.fileExists(atPath: path) {
                var file = f
                (file.contents, notes) = try withOverrides(f, format: format)
                try Exporter.write([file], to: absolute)
            }
            let added = try addSource(env: f.env.path, uri: uri, format: format == .flagd ? DocumentFormat.flagd.rawValue : DocumentFormat.powertools.rawValue,
                                      reason: reason.isEmpty ? "published to \(absolute)" : reason)
            out.append(PublishedFile(env: f.env, path: path, bound: true,
                                     warnings: warnings.filter { $0.contains(" in \(f.env) ") } + notes + added.warnings))
        }
        return out
    }

    /// The exported document with each cell's overrides written in, where the format can
    /// say them (Powertools: leading rules); where it cannot, a warning, because binding
    /// makes the document the truth and the applications never saw those overrides.
    func withOverrides(_ f: Exporter.File, format: Exporter.Format) throws -> (String, [String]) {
        let (cells, overrides) = try store.read { r in
            (try r.states().filter { $0.env == f.env }, try r.overrides(flag: nil, env: f.env))
        }
        guard !overrides.isEmpty else { return (f.contents, []) }
        let flags = try store.read { try $0.flags() }
        let docFormat: DocumentFormat = format == .flagd ? .flagd : .powertools
        var doc = try FlagDocuments.parse(Array(f.contents.utf8), format: docFormat, file: f.relativePath)
        var notes: [String] = []
        for key in Set(overrides.map(\.flagKey)).sorted() {
            guard let s = cells.first(where: { $0.flagKey == key }) else { continue }
            let kind = flags.first { $0.key == key }?.valueKind ?? .boolean
            do {
                doc = try doc.applying(DesiredCell(state: s, valueKind: kind, overrides: overrides, now: clock()), to: key,
                                      context: DocumentContext(env: f.env))
            } catch {
                notes.append("\(key) in \(f.env): its overrides cannot be written in \(docFormat.rawValue) (\(error.description)); binding drops them")
            }
        }
        return (doc.text, notes)
    }
}
