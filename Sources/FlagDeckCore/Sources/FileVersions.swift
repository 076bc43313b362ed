import Crypto
import Foundation

/// The content hash of the bytes this process last read from or wrote to each file.
///
/// A bound kill hashes its document three times otherwise — reading it, checking it is
/// unchanged just before the rename, and naming what it wrote — and the next push reads
/// those same bytes again: 77 KB through SHA-256 each time, a fifth of the kill's own CPU.
/// A hit is decided by comparing the bytes themselves, never by anything cheaper, so a
/// file anyone else changed is always hashed afresh.
enum FileVersions {
    private struct Entry {
        var bytes: [UInt8]
        var version: String
    }
    private static let lock = NSLock()
    nonisolated(unsafe) private static var entries: [String: Entry] = [:]
    /// Documents larger than this are hashed every time rather than kept.
    static let keepLimit = 4 << 20

    static func version(of bytes: [UInt8], at path: String) -> String {
        if let e = lock.withLock({ entries[path] }), ParsedDocuments.same(e.bytes, bytes) { return e.version }
        let version = FileSource.version(bytes)
        remember(bytes, version: version, at: path)
        return version
    }

    static func remember(_ bytes: [UInt8], version: String, at path: String) {
        guard bytes.count <= keepLimit else { return }
        lock.withLock { entries[path] = Entry(bytes: bytes, version: version) }
    }
}
