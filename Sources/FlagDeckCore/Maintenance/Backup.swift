import Foundation
import GRDB

/// Consistent online copies through SQLite's backup API: writers keep going while the
/// copy is taken, and the copy is a complete database at one instant.
public enum Backup {
    public static func copy(from store: SQLiteStore, to destination: String, overwrite: Bool = false) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: destination) {
            guard overwrite else { throw FlagDeckError.storage("\(destination) already exists; pass --force to replace it") }
            try? fm.removeItem(atPath: destination)
            for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: destination + suffix) }
        }
        try SQLiteStore.createEmptyFile(destination)
        do {
            let target = try DatabaseQueue(path: destination)
            try store.queue.backup(to: target)
            try target.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
            try target.close()
        } catch {
            try? fm.removeItem(atPath: destination)
            throw SQLiteStore.map(error, path: destination)
        }
    }
}
