import Foundation

/// Times are stored and hashed as fixed-width UTC text (`2026-11-21T04:43:02.123Z`), so
/// string order is time order and the hash chain never depends on a formatter's locale.
public enum UTC {
    public static func format(_ date: Date) -> String {
        let ms = (date.timeIntervalSince1970 * 1000).rounded(.down)
        var secs = time_t(Int64((ms / 1000).rounded(.down)))
        let millis = Int(ms - Double(secs) * 1000)
        var tm = tm()
        gmtime_r(&secs, &tm)
        // Hand-formatted: String(format:) goes through CoreFoundation and showed up in
        // the kill path's profile; this runs for every audit event.
        var out = [UInt8](repeating: 0, count: 24)
        func put(_ v: Int, _ at: Int, _ width: Int) {
            var v = v
            for i in stride(from: at + width - 1, through: at, by: -1) { out[i] = UInt8(48 + v % 10); v /= 10 }
        }
        put(Int(tm.tm_year) + 1900, 0, 4); out[4] = 45
        put(Int(tm.tm_mon) + 1, 5, 2); out[7] = 45
        put(Int(tm.tm_mday), 8, 2); out[10] = 84
        put(Int(tm.tm_hour), 11, 2); out[13] = 58
        put(Int(tm.tm_min), 14, 2); out[16] = 58
        put(Int(tm.tm_sec), 17, 2); out[19] = 46
        put(millis, 20, 3); out[23] = 90
        return String(decoding: out, as: UTF8.self)
    }

    /// Day-only form for expiry dates and reports.
    public static func formatDay(_ date: Date) -> String {
        String(format(date).prefix(10))
    }

    /// Parses our own stored form quickly (hot in analytics over millions of events);
    /// falls back to `parseUserDate` for anything else.
    public static func parseStored(_ s: String) -> Date? {
        var text = s
        // withUTF8 reads the string's own bytes: no array per call, which matters when
        // the grid loads half a million cells.
        if let parsed = text.withUTF8({ parseStored(utf8: $0) }) { return parsed }
        return try? parseUserDate(s)
    }

    /// The stored form straight from bytes (a SQLite column's own buffer): the grid reads
    /// half a million of these, and a `String` of 24 bytes is a heap allocation each.
    /// `.none` when the bytes are not in the stored form (then `parseStored` tries the
    /// lenient forms); `.some(nil)` when they are but a field is not a number.
    static func parseStored(utf8 u: UnsafeBufferPointer<UInt8>) -> Date?? {
        guard u.count >= 20, u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58 else { return .none }
        func num(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for i in a..<b { let c = Int(u[i]) - 48; guard c >= 0 && c <= 9 else { return nil }; v = v * 10 + c }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13),
              let mi = num(14, 16), let se = num(17, 19) else { return .some(nil) }
        var millis = 0
        if u.count >= 24, u[19] == 46, let m = num(20, 23) { millis = m }
        let days = CivilDateTime.daysFromCivil(y, mo, d)
        return .some(Date(timeIntervalSince1970: Double(days * 86_400 + h * 3600 + mi * 60 + se) + Double(millis) / 1000))
    }

    /// Accepts `YYYY-MM-DD` (midnight UTC) or ISO 8601 with `Z` or an offset.
    public static func parseUserDate(_ s: String) throws(FlagDeckError) -> Date {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.utf8.count == 10 {
            let p = t.split(separator: "-")
            if p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]),
               (1...12).contains(m), (1...31).contains(d), p[0].count == 4 {
                return Date(timeIntervalSince1970: Double(CivilDateTime.daysFromCivil(y, m, d) * 86_400))
            }
            throw .invalidDate(s)
        }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: t) { return d }
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: t) { return d }
        throw .invalidDate(s)
    }

}
