import Foundation

/// A wall-clock date and time with no zone, compared field by field. Powertools attaches
/// the condition's zone to both the schedule bounds and "now", and Python compares
/// datetimes sharing one tzinfo by wall clock, so this is the exact comparison it makes.
public struct CivilDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year, month, day, hour, minute, second, microsecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second; self.microsecond = microsecond
    }

    var tuple: [Int] { [year, month, day, hour, minute, second, microsecond] }

    public static func < (a: CivilDateTime, b: CivilDateTime) -> Bool {
        a.tuple.lexicographicallyPrecedes(b.tuple)
    }

    public var description: String {
        String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d", year, month, day, hour, minute, second, microsecond)
    }

    /// Monday = 0 ... Sunday = 6, like Python's `weekday()`.
    public var weekday: Int {
        let d = CivilDateTime.daysFromCivil(year, month, day)
        // 1970-01-01 was a Thursday (3).
        return Int(((d % 7) + 7 + 3) % 7)
    }

    public static let weekdayNames = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The wall clock at `date` in `zone`, to the microsecond.
    public static func at(_ date: Date, in zone: TimeZone) -> CivilDateTime {
        let t = date.timeIntervalSince1970
        var secs = Int(t.rounded(.down))
        var micros = Int(((t - Double(secs)) * 1_000_000).rounded())
        if micros >= 1_000_000 { secs += 1; micros -= 1_000_000 }
        let local = secs + zone.secondsFromGMT(for: date)
        let days = Int((Double(local) / 86_400).rounded(.down))
        let rem = local - days * 86_400
        let (y, m, d) = civilFromDays(days)
        return CivilDateTime(year: y, month: m, day: d, hour: rem / 3600, minute: rem % 3600 / 60, second: rem % 60,
                             microsecond: micros)
    }
}

/// CPython 3.11's `datetime.fromisoformat`, which Powertools uses for
/// `SCHEDULE_BETWEEN_DATETIME_RANGE` bounds: the same accepted forms (calendar and week
/// dates, basic and extended times, any one-character separator, 1+ fraction digits
/// truncated to microseconds), and the same refusals.
public enum PythonISODateTime {
    public enum Result: Sendable, Equatable {
        case naive(CivilDateTime)
        /// Parsed with a UTC offset or `Z`; Powertools refuses these bounds.
        case aware
    }

    public static func parse(_ text: String) -> Result? {
        let s = Array(text.unicodeScalars)
        guard s.count >= 7 else { return nil }
        guard let sep = separatorPosition(s) else { return nil }
        let datePart = Array(s[0..<min(sep, s.count)])
        guard let (y, m, d) = parseDate(datePart) else { return nil }
        var dt = CivilDateTime(year: y, month: m, day: d)
        if s.count > sep {
            let timePart = Array(s[(sep + 1)...])
            guard timePart.count >= 2 else { return nil }
            if let tzAt = timePart.firstIndex(where: { $0 == "+" || $0 == "-" || $0 == "Z" }) {
                // Whether the offset parses or not, the result is never a naive datetime.
                guard parseTime(Array(timePart[..<tzAt])) != nil else { return nil }
                return validOffset(Array(timePart[tzAt...])) ? .aware : nil
            }
            guard let (h, mi, sec, us) = parseTime(timePart) else { return nil }
            dt.hour = h; dt.minute = mi; dt.second = sec; dt.microsecond = us
        }
        return .naive(dt)
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }

    static func num(_ s: ArraySlice<Unicode.Scalar>) -> Int? {
        guard !s.isEmpty, s.allSatisfy(isDigit) else { return nil }
        return s.reduce(0) { $0 * 10 + Int($1.value - 48) }
    }

    static func separatorPosition(_ s: [Unicode.Scalar]) -> Int? {
        let n = s.count
        if n == 7 { return 7 }
        if s[4] == "-" {
            if s[5] == "W" {
                if n > 8 && s[8] == "-" {
                    if n == 9 { return nil }
                    if n > 10 && isDigit(s[10]) { return 8 }
                    return 10
                }
                return 8
            }
            return 10
        }
        if s[4] == "W" {
            var idx = 7
            while idx < n && isDigit(s[idx]) { idx += 1 }
            if idx < 9 { return idx }
            return idx % 2 == 0 ? 7 : 8
        }
        return 8
    }

