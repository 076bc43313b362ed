import Foundation

/// The documents this process parsed or wrote last, by their exact bytes. A push reads the
/// document before it writes (someone may have changed it), and in a dashboard the next
/// push usually finds the bytes the previous one wrote: then the parse is reused instead
/// of repeated — it was four fifths of a bound kill's CPU at 1,000 flags. A hit needs the
/// same bytes, byte for byte, so a change made elsewhere is always parsed afresh.
enum ParsedDocuments {
    private struct Entry {
        var format: DocumentFormat?
        var file: String
        var document: FlagDocument
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var entries: [Entry] = []
    /// Enough for the documents one dashboard pushes to in a session of kills.
    static let capacity = 8
    /// Larger documents are parsed every time rather than held in memory.
    static let sizeLimit = 4 << 20

    /// `FlagDocuments.parse`, or the document already parsed from these bytes.
    static func parse(_ bytes: [UInt8], format: DocumentFormat?, file: String) throws(FormatError) -> FlagDocument {
        if let hit = lock.withLock({ entries.first { $0.format == format && $0.file == file && same($0.document.bytes, bytes) } }) {
            return hit.document
        }
        let document = try FlagDocuments.parse(bytes, format: format, file: file)
        remember(document, format: format, file: file)
        return document
    }

    /// `==` on byte arrays compares element by element; this is one memcmp.
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }

    /// A document this process wrote: the next read of the same bytes reuses it.
    static func remember(_ document: FlagDocument, format: DocumentFormat?, file: String) {
        guard document.bytes.count <= sizeLimit else { return }
        let dropped: [Entry] = lock.withLock {
            var out = entries.filter { $0.format == format && $0.file == file }
            entries.removeAll { $0.format == format && $0.file == file }
            entries.insert(Entry(format: format, file: file, document: document), at: 0)
            if entries.count > capacity {
                out += entries.suffix(entries.count - capacity)
                entries.removeLast(entries.count - capacity)
            }
            return out
        }
        // A parsed 1,000-flag document takes a tenth of a millisecond to free: not on the
        // push's path.
        if !dropped.isEmpty { DispatchQueue.global(qos: .utility).async { withExtendedLifetime(dropped) {} } }
    }
}
