import Foundation

/// A Powertools config compiled for repeated evaluation: feature lookup by hash, context
/// keys resolved to slots once per context, and the common conditions (string/int
/// `EQUALS`, Int64 `MODULO_RANGE`) specialised. Results are those of `FeatureFlags.evaluate`
/// and `get_enabled_features` in Powertools 3.x; the vectors in the tests check that.
public final class PowertoolsEvaluator: @unchecked Sendable {
    public let config: PowertoolsConfig
    let features: [CFeature]
    let index: [ScalarKey: Int]
    /// Distinct context keys used by non-schedule conditions, in slot order.
    public let slotKeys: [String]
    /// String constants of `EQUALS` conditions, interned so a bound context compares ids.
    let constants: [ScalarKey: Int32]
    /// The same rules flattened into plain-data tables (no reference counting on the hot
    /// path); conditions that are not specialised point into `slow`.
    let flat: FlatProgram

    /// Why a value was returned, for `eval --explain` and the dashboard panel.
    public enum Decision: Sendable, Equatable {
        case featureMissing
        case noRules
        case rule(String)
        case defaultValue
    }

    public init(_ config: PowertoolsConfig) {
        self.config = config
        var slots: [ScalarKey: Int] = [:]
        var keys: [String] = []
        func slot(_ k: String) -> Int {
            if let s = slots[ScalarKey(k)] { return s }
            slots[ScalarKey(k)] = keys.count
            keys.append(k)
            return keys.count - 1
        }
        var consts: [ScalarKey: Int32] = [:]
        func intern(_ s: String) -> Int32 {
            if let i = consts[ScalarKey(s)] { return i }
            let i = Int32(consts.count)
            consts[ScalarKey(s)] = i
            return i
        }
        var feats: [CFeature] = []
        var idx: [ScalarKey: Int] = [:]
        for f in config.features {
            let rules = f.rules.map { r in
                CRule(name: r.name, whenMatch: r.whenMatch, conditions: r.conditions.map { CCond.compile($0, slot: slot, intern: intern) })
            }
            idx[ScalarKey(f.name)] = feats.count
            feats.append(CFeature(name: f.name, defaultValue: f.defaultValue, isBoolean: f.isBoolean,
                                  hasRules: f.rulesValue?.isTruthy ?? false,
                                  rulesIterable: { if case .object? = f.rulesValue { true } else { f.rulesValue == nil } }(),
                                  rules: rules))
        }
        features = feats
        index = idx
        slotKeys = keys
        constants = consts
        flat = FlatProgram(feats)
    }

    public convenience init(json: JSONValue, envelope: [String] = []) throws(FormatError) {
        self.init(try PowertoolsValidator.validate(json, envelope: envelope))
    }

    /// Context values in slot order; `nil` marks a missing key (never a match). Strings
    /// that equal an `EQUALS` constant carry its id, and Int64 values are unboxed, so the
    /// hot conditions compare integers.
    public struct BoundContext: Sendable {
        var values: ContiguousArray<JSONValue?>
        /// Interned constant id, -1 for other strings, -2 for non-strings and missing keys.
        var stringIDs: ContiguousArray<Int32>
        var ints: ContiguousArray<Int64>
        var isInt: ContiguousArray<Bool>
    }

    public func bind(_ context: JSONObject) -> BoundContext {
        let n = slotKeys.count
        var v = ContiguousArray<JSONValue?>(repeating: nil, count: n)
        var ids = ContiguousArray<Int32>(repeating: -2, count: n)
        var ints = ContiguousArray<Int64>(repeating: 0, count: n)
        var isInt = ContiguousArray<Bool>(repeating: false, count: n)
        for (i, k) in slotKeys.enumerated() {
            let x = context[k]
            v[i] = x
            switch x {
            case .string(let s)?: ids[i] = constants[ScalarKey(s)] ?? -1
            case .int(let n)?: ints[i] = n; isInt[i] = true
            default: break
            }
        }
        return BoundContext(values: v, stringIDs: ids, ints: ints, isInt: isInt)
    }

    public func featureIndex(_ name: String) -> Int? { index[ScalarKey(name)] }

    /// `FeatureFlags.evaluate(name=, context=, default=)` at instant `now`.
    public func evaluate(_ name: String, context: JSONObject, default def: JSONValue, now: Date = Date()) -> JSONValue {
        guard let i = featureIndex(name) else { return def }
        return evaluate(feature: i, bound: bind(context), now: now).0
    }

    public func explain(_ name: String, context: JSONObject, default def: JSONValue, now: Date = Date()) -> (JSONValue, Decision) {
        guard let i = featureIndex(name) else { return (def, .featureMissing) }
        return evaluate(feature: i, bound: bind(context), now: now)
    }

    @inline(__always)
    public func evaluate(feature i: Int, bound: BoundContext, now: Date) -> (JSONValue, Decision) {
        let f = features[i]
        guard f.hasRules else { return (f.isBoolean ? .bool(f.defaultValue.isTruthy) : f.defaultValue, .noRules) }
        if let r = firstMatch(i, bound, now) {
            return (f.isBoolean ? .bool(r.whenMatch.isTruthy) : r.whenMatch, .rule(r.name))
        }
        return (f.defaultValue, .defaultValue)
    }

