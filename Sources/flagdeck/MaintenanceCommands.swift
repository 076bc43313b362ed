import ArgumentParser
import FlagDeckCore
import Foundation

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check integrity, the audit chain, schema, permissions and WAL state.")
    @OptionGroup var db: DatabaseOptions
    @Flag(help: "JSON output.") var json = false

    func run() throws {
        let findings = Doctor.examine(path: db.path)
        if json {
            CLI.out(JSONValue.array(findings.map {
                .object([("check", .string($0.check)), ("status", .string($0.status.rawValue)),
                         ("detail", .string($0.detail)), ("fix", .optional($0.fix))])
            }).render())
        } else {
            for f in findings {
                CLI.out("\(f.status.rawValue.uppercased().padding(toLength: 4, withPad: " ", startingAt: 0)) \(f.check): \(f.detail)"
                        + (f.fix.map { "\n     fix: \($0)" } ?? ""))
            }
        }
        if findings.contains(where: { $0.status == .fail }) { throw ExitCode(1) }
    }
}

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Take a consistent online copy (SQLite backup API) while others keep writing.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "Where to write the copy.") var destination: String
    @Flag(help: "Replace an existing file.") var force = false

    func run() throws {
        try CLI.run {
            guard let store = try db.open() as? SQLiteStore else {
                throw FlagDeckError.storage("backup copies an SQLite file; for a PostgreSQL database use the server's own tools (pg_dump)")
            }
            try Backup.copy(from: store, to: destination, overwrite: force)
            let head = try AuditLog.head(try SQLiteStore(path: destination))
            CLI.out("backed up \(store.location) to \(destination) (audit head seq \(head?.seq ?? 0))")
        }
    }
}
