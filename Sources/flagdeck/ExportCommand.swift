import ArgumentParser
import FlagDeckCore
import Foundation

/// `flagdeck export`: the inventory as Powertools or flagd files. Byte-stable; killed
/// and disabled flags export as off.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export flags as Powertools or flagd files (ACCOUNT/ENV/features.json under --out, else stdout)."
    )
    @OptionGroup var db: DatabaseOptions
    @Option(help: "powertools or flagd.") var format: Exporter.Format
    @Option(help: "Only this environment (ACCOUNT/ENV or an unambiguous ENV).") var env: String?
    @Option(help: "Directory to write ACCOUNT/ENV/features.json into (atomically).") var out: String?

    func run() throws {
        try CLI.run {
            let store = try db.open()
            let (files, warnings) = try store.read { r -> ([Exporter.File], [String]) in
                let e = try env.map { try EnvironmentResolver.resolve($0, in: try r.environments()).id }
                return try Exporter.files(r, format: format, env: e)
            }
            for w in warnings { FileHandle.standardError.write(Data("flagdeck: warning: \(w)\n".utf8)) }
            if let out {
                try Exporter.write(files, to: out)
                for f in files { CLI.out("wrote \(out)/\(f.relativePath)") }
            } else if files.count == 1 {
                FileHandle.standardOutput.write(Data(files[0].contents.utf8))
            } else {
                // Several environments on stdout: one JSON object keyed by ACCOUNT/ENV.
                let docs = files.map { f in (f.env.path, (try? JSONParser.parse(f.contents)) ?? .null) }
                FileHandle.standardOutput.write(Data(JSONWriter.pretty(.object(JSONObject(docs))).utf8))
            }
        }
    }
}

extension Exporter.Format: ExpressibleByArgument {}
