import Foundation

/// The package root, found from this file's location, so tests reach `sample-data/`,
/// `../shared/seeds` and the virtualenvs under `.build/` from any working directory.
public enum RepoRoot {
    public static let url: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("repository root not found above \(#filePath)")
    }()

    public static var path: String { url.path }

    public static func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    /// A fresh directory per call, so tests never share state.
    public static func temporaryDirectory(_ prefix: String = "flagdeck-test") -> String {
        let dir = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
