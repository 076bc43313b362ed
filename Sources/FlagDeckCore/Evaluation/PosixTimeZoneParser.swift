internal import BigInt

/// `dateutil.tz.tzstr(s)` as `gettz` calls it (python-dateutil 2.9.0): dateutil's own
/// tokenizer and parser (`parser._tzparser`, which is not the POSIX grammar), followed by
/// `tzstr.__init__`/`tzrange.__init__`/`tzstr._delta`. It is a literal port, token for
/// token, because its accidents decide what Powertools accepts: `<+0330>-3:30` is refused,
/// `,M3.2.0,M11.1.0` is UTC, `;` is part of an abbreviation (so `EST5EDT;M3.2.0;M11.1.0`
/// is refused), `M3.0.0` means "the first Sunday on or after March 31st", `J0/0` disables
/// DST, and `UTC,M3.2.0,M11.1.0` makes dateutil raise TypeError instead of returning a zone.
///
/// Numbers go through Python's `int()` (whitespace, Unicode digits, `_`, the 4300-digit
/// limit) and are kept exact until Python itself would overflow.
public enum PosixTimeZoneParser {
    public enum Outcome: Sendable, Equatable {
        case zone(PosixTimeZone)
        /// `tzstr` raised ValueError, which gettz turns into None.
        case refused
        /// `tzstr` raised something gettz does not catch (TypeError, OverflowError), so
        /// gettz itself raises; Powertools' validation fails either way.
        case raises(PythonRaise)
    }

    public static func parse(_ text: String) -> Outcome {
        let parsed: Parsed
        do {
            guard let p = try parseTokens(Array(text.unicodeScalars)) else { return .refused }
            parsed = p
        } catch let e as PythonRaise {
            return .raises(e)
        } catch {
            return .refused  // IndexError, ValueError, AssertionError inside `_tzparser.parse`
        }
        if parsed.anyUnusedTokens { return .refused }
        var stdOffsetValue = parsed.stdOffset
        if let abbr = parsed.stdAbbr, abbr == Array("GMT".unicodeScalars) || abbr == Array("UTC".unicodeScalars) {
            // "Here we break the compatibility with the TZ variable handling": GMT+3 is east.
            guard let s = stdOffsetValue else { return .raises(PythonRaise("TypeError")) }
            stdOffsetValue = -s
        }
        // tzrange.__init__: offsets become timedeltas, which overflow past 999999999 days.
        var std = 0
        if let s = stdOffsetValue {
            guard let v = timedeltaSeconds(s) else { return .raises(PythonRaise("OverflowError")) }
            std = v
        }
        var dst = 0
        if let d = parsed.dstOffset {
            guard let v = timedeltaSeconds(d) else { return .raises(PythonRaise("OverflowError")) }
            dst = v
        } else if parsed.dstAbbr != nil && stdOffsetValue != nil {
            guard let v = timedeltaSeconds(BigInt(std) + 3600) else { return .raises(PythonRaise("OverflowError")) }
            dst = v
        }
        guard timedeltaSeconds(BigInt(dst) - BigInt(std)) != nil else { return .raises(PythonRaise("OverflowError")) }

        var rules: PosixTimeZone.DaylightRules?
        if parsed.dstAbbr != nil {
            guard let start = delta(parsed.start, isEnd: false, shift: dst - std) else { return .refused }
            if start.isTruthy {
                guard let end = delta(parsed.end, isEnd: true, shift: dst - std) else { return .refused }
                rules = PosixTimeZone.DaylightRules(start: start, end: end)
            }
        }
        func string(_ s: [Unicode.Scalar]?) -> String? {
            s.map { var out = String.UnicodeScalarView(); out.append(contentsOf: $0); return String(out) }
        }
        return .zone(PosixTimeZone(text: text, standardAbbreviation: string(parsed.stdAbbr),
                                   daylightAbbreviation: string(parsed.dstAbbr), standardOffset: std, daylightOffset: dst,
                                   rules: rules))
    }

    /// `timedelta(seconds=x)` normalised to whole seconds, or nil where CPython raises
    /// OverflowError (more than 999999999 days either way).
    static func timedeltaSeconds(_ x: BigInt) -> Int? {
        let limit = BigInt(999_999_999) * 86_400
        guard x >= -limit, x < limit + 86_400 else { return nil }
        return Int(x)
    }

    // MARK: tzstr._delta

