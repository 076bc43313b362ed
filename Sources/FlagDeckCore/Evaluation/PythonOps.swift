import Foundation

/// Powertools' `RULE_ACTION_MAPPING` applied with CPython semantics. Any case where
/// Python would raise (comparing a string with a number, `startswith` on a list, `in`
/// on an integer...) is "no match" because Powertools catches the exception and returns
/// False, and that includes the `NOT_*` forms: `NOT_IN` with a wrong-typed key does not
/// match, while `NOT_EQUALS` across types does (Python's `!=` never raises).
public enum PythonOps {
    public static func match(_ action: PowertoolsAction, context a: JSONValue, condition b: JSONValue) -> Bool {
        switch action {
        case .equals: return JSONCompare.pyEqual(a, b)
        case .notEquals: return !JSONCompare.pyEqual(a, b)
        case .keyGreaterThanValue: return JSONCompare.order(a, b, .gt) ?? false
        case .keyGreaterThanOrEqualValue: return JSONCompare.order(a, b, .ge) ?? false
        case .keyLessThanValue: return JSONCompare.order(a, b, .lt) ?? false
        case .keyLessThanOrEqualValue: return JSONCompare.order(a, b, .le) ?? false
        case .startsWith:
            guard case .string(let s) = a, case .string(let p) = b else { return false }
            return JSONCompare.hasPrefix(s, p)
        case .endsWith:
            guard case .string(let s) = a, case .string(let p) = b else { return false }
            return JSONCompare.hasSuffix(s, p)
        case .in, .keyInValue: return JSONCompare.contains(b, a) ?? false
        case .notIn, .keyNotInValue: return JSONCompare.contains(b, a).map { !$0 } ?? false
        case .valueInKey: return JSONCompare.contains(a, b) ?? false
        case .valueNotInKey: return JSONCompare.contains(a, b).map { !$0 } ?? false
        case .allInValue:
            guard case .array(let items) = a, case .array(let allowed) = b else { return false }
            return items.allSatisfy { x in allowed.contains { JSONCompare.pyEqual($0, x) } }
        case .anyInValue:
            guard case .array(let items) = a, case .array(let allowed) = b else { return false }
            return items.contains { x in allowed.contains { JSONCompare.pyEqual($0, x) } }
        case .noneInValue:
            guard case .array(let items) = a, case .array(let allowed) = b else { return false }
            return items.allSatisfy { x in !allowed.contains { JSONCompare.pyEqual($0, x) } }
        case .moduloRange:
            return moduloRange(a, b)
        case .scheduleBetweenTimeRange, .scheduleBetweenDatetimeRange, .scheduleBetweenDaysOfWeek:
            return false  // evaluated against the clock by the evaluator
        }
    }

    /// `START <= context % BASE <= END` with Python's floor modulo, for ints of any size
    /// and floats; anything else raises in Python and so does not match.
    static func moduloRange(_ a: JSONValue, _ b: JSONValue) -> Bool {
        guard case .object(let o) = b else { return false }
        let base = o["BASE"] ?? .int(1), start = o["START"] ?? .int(1), end = o["END"] ?? .int(1)
        guard let r = pyMod(a, base) else { return false }
        guard let lo = JSONCompare.order(start, r, .le), let hi = JSONCompare.order(r, end, .le) else { return false }
        return lo && hi
    }

    /// Python's `a % m`; nil where Python raises (non-numbers, zero divisor, overflow).
    public static func pyMod(_ a: JSONValue, _ m: JSONValue) -> JSONValue? {
        switch (a, m) {
        case (.int(let x), .int(let y)):
            guard y != 0 else { return nil }
            if y == -1 { return .int(0) }
            let r = x % y
            return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
        default: break
        }
        guard let na = Num(a), let nm = Num(m) else { return nil }
        switch (na, nm) {
        case (.double, _), (_, .double):
            guard let x = asDouble(na), let y = asDouble(nm), y != 0 else { return nil }
            var r = fmod(x, y)
            if r != 0 { if (y < 0) != (r < 0) { r += y } } else { r = copysign(0, y) }
            return .double(r)
        default:
            guard let r = na.big!.floorMod(nm.big!) else { return nil }
            return .integer(r)
        }
    }

    /// Python's `float(int)`, which raises OverflowError past the double range.
    static func asDouble(_ n: Num) -> Double? {
        switch n {
        case .double(let d): return d
        case .small(let i): return Double(i)
        case .int(let b): return b.pythonFloat
        }
    }
}
