import Crypto
import Foundation

/// Evaluates a stored cell for a context and says which step decided. Precedence, first
/// match wins:
///
/// 1. **killed** → the off value (false, or the default for JSON flags)
/// 2. **disabled** → the off value; a flag whose dependency (`depends_on`) evaluates
///    off for the same context in the same environment counts as disabled
/// 3. **override** → the override's value (an unexpired "when K equals V serve X")
/// 4. **rules** → `when_match` of the first matching rule (Powertools semantics, in order)
/// 5. **rollout percentage** → the on value for contexts whose bucket is below the rollout
/// 6. **default** → the stored default
///
/// The bucket extends seed 003's bucketing to basis points: with
/// `h = int(sha256(f"{stickiness}{flagKey}").hexdigest(), 16)`, bucket = `(h % 100) * 100 + (h % 10000) / 100`,
/// so whole percentages select exactly the users seed 003's `h % 100 < pct` selects.
/// The stickiness value is the context's `targetingKey`, else `user_id`, else `userId`.
public enum CellEvaluator {
    public enum Step: Sendable, Equatable {
        case killed, disabled
        case dependencyOff(String)
        case override(key: String, value: String)
        case rule(String)
        case rollout(bucket: Int, basisPoints: Int)
        case variant(String)
        case outsideRollout(bucket: Int, basisPoints: Int)
        case noStickiness(basisPoints: Int)
        case defaultValue
    }

    public struct Result: Sendable, Equatable {
        public var value: JSONValue
        public var step: Step

        public var explanation: String {
            switch step {
            case .killed: "killed: serves the off value"
            case .disabled: "disabled: serves the off value"
            case .dependencyOff(let d): "depends on \(d), which is off for this context: serves the off value"
            case .override(let k, let v): "override: context \(k) equals \(v)"
            case .variant(let v): "variant \(JSONText.quote(v)) by flagd fractional assignment"
            case .rule(let r): "rule \(JSONText.quote(r)) matched"
            case .rollout(_, let bp) where bp >= 10_000: "rollout 100%: on for every context"
            case .rollout(let b, let bp): "rollout: bucket \(Percent.format(b)) < \(Percent.format(bp))%"
            case .outsideRollout(let b, let bp): "rollout: bucket \(Percent.format(b)) >= \(Percent.format(bp))%, so the default"
            case .noStickiness(let bp): "rollout \(Percent.format(bp))%: the context has no targetingKey or user_id, so the default"
            case .defaultValue: "default: no rule matched"
            }
        }
    }

    public static let stickinessKeys = ["targetingKey", "user_id", "userId"]

