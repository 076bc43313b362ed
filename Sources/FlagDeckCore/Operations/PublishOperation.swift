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
        let (files, warnings) = try store.read { try Exporter.files($0, format: format, now: clock()) }
        let bindings = try store.read { try $0.sourceBindings() }
        var out: [PublishedFile] = []
        for f in files {
            let path = absolute + "/" + f.relativePath
            let uri = SourceURI.file(path: path).description
            if bindings.contains(where: { $0.env == f.env && Self.sameSource($0.uri, uri) }) {
                out.append(PublishedFile(env: f.env, path: path, bound: false, warnings: []))
                continue
            }
            // The export writes the overrides where the format can say them (Powertools:
            // leading rules) and warns where it cannot, since binding makes the document the truth.
            if !FileManager.default.fileExists(atPath: path) { try Exporter.write([f], to: absolute) }
            let added = try addSource(env: f.env.path, uri: uri, format: format == .flagd ? DocumentFormat.flagd.rawValue : DocumentFormat.powertools.rawValue,
                                      reason: reason.isEmpty ? "published to \(absolute)" : reason)
            out.append(PublishedFile(env: f.env, path: path, bound: true,
                                     warnings: warnings.filter { $0.contains(" in \(f.env) ") } + added.warnings))
        }
        return out
    }
}