    /// Fast path for the benchmark and batch callers: value only, no explanation.
    @inline(__always)
    public func value(feature i: Int, bound: BoundContext, now: Date) -> JSONValue {
        let f = flat.features[i]
        guard f.hasRules else { return f.isBoolean ? .bool(f.defaultTruthy) : features[i].defaultValue }
        let r = flat.firstMatch(i, bound, now)
        if r < 0 { return f.isBoolean && f.defaultIsBool ? .bool(f.defaultTruthy) : features[i].defaultValue }
        let rule = flat.rules[r]
        return f.isBoolean ? .bool(rule.whenTruthy) : features[i].rules[r - Int(f.ruleStart)].whenMatch
    }

    @inline(__always)
    func firstMatch(_ i: Int, _ bound: BoundContext, _ now: Date) -> CRule? {
        let r = flat.firstMatch(i, bound, now)
        return r < 0 ? nil : features[i].rules[r - Int(flat.features[i].ruleStart)]
    }

    /// `FeatureFlags.get_enabled_features(context=)`. Powertools raises (AttributeError)
    /// for a feature whose `rules` is a falsy non-object (null, [], 0, "") and whose
    /// default is falsy; that is reported as an error naming the feature.
    public func enabledFeatures(context: JSONObject, now: Date = Date()) throws(FormatError) -> [String] {
        let bound = bind(context)
        var out: [String] = []
        for (i, f) in features.enumerated() {
            if f.defaultValue.isTruthy && !f.hasRules { out.append(f.name); continue }
            if !f.hasRules && !f.rulesIterable {
                throw .schema(FormatLocation(path: JSONPath.render([.key(f.name), .key("rules")])),
                              "Powertools cannot list enabled features: 'rules' of feature \(f.name) is not a dictionary")
            }
            let v: JSONValue
            if let r = firstMatch(i, bound, now) { v = f.isBoolean ? .bool(r.whenMatch.isTruthy) : r.whenMatch } else { v = f.defaultValue }
            if v.isTruthy { out.append(f.name) }
        }
        return out
    }
}

struct CFeature: Sendable {
    let name: String
    let defaultValue: JSONValue
    let isBoolean: Bool
    let hasRules: Bool
    let rulesIterable: Bool
    let rules: [CRule]
}

struct CRule: Sendable {
    let name: String
    let whenMatch: JSONValue
    let conditions: [CCond]
}

/// A condition specialised for evaluation.
enum CCond: Sendable {
    case equalsString(slot: Int, String, id: Int32)
    case moduloSmall(slot: Int, base: Int64, start: Int64, end: Int64)
    case generic(slot: Int, PowertoolsAction, JSONValue)
    case schedule(ScheduleSpec)

    static func compile(_ c: PowertoolsCondition, slot: (String) -> Int, intern: (String) -> Int32) -> CCond {
        if let s = c.schedule { return .schedule(s) }
        let k = slot(c.key)
        switch (c.action, c.value) {
        case (.equals, .string(let s)): return .equalsString(slot: k, s, id: intern(s))
        case (.moduloRange, .object(let o)):
            if case .int(let b)? = o["BASE"], case .int(let s)? = o["START"], case .int(let e)? = o["END"], b > 0 {
                return .moduloSmall(slot: k, base: b, start: s, end: e)
            }
        default: break
        }
        return .generic(slot: k, c.action, c.value)
    }

    @inline(__always)
    func matches(_ b: PowertoolsEvaluator.BoundContext, _ now: Date) -> Bool {
        switch self {
        case .equalsString(let slot, _, let id):
            // Interned at bind time: equal strings have equal ids; non-strings never equal a string.
            return b.stringIDs[slot] == id
        case .moduloSmall(let slot, let base, let start, let end):
            if b.isInt[slot] {
                var r = b.ints[slot] % base
                if r < 0 { r += base }
                return start <= r && r <= end
            }
            guard let v = b.values[slot] else { return false }
            return PythonOps.match(.moduloRange, context: v, condition: .object(JSONObject([("BASE", .int(base)), ("START", .int(start)), ("END", .int(end))])))
        case .generic(let slot, let action, let value):
            guard let v = b.values[slot] else { return false }
            return PythonOps.match(action, context: v, condition: value)
        case .schedule(let spec):
            return ScheduleMatcher.matches(spec, now: now)
        }
    }
}

/// The three `SCHEDULE_*` comparators of Powertools, evaluated at an explicit instant.
public enum ScheduleMatcher {
    public static func matches(_ spec: ScheduleSpec, now: Date) -> Bool {
        guard let zone = spec.zone else { return false }
        switch spec.kind {
        case .daysOfWeek(let days):
            // `now.strftime("%A")` also calls `now.dst()`, which can raise (ZoneRef.wallClock).
            guard let local = zone.wallClock(at: now, forStrftime: true) else { return false }
            return days.contains(CivilDateTime.weekdayNames[local.weekday])
        case .timeRange(let start, let end):
            guard let local = zone.wallClock(at: now) else { return false }
            let cur = local.hour * 60 + local.minute
            // A window whose end is before its start wraps past midnight.
            if end < start { return start <= cur || cur <= end }
            return start <= cur && cur <= end
        case .datetimeRange(let start, let end):
            guard let local = zone.wallClock(at: now) else { return false }
            return start <= local && local <= end
        }
    }
}

