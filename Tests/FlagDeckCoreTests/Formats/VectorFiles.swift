import Foundation
@testable import FlagDeckCore

/// Locates committed vector files next to the test sources, without SwiftPM resources.
enum VectorFiles {
    static let directory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Vectors")

    static func lines(_ name: String) throws -> [JSONValue] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        var out: [JSONValue] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            out.append(try JSONParser.parse(Array(line)))
        }
        return out
    }
}
