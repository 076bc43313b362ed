import Foundation

/// A resolved IANA zone for schedule conditions.
public struct ZoneRef: Sendable, Hashable {
    public let name: String
    public let zone: TimeZone
}

/// Resolves `TIMEZONE` values the way Powertools' `dateutil.tz.gettz` does on Linux:
/// names are looked up as files under the system zoneinfo directory (spaces read as
/// underscores, case-sensitive), plus the special names UTC and GMT. Offsets are then
/// computed by Foundation from the same IANA identifier.
///
/// Known gap: gettz also accepts POSIX TZ strings such as `EST+5` or `UTC+2`; those are
/// refused here with a clear error rather than interpreted.
public enum ZoneResolver {
    static let zoneDirs = ["/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo", "/etc/zoneinfo"]

    private static let cache = ZoneCache()

    public static func resolve(_ rawName: String) -> ZoneRef? {
        if let hit = cache.get(rawName) { return hit.value }
        let r = lookup(rawName)
        cache.put(rawName, r)
        return r
    }

    static func lookup(_ rawName: String) -> ZoneRef? {
        let name = rawName.replacingOccurrences(of: " ", with: "_")
        if name == "UTC" || name == "GMT" { return ZoneRef(name: rawName, zone: TimeZone(identifier: "UTC")!) }
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\0"),
              !name.split(separator: "/").contains("..") else { return nil }
        for dir in zoneDirs {
            let path = dir + "/" + name
            guard isTZif(path) else { continue }
            if let tz = TimeZone(identifier: name) { return ZoneRef(name: rawName, zone: tz) }
            // Links Foundation does not list (posixrules, localtime): follow them to the zone they name.
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            for d in zoneDirs where real.hasPrefix(d + "/") {
                if let tz = TimeZone(identifier: String(real.dropFirst(d.count + 1))) { return ZoneRef(name: rawName, zone: tz) }
            }
            return nil
        }
        return nil
    }

    static func isTZif(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
              let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let magic = (try? h.read(upToCount: 4)) ?? Data()
        return magic == Data("TZif".utf8)
    }
}

final class ZoneCache: @unchecked Sendable {
    struct Entry { let value: ZoneRef? }
    private var map: [String: Entry] = [:]
    private let lock = NSLock()
    func get(_ k: String) -> Entry? { lock.lock(); defer { lock.unlock() }; return map[k] }
    func put(_ k: String, _ v: ZoneRef?) { lock.lock(); map[k] = Entry(value: v); lock.unlock() }
}
