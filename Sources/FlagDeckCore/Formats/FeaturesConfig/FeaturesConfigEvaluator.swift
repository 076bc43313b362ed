import Crypto
import Foundation

/// The cascade of the `features_config.json` document (seed 003, `FeatureManager.is_enabled`),
/// reproduced statement by statement with Python semantics, including its quirks:
///
/// 1. `active` falsy → off; a feature holding only `active` → on.
/// 2. `activation_date` (naive ISO, compared with the naive current time) in the future → off.
/// 3. `environments` not containing the environment → off.
/// 4. `performance_threshold` / `error_threshold` below zero → off (no runtime counters here, so 0 is compared).
/// 5. `depends_on`: every dependency must be enabled, evaluated recursively **for the
///    "production" environment** (the document's code does not pass the environment on).
/// 6. Empty user context → on. `users` containing `user_id` → on.
/// 7. `regions`, `account_types`, `beta_program` must all pass, then `percentage_rollout`:
///    `int(sha256(f"{user_id}{feature_name}").hexdigest(), 16) % 100 < percentage`.
///
/// Where the Python code would raise (a missing context key, a type error, a cycle),
/// evaluation returns `.failure` with the reason, so callers can surface it instead of guessing.
public struct FeaturesConfigEvaluator: Sendable {
    public let features: JSONObject

    public init(_ document: JSONValue) throws(FormatError) {
        guard case .object(let o) = document else {
            throw .schema(FormatLocation(path: "$"), "features_config must be an object of features, found \(document.typeName)")
        }
        features = o
    }

    public enum Outcome: Sendable, Equatable {
        case enabled(Bool, reason: String)
        case failure(String)

        public var isEnabled: Bool? { if case .enabled(let b, _) = self { b } else { nil } }
    }

    struct Raise: Error { let message: String }

    public func isEnabled(_ name: String, context: JSONObject, environment: String = "production", now: Date = Date()) -> Outcome {
        do {
            var stack: [String] = []
            return try evaluate(name, context, environment, now, &stack)
        } catch let r as Raise {
            return .failure(r.message)
        } catch {
            return .failure("\(error)")
        }
    }

    private func evaluate(_ name: String, _ ctx: JSONObject, _ env: String, _ now: Date, _ stack: inout [String]) throws -> Outcome {
        if stack.contains(where: { JSONCompare.sameScalars($0, name) }) {
            throw Raise(message: "dependency cycle: \((stack + [name]).joined(separator: " -> "))")
        }
        guard let fv = features[name] else { return .enabled(false, reason: "\(name): not defined") }
        guard case .object(let fc) = fv else { throw Raise(message: "\(name): feature is \(fv.typeName), not an object") }
        guard (fc["active"] ?? .null).isTruthy else { return .enabled(false, reason: "\(name): not active") }
        if fc.count == 1 { return .enabled(true, reason: "\(name): active with no other settings") }

        if let ad = fc["activation_date"] {
            guard case .string(let s) = ad else { throw Raise(message: "\(name): activation_date is \(ad.typeName), not a string") }
            switch PythonISODateTime.parse(s) {
            case .naive(let when)?:
                if CivilDateTime.at(now, in: TimeZone(identifier: "UTC")!) < when {
                    return .enabled(false, reason: "\(name): activation_date \(s) is in the future")
                }
            case .aware?: throw Raise(message: "\(name): activation_date \(s) has a UTC offset; it is compared with a naive time")
            case nil: throw Raise(message: "\(name): activation_date \(JSONText.quote(s)) is not an ISO date")
            }
        }
        if let envs = fc["environments"] {
            guard let has = JSONCompare.contains(envs, .string(env)) else {
                throw Raise(message: "\(name): environments is \(envs.typeName), not a list")
            }
            if !has { return .enabled(false, reason: "\(name): environment \(env) not listed") }
        }
        for k in ["performance_threshold", "error_threshold"] {
            if let t = fc[k] {
                guard let over = JSONCompare.order(.int(0), t, .gt) else { throw Raise(message: "\(name): \(k) is not a number") }
                if over { return .enabled(false, reason: "\(name): \(k) below zero") }
            }
        }
        if let deps = fc["depends_on"] {
            let names: [JSONValue]
            switch deps {
            case .array(let a): names = a
            case .string(let s): names = s.unicodeScalars.map { .string(String($0)) }  // Python iterates a string's characters
            case .object(let o): names = o.keys.map { .string($0) }
            default: throw Raise(message: "\(name): depends_on is \(deps.typeName), not a list")
            }
            stack.append(name)
            for d in names {
                guard case .string(let dn) = d else { stack.removeLast(); return .enabled(false, reason: "\(name): dependency \(JSONWriter.compact(d)) is not a feature") }
                let r = try evaluate(dn, ctx, "production", now, &stack)
                if r.isEnabled != true { stack.removeLast(); return .enabled(false, reason: "\(name): depends on \(dn), which is off") }
            }
            stack.removeLast()
        }
        if ctx.isEmpty { return .enabled(true, reason: "\(name): active and no user context") }

        func need(_ key: String) throws -> JSONValue {
            guard let v = ctx[key] else { throw Raise(message: "\(name): the context has no \(JSONText.quote(key)) (KeyError in the reference code)") }
            return v
        }
        func member(_ v: JSONValue, _ list: JSONValue, _ what: String) throws -> Bool {
            guard let r = JSONCompare.contains(list, v) else { throw Raise(message: "\(name): cannot test membership in \(what) (\(list.typeName))") }
            return r
        }
        if let users = fc["users"], try member(try need("user_id"), users, "users") {
            return .enabled(true, reason: "\(name): user listed")
        }
        let regionOK = try fc["regions"].map { try member(try need("region"), $0, "regions") } ?? true
        let accountOK = try fc["account_types"].map { try member(try need("account_type"), $0, "account_types") } ?? true
        let betaOK = (fc["beta_program"] ?? .null).isTruthy ? try need("beta_program").isTruthy : true
        guard regionOK && accountOK && betaOK else {
            return .enabled(false, reason: "\(name): region/account type/beta program not eligible")
        }
        guard let pct = fc["percentage_rollout"] else { return .enabled(true, reason: "\(name): eligible, no rollout limit") }
        let bucket = try Self.bucket(userID: try need("user_id"), salt: name)
        guard let inside = JSONCompare.order(.int(Int64(bucket)), pct, .lt) else {
            throw Raise(message: "\(name): percentage_rollout is \(pct.typeName), not a number")
        }
        return .enabled(inside, reason: "\(name): bucket \(bucket) \(inside ? "<" : ">=") \(JSONWriter.compact(pct))%")
    }