/// A dictionary key that compares by code points, like a Python `str` key. (Swift's
/// `String` hashing treats NFC and NFD spellings as one key.)
struct ScalarKey: Hashable, Sendable {
    let s: String
    init(_ s: String) { self.s = s }
    static func == (a: ScalarKey, b: ScalarKey) -> Bool { JSONCompare.sameScalars(a.s, b.s) }
    func hash(into h: inout Hasher) {
        var s = s
        s.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Plain-data form of a compiled config. Feature i's rules are `rules[ruleStart..<ruleEnd]`,
/// rule r's conditions are `conds[condStart..<condEnd]`.
final class FlatProgram: @unchecked Sendable {
    struct Feature {
        var ruleStart: Int32
        var ruleEnd: Int32
        var hasRules: Bool
        var isBoolean: Bool
        var defaultTruthy: Bool
        var defaultIsBool: Bool
    }

    struct Rule {
        var condStart: Int32
        var condEnd: Int32
        var whenTruthy: Bool
    }

    struct Cond {
        /// 0 interned string EQUALS, 1 Int64 MODULO_RANGE, 2 anything else (`slow[ref]`).
        var kind: UInt8
        var slot: Int32
        var id: Int32
        var base: Int64
        var start: Int64
        var end: Int64
    }

    let features: UnsafeMutableBufferPointer<Feature>
    let rules: UnsafeMutableBufferPointer<Rule>
    let conds: UnsafeMutableBufferPointer<Cond>
    let slow: [CCond]

    init(_ feats: [CFeature]) {
        var fs: [Feature] = [], rs: [Rule] = [], cs: [Cond] = [], slow: [CCond] = []
        for f in feats {
            let start = Int32(rs.count)
            for r in f.rules {
                let cstart = Int32(cs.count)
                for c in r.conditions {
                    switch c {
                    case .equalsString(let slot, _, let id):
                        cs.append(Cond(kind: 0, slot: Int32(slot), id: id, base: 0, start: 0, end: 0))
                    case .moduloSmall(let slot, let base, let st, let en):
                        cs.append(Cond(kind: 1, slot: Int32(slot), id: 0, base: base, start: st, end: en))
                    default:
                        cs.append(Cond(kind: 2, slot: 0, id: Int32(slow.count), base: 0, start: 0, end: 0))
                        slow.append(c)
                    }
                }
                rs.append(Rule(condStart: cstart, condEnd: Int32(cs.count), whenTruthy: r.whenMatch.isTruthy))
            }
            fs.append(Feature(ruleStart: start, ruleEnd: Int32(rs.count), hasRules: f.hasRules, isBoolean: f.isBoolean,
                              defaultTruthy: f.defaultValue.isTruthy, defaultIsBool: f.defaultValue.boolValue != nil))
        }
        func copy<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
            let p = UnsafeMutableBufferPointer<T>.allocate(capacity: max(a.count, 1))
            _ = p.initialize(from: a)
            return p
        }
        features = copy(fs)
        rules = copy(rs)
        conds = copy(cs)
        self.slow = slow
    }

    deinit {
        features.deallocate()
        rules.deallocate()
        conds.deallocate()
    }

    /// Global index of the first matching rule of feature `i`, or -1.
    @inline(__always)
    func firstMatch(_ i: Int, _ b: PowertoolsEvaluator.BoundContext, _ now: Date) -> Int {
        let f = features[i]
        var r = Int(f.ruleStart)
        let rEnd = Int(f.ruleEnd)
        return b.stringIDs.withUnsafeBufferPointer { ids in
            b.ints.withUnsafeBufferPointer { ints in
                b.isInt.withUnsafeBufferPointer { isInt in
                    while r < rEnd {
                        let rule = rules[r]
                        var c = Int(rule.condStart)
                        var all = true
                        while c < Int(rule.condEnd) {
                            let cond = conds[c]
                            let ok: Bool
                            switch cond.kind {
                            case 0:
                                ok = ids[Int(cond.slot)] == cond.id
                            case 1:
                                let s = Int(cond.slot)
                                if isInt[s] {
                                    var m = ints[s] % cond.base
                                    if m < 0 { m += cond.base }
                                    ok = cond.start <= m && m <= cond.end
                                } else {
                                    ok = CCond.moduloSmall(slot: s, base: cond.base, start: cond.start, end: cond.end).matches(b, now)
                                }
                            default:
                                ok = slow[Int(cond.id)].matches(b, now)
                            }
                            if !ok { all = false; break }
                            c += 1
                        }
                        if all { return r }
                        r += 1
                    }
                    return -1
                }
            }
        }
    }
}
