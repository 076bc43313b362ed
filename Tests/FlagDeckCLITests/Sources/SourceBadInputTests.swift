import FlagDeckTestSupport
import Foundation
import Testing

/// Bad bindings are refused with a clear message naming what is wrong, a non-zero exit,
/// and nothing changed: not the database, not the document.
@Suite("Source bad input")
struct SourceBadInputTests {
    static let doc = "{\"checkout\": {\"default\": true}, \"search\": {\"default\": false}}\n"

    struct Case: Sendable {
        var name: String
        var message: String
        /// Builds the situation in `dir` (a fresh database exists at dir/flags.sqlite) and
        /// returns the `source add` arguments.
        var setup: @Sendable (String) throws -> [String]
    }

    static let cases: [Case] = [
        Case(name: "unparseable document", message: "bad.json:1:") { dir in
            FileManager.default.createFile(atPath: dir + "/bad.json", contents: Data("{\"a\": {\"default\": tru}}".utf8))
            return ["source", "add", "shop/prod", "file:" + dir + "/bad.json"]
        },
        Case(name: "missing file", message: "No such file") { dir in ["source", "add", "shop/prod", "file:" + dir + "/nope.json"] },
        Case(name: "a directory", message: "is a directory") { dir in
            try FileManager.default.createDirectory(atPath: dir + "/cfg", withIntermediateDirectories: true)
            return ["source", "add", "shop/prod", "file:" + dir + "/cfg"]
        },
        Case(name: "a file bound twice", message: "already bound to shop/prod") { dir in
            FileManager.default.createFile(atPath: dir + "/f.json", contents: Data(doc.utf8))
            _ = try CLIRunner.run(["source", "add", "shop/prod", "file:" + dir + "/f.json", "--db", dir + "/flags.sqlite"])
            return ["source", "add", "shop/staging", "file:" + dir + "/f.json"]
        },
        Case(name: "a key in two documents", message: "checkout is in both") { dir in
            FileManager.default.createFile(atPath: dir + "/a.json", contents: Data(doc.utf8))
            FileManager.default.createFile(atPath: dir + "/b.json", contents: Data("{\"checkout\": {\"default\": false}}".utf8))
            _ = try CLIRunner.run(["source", "add", "shop/prod", "file:" + dir + "/a.json", "--db", dir + "/flags.sqlite"])
            return ["source", "add", "shop/prod", "file:" + dir + "/b.json"]
        },
        Case(name: "a symlink out of its directory", message: "outside") { dir in
            let elsewhere = CLIRunner.temporaryDirectory() + "/real.json"
            FileManager.default.createFile(atPath: elsewhere, contents: Data(doc.utf8))
            try FileManager.default.createDirectory(atPath: dir + "/app", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: dir + "/app/features.json", withDestinationPath: elsewhere)
            return ["source", "add", "shop/prod", "file:" + dir + "/app/features.json"]
        },
        Case(name: "a 50 MB document", message: "over the") { dir in
            var big = "{\"padding\": {\"default\": true, \"x\": \""
            big += String(repeating: "a", count: 50 << 20)
            big += "\"}}"
            FileManager.default.createFile(atPath: dir + "/big.json", contents: Data(big.utf8))
            return ["source", "add", "shop/prod", "file:" + dir + "/big.json"]
        },
        Case(name: "an unknown scheme", message: "unknown scheme") { _ in ["source", "add", "shop/prod", "ftp://x/y"] },
        Case(name: "a reasonless bind of a protected environment", message: "a reason is required") { dir in
            FileManager.default.createFile(atPath: dir + "/p.json", contents: Data(doc.utf8))
            _ = try CLIRunner.run(["env", "add", "shop/live", "--protected", "--db", dir + "/flags.sqlite"])
            return ["source", "add", "shop/live", "file:" + dir + "/p.json"]
        },
    ]

    @Test(arguments: cases.map(\.name))
    func refusedCleanly(_ name: String) throws {
        let c = Self.cases.first { $0.name == name }!
        let dir = CLIRunner.temporaryDirectory()
        let db = dir + "/flags.sqlite"
        #expect(try CLIRunner.run(["init", "--db", db]).status == 0)
        let args = try c.setup(dir)
        let files = try Self.snapshot(dir)
        let events = try CLIRunner.run(["history", "--json", "--db", db]).stdout
        let r = try CLIRunner.run(args + ["--db", db])
        #expect(r.status != 0 && r.status < 128, "\(name): exit \(r.status)")
        #expect(r.stderr.contains(c.message), "\(name): stderr was \(r.stderr.prefix(500))")
        #expect(r.stderr.count < 2_000, "\(name): the message floods the terminal")
        #expect(try Self.snapshot(dir) == files, "\(name) changed a file")
        #expect(try CLIRunner.run(["history", "--json", "--db", db]).stdout == events, "\(name) wrote an audit event")
    }

    /// Every regular file under `dir`, with its bytes (the database included).
    static func snapshot(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in FileManager.default.subpaths(atPath: dir) ?? [] {
            let path = dir + "/" + name
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                  !name.hasSuffix("-shm"), !name.hasSuffix("-wal") else { continue }
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil { continue }
            out[name] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return out
    }
}
