import Foundation
import Testing
@testable import FlagDeckCore

/// Every file in Vectors/bad-inputs is refused with an error naming the file and the
/// JSON path listed in expected.jsonl, and the database file is byte-for-byte unchanged.
@Suite struct BadInputCorpusTests {
    static let dir = VectorFiles.directory.appendingPathComponent("bad-inputs").path

    static func read(_ file: String, format: String) throws -> ImportPlan {
        format == "powertools" ? try ImportReader.powertools(path: file, env: "acme/prod")
                               : try ImportReader.featuresConfig(path: file, account: "acme")
    }

    @Test func everyBadInputIsRefusedWithItsLocation() throws {
        let manifest = try VectorFiles.lines("bad-inputs/expected.jsonl")
        let db = temporaryDirectory() + "/t.sqlite"
        let store = try SQLiteStore(path: db, create: true)
        let ops = Operations(store: store, actor: Actor(name: "alice", host: "test"))
        try ops.initialize()
        try ops.importPlan(try ImportReader.powertools(path: ImportExportTests.tree, env: nil))
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        var failures: [String] = []
        for m in manifest {
            let file = Self.dir + "/" + m["file"]!.stringValue!
            do {
                try ops.importPlan(try Self.read(file, format: m["format"]!.stringValue!))
                failures.append("\(file): imported")
            } catch let e as FormatError {
                if e.location?.file != file || e.location?.path != m["path"]!.stringValue! || !e.description.contains(file) {
                    failures.append("\(m["file"]!.stringValue!): expected \(m["path"]!.stringValue!), got \(e)")
                }
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
        print("bad-input corpus: \(manifest.count - failures.count)/\(manifest.count) refused with file and path")
        #expect(manifest.count >= 50)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func tenMegabyteStringsAreHandled() throws {
        let file = temporaryDirectory() + "/big.json"
        let big = String(repeating: "x", count: 10_000_000)
        try "{\"\(big)\": {\"default\": false}}".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: FormatError.self) { try ImportReader.powertools(path: file, env: "acme/prod") }
        // A 10 MB string where a string is allowed is fine (Powertools accepts it too).
        try "{\"a\": {\"default\": false, \"rules\": {\"r\": {\"when_match\": true, \"conditions\": [{\"action\": \"EQUALS\", \"key\": \"k\", \"value\": \"\(big)\"}]}}}}"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let plan = try ImportReader.powertools(path: file, env: "acme/prod")
        #expect(plan.cells.count == 1)
    }
}