    /// The relativedelta `tzstr._delta` builds for one rule; nil where relativedelta raises
    /// ValueError ("invalid year day"), which gettz turns into None.
    static func delta(_ x: RuleFields, isEnd: Bool, shift: Int) -> YearRule? {
        var month: BigInt?, day: BigInt?, weekday: Int?, nth: BigInt?
        var yearday: BigInt?, nlYearday: BigInt?
        var any = false
        if let m = x.month {
            any = true
            month = m
            if let wd = x.weekday {
                weekday = wd
                nth = x.week
                day = (x.week ?? 0) > 0 ? 1 : 31
            } else if let d = x.day, d != 0 {
                day = d
            }
        } else if let y = x.yday {
            any = true
            yearday = y
        } else if let j = x.jyday {
            any = true
            nlYearday = j
        }
        if !any {
            // "Default is to start on first sunday of april, and end on last sunday of october."
            if !isEnd { month = 4; day = 1; weekday = 6; nth = 1 } else { month = 10; day = 31; weekday = 6; nth = -1 }
        }
        var seconds = x.time ?? 7200
        if isEnd { seconds -= BigInt(shift) }  // to standard time, "the documented way"

        // relativedelta.__init__'s yearday handling.
        var leapDays = 0
        var yday = BigInt(0)
        if let n = nlYearday, n != 0 {
            yday = n
        } else if let y = yearday, y != 0 {
            yday = y
            if y > 59 { leapDays = -1 }
        }
        if yday != 0 {
            let ends = [31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 366]
            guard let idx = ends.firstIndex(where: { yday <= BigInt($0) }) else { return nil }
            month = BigInt(idx + 1)
            day = idx == 0 ? yday : yday - BigInt(ends[idx - 1])
        }
        return YearRule(month: month.map(clamp), day: day.map(clamp), weekday: weekday, nth: nth.map(clamp),
                        leapDays: leapDays, seconds: clamp(seconds))
    }

    /// Past this magnitude every use (a month, a day count, seconds) already makes Python
    /// raise or clamp, so the exact value no longer matters.
    static func clamp(_ x: BigInt) -> Int {
        let bound = BigInt(1) << 50
        return Int(x > bound ? bound : (x < -bound ? -bound : x))
    }

    // MARK: _tzparser.parse

    struct RuleFields {
        var month: BigInt?, week: BigInt?, weekday: Int?, yday: BigInt?, jyday: BigInt?, day: BigInt?, time: BigInt?
    }

    struct Parsed {
        var stdAbbr: [Unicode.Scalar]?, stdOffset: BigInt?
        var dstAbbr: [Unicode.Scalar]?, dstOffset: BigInt?
        var start = RuleFields(), end = RuleFields()
        var anyUnusedTokens = false
    }

    /// IndexError, ValueError and AssertionError, which `_tzparser.parse` turns into None.
    struct ParseFailure: Error {}

    typealias Token = [Unicode.Scalar]

