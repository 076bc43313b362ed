import ArgumentParser
import FlagDeckCore
import Foundation

/// `--db`, shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "Database file (default: $FLAGDECK_DB, else $XDG_DATA_HOME/flagdeck/flagdeck.sqlite).")
    var db: String?

    var path: String { StorePath.resolve(explicit: db) }

    func open(create: Bool = false) throws -> SQLiteStore {
        try StoreOpener.open(path: path, create: create)
    }
}

/// `--now`, for every command that judges time, so tests and reports are reproducible.
struct NowOption: ParsableArguments {
    @Option(name: .long, help: "Pretend the current time is this (YYYY-MM-DD or ISO 8601), for ages and reports.")
    var now: String?

    func resolve() throws -> Date {
        guard let now else { return Date() }
        return try CLI.run { try UTC.parseUserDate(now) }
    }
}
