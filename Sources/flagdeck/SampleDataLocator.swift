import FlagDeckCore
import FlagDeckDemo
import Foundation

/// Finds `sample-data/` so `flagdeck demo` works from any working directory after
/// `swift build`: walk up from the running executable (`.build/<triple>/debug/flagdeck`
/// sits under the checkout), then fall back to this source file's location.
public enum SampleDataLocator {
    public static func locate(filePath: String = #filePath) -> URL? {
        var starts: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        if let exe = Bundle.main.executablePath {
            starts.append(URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        // Sources/FlagDeckCore/Demo/SampleDataLocator.swift → the checkout root.
        starts.append(URL(fileURLWithPath: filePath).deletingLastPathComponent())
        for start in starts {
            var dir = start
            while true {
                let candidate = dir.appendingPathComponent("sample-data")
                if isSampleData(candidate) { return candidate }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    static func isSampleData(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent("history.jsonl").path)
            && FileManager.default.fileExists(atPath: url.appendingPathComponent("flags.json").path)
    }
}
