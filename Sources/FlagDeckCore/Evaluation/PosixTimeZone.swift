/// A `TIMEZONE` given as a TZ string (`UTC+3`, `EST5EDT4`, `CET-1CEST,M3.5.0,M10.5.0/3`)
/// and read the way python-dateutil 2.9.0's `tzstr` reads it, because that, not POSIX, is
/// what Powertools applies. The differences from POSIX matter: `UTC+3`/`GMT+3` are three
/// hours *east* (dateutil inverts the sign for those two abbreviations only), a DST
/// abbreviation without rules means the first Sunday of April to the last Sunday of
/// October, and the rules are dateutil `relativedelta`s, so odd rules land where dateutil
/// puts them rather than where the C library would (see `YearRule`).
///
/// Built by `PosixTimeZoneParser.parse`; offsets are seconds east of UTC.
public struct PosixTimeZone: Sendable, Hashable {
    /// The string as given to `tzstr` (after gettz removed a leading ':').
    public let text: String
    public let standardAbbreviation: String?
    public let daylightAbbreviation: String?
    public let standardOffset: Int
    public let daylightOffset: Int
    /// Start and end of DST in standard time, as dateutil's `_start_delta`/`_end_delta`;
    /// nil when the zone has no DST (`hasdst` is false).
    let rules: DaylightRules?

    struct DaylightRules: Sendable, Hashable {
        var start: YearRule
        var end: YearRule
    }

    public var hasDST: Bool { rules != nil }

    /// `_dst_base_offset`: how far DST moves the clock.
    var daylightShift: Int { daylightOffset - standardOffset }

    /// `tzrange.transitions(year)`: DST start and end for `year`, both on the standard-time
    /// side; nil for a zone without DST.
    public func transitions(year: Int) throws(PythonRaise) -> (start: CivilDateTime, end: CivilDateTime)? {
        guard let t = try rawTransitions(year) else { return nil }
        return (PyDateTime.civil(t.start), PyDateTime.civil(t.end))
    }

    func rawTransitions(_ year: Int) throws(PythonRaise) -> (start: Int64, end: Int64)? {
        guard let rules else { return nil }
        let start = try rules.start.apply(toYear: year)
        let end = try rules.end.apply(toYear: year)
        return (start, end)
    }

    /// `tzrangebase.fromutc`: the wall clock `datetime.now(tz)` and `astimezone(tz)` show at
    /// the UTC time `utc`. Transitions are taken for the *UTC* year, as dateutil does.
    public func wallClock(fromUTC utc: CivilDateTime) throws(PythonRaise) -> CivilDateTime {
        PyDateTime.civil(try wallClock(fromUTC: try PyDateTime.micros(utc)).wall)
    }

    /// The wall clock and the `fold` dateutil gives it (1 for the second pass through a
    /// repeated hour). Comparisons ignore the fold (Powertools compares datetimes sharing
    /// one tzinfo), but `dst()` on the result reads it.
    func wallClock(fromUTC dt: Int64) throws(PythonRaise) -> (wall: Int64, fold: Int) {
        guard let t = try rawTransitions(PyDateTime.year(dt)) else {
            return (try PyDateTime.add(dt, seconds: standardOffset), 0)
        }
        let on = try PyDateTime.add(t.start, seconds: -standardOffset)
        let off = try PyDateTime.add(t.end, seconds: -standardOffset)
        let isDST = Self.naiveIsDST(dt, on, off)
        let wall = try PyDateTime.add(dt, seconds: isDST ? daylightOffset : standardOffset)
        if isDST { return (wall, 0) }
        let ambiguous = try isAmbiguous(wall)
        return (wall, ambiguous ? 1 : 0)
    }

    /// `aware_datetime.dst()`: dateutil's `dst(dt)` (the DST shift, or zero), which CPython
    /// then refuses with ValueError unless it is strictly within ±24 hours. `strftime`
    /// calls it through `timetuple()`, so Powertools' day-of-week condition depends on it.
    public func checkedDST(atLocal local: CivilDateTime, fold: Int = 0) throws(PythonRaise) -> Int {
        try checkedDST(try PyDateTime.micros(local), fold: fold)
    }

    func checkedDST(_ dt: Int64, fold: Int) throws(PythonRaise) -> Int {
        let d = try isDST(dt, fold: fold) ? daylightShift : 0
        guard abs(d) < 86_400 else { throw PythonRaise("ValueError") }
        return d
    }

    /// `tz.utcoffset(dt)` for a wall-clock time with the given `fold`, in seconds east.
    /// In the hour that repeats, fold 0 is DST and fold 1 standard time; in the hour that
    /// is skipped, dateutil answers DST.
    public func utcOffset(atLocal local: CivilDateTime, fold: Int = 0) throws(PythonRaise) -> Int {
        try isDST(try PyDateTime.micros(local), fold: fold) ? daylightOffset : standardOffset
    }

    func isDST(_ dt: Int64, fold: Int) throws(PythonRaise) -> Bool {
        guard let t = try rawTransitions(PyDateTime.year(dt)) else { return false }
        let naive = Self.naiveIsDST(dt, t.start, t.end)
        if !naive, try isAmbiguous(dt) { return fold == 0 }
        return naive
    }

