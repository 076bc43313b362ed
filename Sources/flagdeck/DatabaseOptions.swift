import ArgumentParser
import FlagDeckCore
import FlagDeckPostgres
import Foundation

/// `--db`, shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "Database file, or a postgresql:// URL for team mode (default: $FLAGDECK_DB, else $XDG_DATA_HOME/flagdeck/flagdeck.sqlite).")
    var db: String?

    var path: String { StorePath.resolve(explicit: db) }

    /// A `postgresql://` or `postgres://` URL is a team database on a server; anything
    /// else is an SQLite file.
    func open(create: Bool = false) throws -> any FlagStore {
        try Self.open(path, create: create)
    }

    static func open(_ location: String, create: Bool = false) throws -> any FlagStore {
        if PostgresURL.isPostgres(location) { return try PostgresStore(url: location, create: create) }
        return try SQLiteStore(path: location, create: create)
    }

    /// Who the operations act as: on a server the role it authenticated, with the OS
    /// account and host as context; on a file the OS account.
    static func actor(for store: any FlagStore) -> Actor {
        (store as? PostgresStore)?.actor() ?? .current()
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
