import ArgumentParser
import FlagDeckCore
import FlagDeckPostgres
import Foundation

/// `flagdeck migrate --to postgresql://…`: moves a team onto a shared server. The copy
/// is whole and verbatim (see `PostgresMigration`), so `audit verify` gives the same head
/// hash on both sides; a target with anything in it is refused untouched.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy an SQLite database whole into an empty PostgreSQL database (team mode).",
        discussion: """
            The target is a postgresql:// or postgres:// URL (libpq's forms; PGPASSWORD, ~/.pgpass, PGSSLMODE and the \
            other PG* variables apply). It must be empty: no tables, or a flagdeck schema with nothing in it. The copy \
            runs in one transaction: interrupted, it leaves the target empty. See docs/team-mode.md.
            """)

    @OptionGroup var db: DatabaseOptions
    @Option(name: .long, help: "URL of the empty PostgreSQL database to copy into.")
    var to: String

    func run() throws {
        try CLI.run {
            guard PostgresURL.isPostgres(to) else {
                throw ValidationError("--to must be a postgresql:// or postgres:// URL, got \(PostgresURL.redacted(to))")
            }
            guard !PostgresURL.isPostgres(db.path) else {
                throw FlagDeckError.storage("migrate copies from an SQLite file; --db \(PostgresURL.redacted(db.path)) is already PostgreSQL")
            }
            let source = try SQLiteStore(path: db.path)
            let bar = isatty(STDERR_FILENO) == 1 ? ProgressBar(label: "copying audit events") : nil
            let report = try PostgresMigration.copy(from: source, to: to) { done, total in bar?.update(Int(done), of: Int(total)) }
            bar?.finish()
            CLI.out("copied \(db.path) to \(report.target): \(report.environments) environments, \(report.flags) flags, "
                    + "\(report.cells) cells, \(report.overrides) overrides, \(report.settings) settings, \(report.events) audit events")
            if let head = report.head { CLI.out("head seq \(head.seq) hash \(head.hash) (the same on both; check with `flagdeck audit verify --expect`)") }
        }
    }
}