    /// `re.split(r'([,:.]|[a-zA-Z]+|[0-9]+)', s)` without the empty strings: single
    /// `,:.`, runs of ASCII letters, runs of ASCII digits, and the runs of anything else.
    static func tokenize(_ s: [Unicode.Scalar]) -> [Token] {
        enum Kind { case punct, letters, digits, other }
        func kind(_ c: Unicode.Scalar) -> Kind {
            switch c {
            case ",", ":", ".": .punct
            case "a"..."z", "A"..."Z": .letters
            case "0"..."9": .digits
            default: .other
            }
        }
        var out: [Token] = []
        var cur: Token = []
        var curKind: Kind?
        for c in s {
            let k = kind(c)
            if k == curKind && k != .punct {
                cur.append(c)
            } else {
                if !cur.isEmpty { out.append(cur) }
                cur = [c]
                curKind = k
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    static func tok(_ s: String) -> Token { Array(s.unicodeScalars) }
    static let comma = tok(","), colon = tok(":"), plus = tok("+"), minus = tok("-"), slash = tok("/")
    static let dot = tok("."), semicolon = tok(";"), letterJ = tok("J"), letterM = tok("M")

    static func isASCIIDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }

    /// `x[a:b]` on a str, by code points.
    static func slice(_ t: Token, _ a: Int, _ b: Int? = nil) -> Token {
        let lo = Swift.min(a, t.count), hi = Swift.min(b ?? t.count, t.count)
        return lo < hi ? Array(t[lo..<hi]) : []
    }

    static func parseTokens(_ s: [Unicode.Scalar]) throws -> Parsed? {
        var res = Parsed()
        var l = tokenize(s)
        var used: [Int] = []
        let n = l.count
        func at(_ i: Int) throws(ParseFailure) -> Token {
            guard i >= 0 && i < n else { throw ParseFailure() }
            return l[i]
        }
        func int(_ t: Token) throws(ParseFailure) -> BigInt {
            guard let v = PythonInt.parse(t) else { throw ParseFailure() }
            return v
        }
        let offsetChars: Set<Unicode.Scalar> = Set("0123456789:,-+".unicodeScalars)

        var i = 0
        while i < n {
            // BRST+3[BRDT[+2]]
            var j = i
            while j < n && !l[j].contains(where: { offsetChars.contains($0) }) { j += 1 }
            guard j != i else { break }
            let isStd = res.stdAbbr == nil
            let abbr = Array(l[i..<j].joined())
            if isStd { res.stdAbbr = abbr } else { res.dstAbbr = abbr }
            used.append(contentsOf: 0..<j)
            i = j
            if i < n && (l[i] == plus || l[i] == minus || isASCIIDigit(l[i][0])) {
                let signal: BigInt
                if l[i] == plus || l[i] == minus {
                    // "Yes, that's right. See the TZ variable documentation."
                    signal = l[i] == plus ? -1 : 1
                    used.append(i)
                    i += 1
                } else {
                    signal = -1
                }
                let li = try at(i)
                let offset: BigInt
                if li.count == 4 {
                    // -0300
                    offset = (try int(slice(li, 0, 2)) * 3600 + (try int(slice(li, 2))) * 60) * signal
                } else if i + 1 < n && l[i + 1] == colon {
                    // -03:00
                    offset = (try int(li) * 3600 + (try int(try at(i + 2))) * 60) * signal
                    used.append(i)
                    i += 2
                } else if li.count <= 2 {
                    // -[0]3
                    offset = try int(slice(li, 0, 2)) * 3600 * signal
                } else {
                    return nil
                }
                used.append(i)
                i += 1
                if isStd { res.stdOffset = offset } else { res.dstOffset = offset }
            }
            if res.dstAbbr != nil { break }
        }

        if i < n {
            for k in i..<n where l[k] == semicolon { l[k] = comma }
            guard l[i] == comma else { throw ParseFailure() }
            i += 1
        }

        let commas = l.filter { $0 == comma }.count
        let rest = i < n ? Array(l[i...]) : []
        let legacyChars = Set("0123456789+-".unicodeScalars)
        let ruleTokens: [Token] = [comma, slash, letterJ, letterM, dot, minus, colon]
        if i >= n {
            // nothing more
        } else if (8...9).contains(commas),
                  rest.filter({ $0 != comma }).allSatisfy({ $0.allSatisfy { legacyChars.contains($0) } }) {
            // GMT0BST,3,0,30,3600,10,0,26,7200[,3600]: dateutil's deprecated format.
            for which in 0..<2 {
                var x = RuleFields()
                x.month = try int(try at(i))
                used.append(i)
                i += 2
                let value: BigInt
                if try at(i) == minus {
                    value = try int(try at(i + 1)) * -1
                    used.append(i)
                    i += 1
                } else {
                    value = try int(try at(i))
                }
                used.append(i)
                i += 2
                if value != 0 {
                    x.week = value
                    x.weekday = pyMod7(try int(try at(i)) - 1)
                } else {
                    x.day = try int(try at(i))
                }
                used.append(i)
                i += 2
                x.time = try int(try at(i))
                used.append(i)
                i += 2
                if which == 0 { res.start = x } else { res.end = x }
            }
            if i < n {
                let signal: BigInt
                if l[i] == minus || l[i] == plus {
                    signal = l[i] == plus ? 1 : -1
                    used.append(i)
                    i += 1
                } else {
                    signal = 1
                }
                used.append(i)
                let delta = try int(try at(i)) * signal
                guard let std = res.stdOffset else { throw PythonRaise("TypeError") }
                res.dstOffset = std + delta
            }
        } else if commas == 2, rest.filter({ $0 == slash }).count <= 2,
                  rest.filter({ !ruleTokens.contains($0) }).allSatisfy({ $0.allSatisfy(isASCIIDigit) }) {
            for which in 0..<2 {
                var x = RuleFields()
                if try at(i) == letterJ {
                    // non-leap year day (1 based)
                    used.append(i)
                    i += 1
                    x.jyday = try int(try at(i))
                } else if l[i] == letterM {
                    // month[-.]week[-.]weekday
                    used.append(i)
                    i += 1
                    x.month = try int(try at(i))
                    used.append(i)
                    i += 1
                    guard try at(i) == minus || l[i] == dot else { throw ParseFailure() }
                    used.append(i)
                    i += 1
                    var week = try int(try at(i))
                    if week == 5 { week = -1 }
                    x.week = week
                    used.append(i)
                    i += 1
                    guard try at(i) == minus || l[i] == dot else { throw ParseFailure() }
                    used.append(i)
                    i += 1
                    x.weekday = pyMod7(try int(try at(i)) - 1)
                } else {
                    // year day (zero based)
                    x.yday = try int(l[i]) + 1
                }
                used.append(i)
                i += 1
                if i < n && l[i] == slash {
                    used.append(i)
                    i += 1
                    // start time
                    let li = try at(i)
                    if li.count == 4 {
                        // -0300
                        x.time = try int(slice(li, 0, 2)) * 3600 + (try int(slice(li, 2))) * 60
                    } else if i + 1 < n && l[i + 1] == colon {
                        // -03:00
                        var time = try int(li) * 3600 + (try int(try at(i + 2))) * 60
                        used.append(i)
                        i += 2
                        if i + 1 < n && l[i + 1] == colon {
                            used.append(i)
                            i += 2
                            time += try int(try at(i))
                        }
                        x.time = time
                    } else if li.count <= 2 {
                        // -[0]3
                        x.time = try int(slice(li, 0, 2)) * 3600
                    } else {
                        return nil
                    }
                    used.append(i)
                    i += 1
                }
                guard try i == n || at(i) == comma else { throw ParseFailure() }
                i += 1
                if which == 0 { res.start = x } else { res.end = x }
            }
            guard i >= n else { throw ParseFailure() }
        }

        let usedSet = Set(used)
        res.anyUnusedTokens = (0..<n).contains { !usedSet.contains($0) && l[$0] != comma && l[$0] != colon }
        return res
    }

    /// Python's `x % 7` (the result is never negative).
    static func pyMod7(_ x: BigInt) -> Int {
        let r = Int(x % 7)
        return r < 0 ? r + 7 : r
    }
}

/// CPython 3.11's `int(str)` in base 10: surrounding Unicode whitespace, an optional sign,
/// decimal digits of any script (Unicode 14, Python 3.11's version) with single `_`
/// between them, and at most 4300 digits (`sys.int_info.default_max_str_digits`).
enum PythonInt {
    /// The characters `int()` strips: `Py_UNICODE_ISSPACE` minus U+001C...U+001F, which
    /// CPython's number parser does not treat as spaces (checked against Python 3.11).
    static let whitespace: Set<UInt32> = Set([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680,
                                              0x2028, 0x2029, 0x202F, 0x205F, 0x3000] + Array(0x2000...0x200A))

    static func digitValue(_ c: Unicode.Scalar) -> Int? {
        let p = c.properties
        guard p.numericType == .decimal, let v = p.numericValue, let age = p.age,
              age.major < 14 || (age.major == 14 && age.minor == 0) else { return nil }
        return Int(v)
    }

    static func parse(_ token: [Unicode.Scalar]) -> BigInt? {
        var s = token[...]
        while let f = s.first, whitespace.contains(f.value) { s = s.dropFirst() }
        while let l = s.last, whitespace.contains(l.value) { s = s.dropLast() }
        var negative = false
        if let f = s.first, f == "+" || f == "-" {
            negative = f == "-"
            s = s.dropFirst()
        }
        var digits: [UInt8] = []
        var lastWasDigit = false
        for c in s {
            if c == "_" {
                guard lastWasDigit else { return nil }
                lastWasDigit = false
            } else if let d = digitValue(c) {
                digits.append(UInt8(48 + d))
                lastWasDigit = true
            } else {
                return nil
            }
        }
        guard lastWasDigit, digits.count <= 4300 else { return nil }
        guard let magnitude = BigUInt(String(decoding: digits, as: UTF8.self), radix: 10) else { return nil }
        return BigInt(sign: negative ? .minus : .plus, magnitude: magnitude)
    }
}