    func isAmbiguous(_ dt: Int64) throws(PythonRaise) -> Bool {
        guard let t = try rawTransitions(PyDateTime.year(dt)) else { return false }
        // `end <= dt < end + shift`, short-circuiting like Python's chained comparison.
        guard t.end <= dt else { return false }
        return dt < (try PyDateTime.add(t.end, seconds: daylightShift))
    }

    static func naiveIsDST(_ dt: Int64, _ on: Int64, _ off: Int64) -> Bool {
        on < off ? (on <= dt && dt < off) : !(off <= dt && dt < on)
    }
}

/// A Python exception that dateutil lets escape (OverflowError past year 9999, a month
/// number outside 1...12 in a rule, TypeError from `tzstr`). Powertools catches it around
/// each condition, so at evaluation time it means "this condition does not match".
public struct PythonRaise: Error, Sendable, Equatable, CustomStringConvertible {
    public let type: String
    public init(_ type: String) { self.type = type }
    public var description: String { type }
}

/// The part of `relativedelta` that `tzstr` builds: absolute month/day, an nth weekday,
/// `leapdays` from `yearday`, and a relative number of seconds. Applied to January 1st the
/// way `relativedelta.__add__` does it: month and day first (day clamped to the month),
/// then the seconds, and only then the weekday jump, counted from wherever the seconds
/// landed. So a rule time past 24:00 moves the starting day before the weekday search,
/// and a month of 0 means January (`self.month or other.month`).
struct YearRule: Sendable, Hashable {
    var month: Int?
    var day: Int?
    /// Monday = 0, like dateutil's weekday objects.
    var weekday: Int?
    var nth: Int?
    var leapDays: Int = 0
    var seconds: Int = 0

    /// relativedelta's truthiness; a falsy start delta means the zone has no DST.
    var isTruthy: Bool { month != nil || day != nil || weekday != nil || leapDays != 0 || seconds != 0 }

    func apply(toYear year: Int) throws(PythonRaise) -> Int64 {
        let m = (month ?? 0) == 0 ? 1 : month!
        guard (1...12).contains(m) else { throw PythonRaise("IllegalMonthError") }
        let d = min(CivilDateTime.daysInMonth(year, m), (day ?? 0) == 0 ? 1 : day!)
        guard d >= 1 else { throw PythonRaise("ValueError") }
        var days = 0
        if leapDays != 0 && m > 2 && CivilDateTime.daysInMonth(year, 2) == 29 { days += leapDays }
        var t = try PyDateTime.micros(CivilDateTime(year: year, month: m, day: d))
        t = try PyDateTime.add(t, seconds: days * 86_400 + seconds)
        if let weekday {
            let n = (nth ?? 0) == 0 ? 1 : nth!
            let current = PyDateTime.weekday(t)
            var jump = (abs(n) - 1) * 7
            if n > 0 {
                jump += (7 - current + weekday) % 7
            } else {
                jump += ((current - weekday) % 7 + 7) % 7
                jump = -jump
            }
            guard abs(jump) <= 4_000_000 else { throw PythonRaise("OverflowError") }
            t = try PyDateTime.add(t, seconds: jump * 86_400)
        }
        return t
    }
}

/// Naive Python datetimes as microseconds since 0001-01-01T00:00, with Python's range
/// (years 1...9999): any arithmetic that leaves it raises OverflowError, as in CPython.
enum PyDateTime {
    static let epochDays = CivilDateTime.daysFromCivil(1, 1, 1)
    static let max: Int64 = Int64(CivilDateTime.daysFromCivil(10_000, 1, 1) - epochDays) * 86_400_000_000 - 1
    /// Anything larger moves a datetime out of range whatever it started from.
    static let maxSeconds = 400_000_000_000

    static func micros(_ c: CivilDateTime) throws(PythonRaise) -> Int64 {
        guard (1...9999).contains(c.year) else { throw PythonRaise("OverflowError") }
        let days = Int64(CivilDateTime.daysFromCivil(c.year, c.month, c.day) - epochDays)
        return (days * 86_400 + Int64(c.hour * 3600 + c.minute * 60 + c.second)) * 1_000_000 + Int64(c.microsecond)
    }

    static func civil(_ t: Int64) -> CivilDateTime {
        let days = Int(t / 86_400_000_000)
        let rest = Int(t % 86_400_000_000)
        let (y, m, d) = CivilDateTime.civilFromDays(days + epochDays)
        let secs = rest / 1_000_000
        return CivilDateTime(year: y, month: m, day: d, hour: secs / 3600, minute: secs % 3600 / 60, second: secs % 60,
                             microsecond: rest % 1_000_000)
    }

    static func year(_ t: Int64) -> Int { civil(t).year }

    /// Monday = 0. 0001-01-01 was a Monday.
    static func weekday(_ t: Int64) -> Int { Int((t / 86_400_000_000) % 7) }

    static func add(_ t: Int64, seconds: Int) throws(PythonRaise) -> Int64 {
        guard abs(seconds) <= maxSeconds else { throw PythonRaise("OverflowError") }
        let r = t + Int64(seconds) * 1_000_000
        guard r >= 0 && r <= max else { throw PythonRaise("OverflowError") }
        return r
    }
}