    /// `int(sha256(f"{user_id}{salt}".encode()).hexdigest(), 16) % 100`.
    public static func bucket(userID: JSONValue, salt: String) throws -> Int {
        guard let text = pythonStr(userID) else {
            throw Raise(message: "user_id of type \(userID.typeName) has no portable text form")
        }
        let digest = SHA256.hash(data: Data((text + salt).utf8))
        var r = 0
        for b in digest { r = (r * 256 + Int(b)) % 100 }
        return r
    }

    /// Python's `str()` for the scalar JSON types an id can have.
    static func pythonStr(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): s
        case .int(let i): String(i)
        case .bigInt(let b): b.description
        case .bool(let b): b ? "True" : "False"
        case .null: "None"
        case .double(let d): PythonFloat.repr(d)
        default: nil
        }
    }
}

/// Python's `repr(float)`: shortest round-trip digits, positional for exponents -5..15.
enum PythonFloat {
    static func repr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description gives the same shortest digits; re-layout the exponent rule.
        let s = "\(d.magnitude)"
        var digits = "", exp = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let mant = s[..<e]
            exp = Int(s[s.index(after: e)...])!
            let parts = mant.split(separator: ".", omittingEmptySubsequences: false)
            digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
            exp += parts[0].count - 1
        } else {
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            let ip = String(parts[0]), fp = parts.count > 1 ? String(parts[1]) : ""
            if ip != "0" {
                digits = ip + fp
                exp = ip.count - 1
            } else {
                let lead = fp.prefix { $0 == "0" }.count
                digits = String(fp.dropFirst(lead))
                exp = -lead - 1
            }
        }
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
        while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst(); exp -= 1 }
        let sign = d < 0 ? "-" : ""
        if exp >= 16 || exp < -4 {
            let m = digits.count > 1 ? "\(digits.first!).\(digits.dropFirst())" : digits
            return sign + m + "e" + (exp < 0 ? "-" : "+") + (abs(exp) < 10 ? "0" : "") + String(abs(exp))
        }
        if exp < 0 { return sign + "0." + String(repeating: "0", count: -exp - 1) + digits }
        if digits.count <= exp + 1 { return sign + digits + String(repeating: "0", count: exp + 1 - digits.count) + ".0" }
        return sign + digits.prefix(exp + 1) + "." + digits.dropFirst(exp + 1)
    }
}