    static func parseDate(_ s: [Unicode.Scalar]) -> (Int, Int, Int)? {
        guard [7, 8, 10].contains(s.count), let year = num(s[0..<4]), year >= 1 else { return nil }
        let hasSep = s[4] == "-"
        var pos = 4 + (hasSep ? 1 : 0)
        guard pos < s.count else { return nil }
        if s[pos] == "W" {
            pos += 1
            guard pos + 2 <= s.count, let week = num(s[pos..<pos + 2]) else { return nil }
            pos += 2
            var dayNo = 1
            if s.count > pos {
                guard (s[pos] == "-") == hasSep else { return nil }
                pos += hasSep ? 1 : 0
                guard pos + 1 == s.count, let d = num(s[pos..<pos + 1]) else { return nil }
                dayNo = d
            }
            return isoWeekToGregorian(year, week, dayNo)
        }
        guard pos + 2 <= s.count, let month = num(s[pos..<pos + 2]) else { return nil }
        pos += 2
        guard pos < s.count, (s[pos] == "-") == hasSep else { return nil }
        pos += hasSep ? 1 : 0
        guard pos + 2 == s.count, let day = num(s[pos..<pos + 2]) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDateTime.daysInMonth(year, month) else { return nil }
        return (year, month, day)
    }

    static func isoWeekToGregorian(_ year: Int, _ week: Int, _ day: Int) -> (Int, Int, Int)? {
        guard (1...7).contains(day), week >= 1 else { return nil }
        let jan1 = CivilDateTime.daysFromCivil(year, 1, 1)
        let jan1Weekday = ((jan1 % 7) + 7 + 3) % 7  // Monday = 0
        if week > 52 {
            // Only years starting on a Thursday, or leap years starting on a Wednesday, have week 53.
            let leap = CivilDateTime.daysInMonth(year, 2) == 29
            guard week == 53, jan1Weekday == 3 || (jan1Weekday == 2 && leap) else { return nil }
        }
        let week1Monday = jan1Weekday > 3 ? jan1 + (7 - jan1Weekday) : jan1 - jan1Weekday
        let (y, m, d) = CivilDateTime.civilFromDays(week1Monday + (week - 1) * 7 + (day - 1))
        guard y >= 1 && y <= 9999 else { return nil }
        return (y, m, d)
    }

    static func parseTime(_ s: [Unicode.Scalar]) -> (Int, Int, Int, Int)? {
        var comps = [0, 0, 0]
        var micro = 0
        var pos = 0
        var hasSep = false
        for comp in 0..<3 {
            guard s.count - pos >= 2, let v = num(s[pos..<pos + 2]) else { return nil }
            comps[comp] = v
            pos += 2
            let next: Unicode.Scalar? = pos < s.count ? s[pos] : nil
            if comp == 0 { hasSep = next == ":" }
            if next == nil || comp >= 2 { break }
            if hasSep && next != ":" { return nil }
            pos += hasSep ? 1 : 0
        }
        if pos < s.count {
            guard s[pos] == "." || s[pos] == "," else { return nil }
            pos += 1
            let rest = s[pos...]
            guard !rest.isEmpty, rest.allSatisfy(isDigit) else { return nil }
            let take = rest.prefix(6)
            micro = num(take)! * [100_000, 10_000, 1000, 100, 10, 1][take.count - 1]
        }
        guard comps[0] <= 23, comps[1] <= 59, comps[2] <= 59 else { return nil }
        return (comps[0], comps[1], comps[2], micro)
    }

    /// `Z`, or `±HH[:MM[:SS[.ffffff]]]` / basic form, as CPython accepts after a time.
    static func validOffset(_ s: [Unicode.Scalar]) -> Bool {
        if s == ["Z"] { return true }
        guard let f = s.first, f == "+" || f == "-" else { return false }
        let body = Array(s.dropFirst())
        guard [2, 4, 5, 6, 8].contains(body.count) || body.count > 8 else { return false }
        return parseTime(body) != nil
    }
}

extension CivilDateTime {
    /// The instant this wall-clock time denotes in UTC.
    public var utcDate: Date {
        let days = CivilDateTime.daysFromCivil(year, month, day)
        let secs = days * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(secs) + Double(microsecond) / 1_000_000)
    }

    /// Parses an instant for `--now` and vectors: an ISO 8601 date-time that ends in `Z`
    /// or a `±HH:MM` offset (a bare date-time is refused: "now" must not depend on the
    /// machine's zone).
    public static func parseInstant(_ text: String) -> Date? {
        var s = Substring(text)
        var offset = 0
        if s.hasSuffix("Z") || s.hasSuffix("z") {
            s = s.dropLast()
        } else if s.count > 6 {
            let tail = s.suffix(6)
            let u = Array(tail.utf8)
            guard u[0] == UInt8(ascii: "+") || u[0] == UInt8(ascii: "-"), u[3] == UInt8(ascii: ":"),
                  let h = Int(String(tail.dropFirst().prefix(2))), let m = Int(String(tail.suffix(2))), h <= 23, m <= 59
            else { return nil }
            offset = (h * 60 + m) * 60 * (u[0] == UInt8(ascii: "-") ? -1 : 1)
            s = s.dropLast(6)
        } else {
            return nil
        }
        guard case .naive(let dt)? = PythonISODateTime.parse(String(s)) else { return nil }
        return dt.utcDate.addingTimeInterval(TimeInterval(-offset))
    }
}
