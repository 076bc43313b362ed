import Foundation

/// A resolved `TIMEZONE` for schedule conditions: an IANA zone (offsets from Foundation's
/// copy of the same database) or a TZ string read the way dateutil's `tzstr` reads it.
public struct ZoneRef: Sendable, Hashable {
    public let name: String
    public let rules: Rules

    public enum Rules: Sendable, Hashable {
        case iana(TimeZone)
        case posix(PosixTimeZone)
    }

    public init(name: String, rules: Rules) {
        self.name = name
        self.rules = rules
    }

    /// The wall clock of `datetime.now(tz)` at `date`, which is all Powertools looks at:
    /// it attaches this same tzinfo to the schedule bounds, and Python compares datetimes
    /// sharing a tzinfo by wall clock, ignoring `fold`. nil where dateutil raises (a rule
    /// month outside 1...12, a date past year 9999), which makes the condition not match.
    ///
    /// `forStrftime` adds what `now.strftime("%A")` does on top, for the day-of-week
    /// condition: `timetuple()` calls `now.dst()`, which raises for a TZ string whose DST
    /// shifts the clock by 24 hours or more.
    public func wallClock(at date: Date, forStrftime: Bool = false) -> CivilDateTime? {
        switch rules {
        case .iana(let zone):
            return CivilDateTime.at(date, in: zone)
        case .posix(let zone):
            do {
                let utc = try PyDateTime.micros(CivilDateTime.at(date, in: ZoneResolver.utc))
                let (wall, fold) = try zone.wallClock(fromUTC: utc)
                if forStrftime { _ = try zone.checkedDST(wall, fold: fold) }
                return PyDateTime.civil(wall)
            } catch {
                return nil
            }
        }
    }
}

/// Resolves `TIMEZONE` values the way Powertools' `dateutil.tz.gettz(name)` does on Linux
/// (python-dateutil 2.9.0), in its order:
///
/// 1. a leading ':' is dropped (a lone ':' means the machine's `/etc/localtime`);
/// 2. an absolute path is read as a zone file;
/// 3. otherwise the name is looked up as a file under each system zoneinfo directory,
///    as given and then with spaces read as underscores (case-sensitive, so `EST5EDT`
///    and `Etc/GMT+3` are the IANA files, not TZ strings);
/// 4. then in the copy of the IANA database dateutil ships (`DateutilZoneNames`);
/// 5. then, if the name has an ASCII digit, as a TZ string (`PosixTimeZoneParser`);
/// 6. then `GMT` and `UTC`. Anything else is None, which Powertools' validator refuses.
///
/// Zone files are identified by their TZif magic and mapped to the Foundation zone of
/// the same IANA name (following symlinks such as `posix/…` and `posixrules`); a file
/// Foundation has no zone for (`right/…`) is refused rather than guessed at.
public enum ZoneResolver {
    static let zoneDirs = ["/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo", "/etc/zoneinfo"]
    static let utc = TimeZone(identifier: "UTC")!

    private static let cache = ZoneCache()

    public static func resolve(_ rawName: String) -> ZoneRef? {
        if let hit = cache.get(rawName) { return hit.value }
        let r = lookup(rawName)
        cache.put(rawName, r)
        return r
    }

    static func lookup(_ rawName: String) -> ZoneRef? {
        func ref(_ zone: TimeZone?) -> ZoneRef? { zone.map { ZoneRef(name: rawName, rules: .iana($0)) } }
        if rawName == ":" {
            // gettz's TZFILES: /etc/localtime, then a `localtime` file in the zone
            // directories, else tzlocal() (the process zone, UTC for flagdeck).
            if isTZif("/etc/localtime") { return ref(foundationZone(forFile: "/etc/localtime", name: nil)) }
            for dir in zoneDirs where isTZif(dir + "/localtime") {
                return ref(foundationZone(forFile: dir + "/localtime", name: nil))
            }
            return ref(utc)
        }
        // Python compares code points; Swift's String would treat ":" plus a combining
        // mark as one character, so these tests work on scalars.
        let name = rawName.unicodeScalars.first == ":" ? scalars(rawName.unicodeScalars.dropFirst()) : rawName
        let canStat = !name.unicodeScalars.contains("\0")
        if name.unicodeScalars.first == "/" {
            // `tzfile(name)` raises for a file that is not TZif; either way it is refused.
            guard canStat, isTZif(name) else { return nil }
            return ref(foundationZone(forFile: name, name: nil))
        }
        if canStat {
            for dir in zoneDirs {
                var path = dir + "/" + name
                var lookedUp = name
                if !isRegularFile(path) {
                    path = spacesToUnderscores(path)
                    lookedUp = spacesToUnderscores(name)
                    guard isRegularFile(path) else { continue }
                }
                // A file that is not TZif is skipped, as `tzfile` raising ValueError is.
                guard isTZif(path) else { continue }
                return ref(foundationZone(forFile: path, name: lookedUp))
            }
        }
        if DateutilZoneNames.all.contains(where: { JSONCompare.sameScalars($0, name) }) {
            return ref(TimeZone(identifier: DateutilZoneNames.foundationStandIns[name] ?? name))
        }
        if name.unicodeScalars.contains(where: { $0.value >= 48 && $0.value <= 57 }) {
            guard case .zone(let z) = PosixTimeZoneParser.parse(name) else { return nil }
            return ZoneRef(name: rawName, rules: .posix(z))
        }
        if JSONCompare.sameScalars(name, "GMT") || JSONCompare.sameScalars(name, "UTC") { return ref(utc) }
        return nil
    }

    static func scalars<S: Sequence<Unicode.Scalar>>(_ s: S) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s)
        return String(v)
    }

    static func spacesToUnderscores(_ s: String) -> String {
        scalars(s.unicodeScalars.map { $0 == " " ? "_" : $0 })
    }

    /// The Foundation zone for a TZif file: by the name it was looked up under, else by
    /// the IANA name its real path has under a zone directory.
    static func foundationZone(forFile path: String, name: String?) -> TimeZone? {
        if let name, let tz = TimeZone(identifier: name) { return tz }
        let real = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        for d in zoneDirs where real.hasPrefix(d + "/") {
            if let tz = TimeZone(identifier: String(real.dropFirst(d.count + 1))) { return tz }
        }
        return nil
    }

    /// `os.path.isfile`: a regular file, after following symlinks.
    static func isRegularFile(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
    }

    static func isTZif(_ path: String) -> Bool {
        guard isRegularFile(path), let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let magic = (try? h.read(upToCount: 4)) ?? Data()
        return magic == Data("TZif".utf8)
    }
}

/// Keyed by code points: NFC and NFD spellings of a name are different names to gettz.
final class ZoneCache: @unchecked Sendable {
    struct Entry { let value: ZoneRef? }
    private var map: [ScalarKey: Entry] = [:]
    private let lock = NSLock()
    func get(_ k: String) -> Entry? { lock.lock(); defer { lock.unlock() }; return map[ScalarKey(k)] }
    func put(_ k: String, _ v: ZoneRef?) { lock.lock(); map[ScalarKey(k)] = Entry(value: v); lock.unlock() }
}