    /// `dependency` evaluates another flag in the same environment for the same context
    /// (nil when unknown); see `Inventory` for the store-backed version.
    public static func evaluate(flag: Flag, state s: FlagState, overrides: [Override] = [], context: JSONObject,
                                now: Date = Date(), dependency: (String) -> Result? = { _ in nil }) -> Result {
        let def = (try? JSONParser.parse(s.defaultValue)) ?? .null
        let off: JSONValue = flag.valueKind == .boolean ? .bool(false) : def
        if s.killed { return Result(value: off, step: .killed) }
        if !s.enabled { return Result(value: off, step: .disabled) }
        for d in flag.dependsOn {
            if let r = dependency(d), !r.value.isTruthy { return Result(value: off, step: .dependencyOff(d)) }
        }
        for o in overrides where o.flagKey == flag.key && o.env == s.env && !o.isExpired(at: now) {
            if let v = context[o.contextKey], JSONCompare.pyEqual(v, o.matchValue) {
                return Result(value: (try? JSONParser.parse(o.serve)) ?? .null,
                              step: .override(key: o.contextKey, value: JSONWriter.compact(o.matchValue)))
            }
        }
        let rules = PowertoolsMapping.storedRules(s.rules)
        if !rules.isEmpty {
            let feature: JSONValue = .object(JSONObject([
                ("default", def), ("boolean_type", .bool(flag.valueKind == .boolean)), ("rules", .object(JSONObject(rules))),
            ]))
            if let ev = try? PowertoolsEvaluator(json: .object(JSONObject([(flag.key, feature)]))) {
                let (v, d) = ev.explain(flag.key, context: context, default: def, now: now)
                if case .rule(let name) = d { return Result(value: v, step: .rule(name)) }
            }
        }
        // Multivariate JSON flags: the rollout step assigns a weighted variant (flagd's algorithm).
        if flag.valueKind == .json, !flag.variants.isEmpty, s.rolloutBasisPoints > 0 {
            if let sticky = stickinessKeys.lazy.compactMap({ context[$0] }).first, let text = FeaturesConfigEvaluator.pythonStr(sticky),
               let v = FractionalAssignment.assign(flagKey: flag.key, stickiness: text, variants: flag.variants) {
                return Result(value: (try? JSONParser.parse(v.value)) ?? .null, step: .variant(v.name))
            }
            return Result(value: def, step: .noStickiness(basisPoints: s.rolloutBasisPoints))
        }
        let on: JSONValue = flag.valueKind == .boolean ? .bool(true) : def
        if s.rolloutBasisPoints >= 10_000 { return Result(value: on, step: .rollout(bucket: 0, basisPoints: 10_000)) }
        if s.rolloutBasisPoints <= 0 { return Result(value: flag.valueKind == .boolean ? .bool(def.isTruthy) : def, step: .defaultValue) }
        guard let sticky = stickinessKeys.lazy.compactMap({ context[$0] }).first,
              let text = FeaturesConfigEvaluator.pythonStr(sticky) else {
            return Result(value: flag.valueKind == .boolean ? .bool(def.isTruthy) : def, step: .noStickiness(basisPoints: s.rolloutBasisPoints))
        }
        let b = bucket(text, flagKey: flag.key)
        if b < s.rolloutBasisPoints { return Result(value: on, step: .rollout(bucket: b, basisPoints: s.rolloutBasisPoints)) }
        return Result(value: flag.valueKind == .boolean ? .bool(def.isTruthy) : def,
                      step: .outsideRollout(bucket: b, basisPoints: s.rolloutBasisPoints))
    }

    /// 0..<10000, see the type's documentation.
    public static func bucket(_ stickiness: String, flagKey: String) -> Int {
        let digest = SHA256.hash(data: Data((stickiness + flagKey).utf8))
        var r = 0
        for b in digest { r = (r * 256 + Int(b)) % 10_000 }
        return (r % 100) * 100 + r / 100
    }
}

/// A snapshot of one environment for evaluating flags with their dependencies.
public struct Inventory: Sendable {
    public var flags: [String: Flag]
    public var states: [String: FlagState]
    public var overrides: [Override]

    public init(_ r: any StoreReading, env: EnvironmentID) throws {
        var f: [String: Flag] = [:]
        for x in try r.flags() { f[x.key] = x }
        var s: [String: FlagState] = [:]
        for x in try r.states() where x.env == env { s[x.flagKey] = x }
        flags = f
        states = s
        overrides = try r.overrides(flag: nil, env: env)
    }

    /// Evaluates `key`, following dependencies (cycles are refused when flags are saved;
    /// a visited set guards anyway).
    public func evaluate(_ key: String, context: JSONObject, now: Date = Date()) -> CellEvaluator.Result? {
        var visiting = Set<String>()
        func eval(_ k: String) -> CellEvaluator.Result? {
            guard let flag = flags[k], let state = states[k], visiting.insert(k).inserted else { return nil }
            defer { visiting.remove(k) }
            return CellEvaluator.evaluate(flag: flag, state: state, overrides: overrides, context: context, now: now,
                                          dependency: eval)
        }
        return eval(key)
    }
}
