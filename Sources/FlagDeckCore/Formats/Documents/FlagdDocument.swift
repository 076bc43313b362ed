/// flagd flag definitions as cells, and the fragment each change writes. Checked against
/// openfeature-provider-flagd 0.6.1 with openfeature-flagd-core 2.0.0 (`flagd_core.py`
/// `_resolve`, `model/flag.py`, `targeting/custom_ops.py`):
///
/// - `state: DISABLED` returns the *caller's* default (reason DISABLED), which may be true;
///   so flagdeck never writes it. Off is `state: ENABLED` with `defaultVariant` naming a
///   variant whose value is `false` and no `targeting` (falsy targeting is STATIC).
/// - A targeting result that is null falls back to `defaultVariant`; `fractional` needs a
///   string `targetingKey` and integer weights (a float weight makes it return null), and
///   buckets by murmur3 of the CBOR of `[flagKey, targetingKey]` (`FlagdFractional`).
///
/// Reading inverts `FlagdMapping` (variants by value, `fractional` for a rollout or, over a
/// JSON flag's variants, its multivariate split; an `if` chain for rules; `$ref`s to
/// `$evaluators` resolved as flagd does); other JsonLogic is refused with a clear error
/// (kill and unkill do not need to read it). Writing reuses
/// `FlagdMapping.flag` and maps its `on`/`off`/`default` variants onto the flag's own
/// variants by value, keeping `metadata` and unknown members.
///
/// Kill: a boolean flag points `defaultVariant` at its `false` variant (adding `"off": false`
/// if it has none), `state: ENABLED`, no `targeting`; a JSON-valued flag keeps its
/// `defaultVariant` (what flagdeck serves for a killed JSON flag) and loses `targeting`.
/// Overrides cannot be written (JsonLogic has nowhere to mark a branch as an override).
enum FlagdDocument {
    struct Def {
        var object: JSONObject
        var enabled: Bool
        var variants: JSONObject
        var defaultVariant: String?
        var targeting: JSONValue?
        var isBoolean: Bool
    }

    static func def(_ key: String, _ fragment: JSONValue, _ loc: FormatLocation) throws(FormatError) -> Def {
        func err(_ more: String, _ m: String) -> FormatError {
            .schema(FormatLocation(file: loc.file, path: loc.path + more), m)
        }
        guard case .object(let o) = fragment else { throw err("", "a flagd flag must be an object, found \(fragment.typeName)") }
        guard let state = o["state"]?.stringValue, state == "ENABLED" || state == "DISABLED" else {
            throw err(".state", "'state' must be \"ENABLED\" or \"DISABLED\"")
        }
        guard case .object(let variants)? = o["variants"], !variants.isEmpty else {
            throw err(".variants", "'variants' must be a non-empty object")
        }
        var dv: String?
        switch o["defaultVariant"] {
        case nil, .null?: dv = nil
        case .string(let s)?: dv = s.isEmpty ? nil : s
        case .bool(let b)?: dv = b ? "true" : "false"
        default: throw err(".defaultVariant", "'defaultVariant' must be a variant name")
        }
        if let dv, variants[dv] == nil { throw err(".defaultVariant", "'defaultVariant' \(JSONText.quote(dv)) is not one of the variants") }
        if let t = o["targeting"], t.objectValue == nil, t != .null { throw err(".targeting", "'targeting' must be an object") }
        if let m = o["metadata"], m.objectValue == nil { throw err(".metadata", "'metadata' must be an object") }
        let targeting = o["targeting"].flatMap { $0.isTruthy ? $0 : nil }
        return Def(object: o, enabled: state == "ENABLED", variants: variants, defaultVariant: dv, targeting: targeting,
                   isBoolean: variants.members.allSatisfy { $0.value.boolValue != nil })
    }

    static func value(_ d: Def, _ name: String) -> JSONValue? { d.variants[name] }

    // MARK: reading

    static func cell(_ key: String, _ fragment: JSONValue, evaluators: JSONObject?, _ loc: FormatLocation) throws(FormatError) -> DocumentCell {
        let d = try def(key, fragment, loc)
        let kind: ValueKind = d.isBoolean ? .boolean : .json
        let defaultValue = d.defaultVariant.flatMap { value(d, $0) }
        if !d.enabled {
            return DocumentCell(enabled: false, rolloutBasisPoints: 0, defaultValue: d.isBoolean ? "false" : defaultValue.map(JSONWriter.compact) ?? "null", valueKind: kind)
        }
        guard let defaultValue else {
            throw .inexpressible(loc, "\(key) has no defaultVariant, so the application's own code default decides what it serves; flagdeck cannot read that as a cell. Give it a defaultVariant")
        }
        guard let t0 = d.targeting else { return staticCell(d, defaultValue) }
        let t = resolveRefs(t0, evaluators)
        let unreadable = FormatError.inexpressible(loc, "\(key)'s targeting is JsonLogic flagdeck cannot read as rules and a rollout; edit it in the file (kill and unkill still work, they do not need to read it)")
        if let bp = rollout(d, t) { return DocumentCell(enabled: true, rolloutBasisPoints: bp, valueKind: .boolean) }
        if isSplit(d, t) { return staticCell(d, defaultValue) }
        guard case .array(let chain)? = t["if"], t.objectValue?.count == 1, !chain.isEmpty else { throw unreadable }
        var rules: [JSONValue] = []
        var k = 0
        while k + 1 < chain.count {
            guard let conds = conditions(chain[k]), let vn = chain[k + 1].stringValue, let v = value(d, vn) else { throw unreadable }
            rules.append(.object(JSONObject([("name", .string("flagd rule \(rules.count + 1)")), ("when_match", v), ("conditions", .array(conds))])))
            k += 2
        }
        var cell: DocumentCell
        if k < chain.count {
            let otherwise = chain[k]
            if let vn = otherwise.stringValue, let v = value(d, vn) { cell = staticCell(d, v, hasRules: true) }
            else if d.isBoolean, let bp = rollout(d, otherwise) { cell = DocumentCell(enabled: true, rolloutBasisPoints: bp, valueKind: .boolean) }
            else if isSplit(d, otherwise) { cell = staticCell(d, defaultValue, hasRules: true) }
            else { throw unreadable }
        } else {
            cell = staticCell(d, defaultValue, hasRules: true)
        }
        cell.rules = JSONWriter.compact(.array(rules))
        return cell
    }

    static func staticCell(_ d: Def, _ v: JSONValue, hasRules: Bool = false) -> DocumentCell {
        if !d.isBoolean { return DocumentCell(enabled: true, rolloutBasisPoints: 10_000, defaultValue: JSONWriter.compact(v), valueKind: .json) }
        if v.boolValue == true { return DocumentCell(enabled: true, rolloutBasisPoints: 10_000, defaultValue: "true") }
        return DocumentCell(enabled: hasRules, rolloutBasisPoints: 0, defaultValue: "false")
    }

    /// `{"fractional": [[onVariant, w], [offVariant, w]]}` over a boolean flag → basis points on.
    static func rollout(_ d: Def, _ t: JSONValue) -> Int? {
        guard d.isBoolean, case .object(let o) = t, o.count == 1, case .array(let parts)? = o["fractional"], parts.count == 2 else { return nil }
        var on: Int64 = 0, total: Int64 = 0
        var seen: Set<Bool> = []
        for p in parts {
            guard case .array(let pair) = p, pair.count == 2, let name = pair[0].stringValue, let v = value(d, name)?.boolValue,
                  case .int(let w) = pair[1], w >= 0, w < Int64(Int32.max) else { return nil }
            seen.insert(v)
            total += w
            if v { on += w }
        }
        guard seen.count == 2, total > 0 else { return nil }
        return Int((on * 10_000 + total / 2) / total)
    }

    /// `{"fractional": [[variant, w], …]}` over a JSON flag's variants: the multivariate
    /// split `FlagdMapping` writes for a flag with variants. flagdeck keeps the split on the
    /// flag (its variants and weights), so the cell reads as live at 100 %, which is what
    /// the evaluator serves for any rollout above zero; weights here that differ from the
    /// flag's are the application's truth, and `evaluate` on the file shows them.
    static func isSplit(_ d: Def, _ t: JSONValue) -> Bool {
        guard !d.isBoolean, case .object(let o) = t, o.count == 1, case .array(let parts)? = o["fractional"], parts.count >= 2 else { return false }
        return parts.allSatisfy { p in
            guard case .array(let pair) = p, pair.count == 2, let name = pair[0].stringValue, value(d, name) != nil,
                  case .int(let w) = pair[1], w >= 0 else { return false }
            return true
        }
    }

    /// The variants and weights of a JSON flag's multivariate split, wherever `FlagdMapping`
    /// puts it (the whole targeting, or the last branch of its `if`), so that rewriting the
    /// flag's rules or rollout keeps the split the application serves.
    static func split(of d: Def, evaluators: JSONObject?) -> [Variant] {
        guard !d.isBoolean, let t0 = d.targeting else { return [] }
        let t = resolveRefs(t0, evaluators)
        var candidate = t
        if case .array(let chain)? = t["if"], chain.count % 2 == 1, let last = chain.last { candidate = last }
        guard isSplit(d, candidate), case .array(let parts)? = candidate["fractional"] else { return [] }
        return parts.compactMap { p in
            guard case .array(let pair) = p, let name = pair[0].stringValue, let v = value(d, name), case .int(let w) = pair[1] else { return nil }
            return Variant(name: name, value: JSONWriter.compact(v), weight: Int(w))
        }
    }

    /// JsonLogic produced by `FlagdMapping.jsonLogic` → Powertools conditions.
    static func conditions(_ c: JSONValue) -> [JSONValue]? {
        guard case .object(let o) = c, o.count == 1, let (op, arg) = o.members.first.map({ ($0.key, $0.value) }) else { return nil }
        func cond(_ action: String, _ key: String, _ v: JSONValue) -> JSONValue {
            .object(JSONObject([("action", .string(action)), ("key", .string(key)), ("value", v)]))
        }
        func varName(_ v: JSONValue) -> String? {
            guard case .object(let vo) = v, vo.count == 1, let n = vo["var"]?.stringValue, !n.isEmpty else { return nil }
            return n
        }
        if op == "and", case .array(let parts) = arg {
            var out: [JSONValue] = []
            for p in parts { guard let c = conditions(p), c.count == 1 else { return nil }; out += c }
            return out.isEmpty ? nil : out
        }
        if op == "!", case .object(let inner) = arg, inner.count == 1, case .array(let a)? = inner["in"], a.count == 2, let k = varName(a[0]) {
            return [cond("NOT_IN", k, a[1])]
        }
        guard case .array(let a) = arg else { return nil }
        if op == "<=", a.count == 3, case .object(let m) = a[1], case .array(let ma)? = m["%"], m.count == 1, ma.count == 2, let k = varName(ma[0]) {
            return [cond("MODULO_RANGE", k, .object(JSONObject([("BASE", ma[1]), ("START", a[0]), ("END", a[2])])))]
        }
        let actions = ["==": "EQUALS", "!=": "NOT_EQUALS", ">": "KEY_GREATER_THAN_VALUE", ">=": "KEY_GREATER_THAN_OR_EQUAL_VALUE",
                       "<": "KEY_LESS_THAN_VALUE", "<=": "KEY_LESS_THAN_OR_EQUAL_VALUE", "starts_with": "STARTSWITH",
                       "ends_with": "ENDSWITH", "in": "IN"]
        guard a.count == 2, let action = actions[op], let k = varName(a[0]) else { return nil }
        return [cond(action, k, a[1])]
    }

    /// flagd substitutes `{"$ref": NAME}` with `$evaluators.NAME` before evaluating.
    static func resolveRefs(_ v: JSONValue, _ evaluators: JSONObject?) -> JSONValue {
        guard let evaluators, !evaluators.isEmpty else { return v }
        switch v {
        case .object(let o):
            if o.count == 1, let name = o["$ref"]?.stringValue, let e = evaluators[name] { return e }
            return .object(JSONObject(o.members.map { ($0.key, resolveRefs($0.value, evaluators)) }))
        case .array(let a): return .array(a.map { resolveRefs($0, evaluators) })
        default: return v
        }
    }

    // MARK: writing

    static func killed(_ key: String, _ fragment: JSONValue, _ loc: FormatLocation) throws(FormatError) -> JSONValue {
        let d = try def(key, fragment, loc)
        var o = d.object
        if o["state"]?.stringValue != "ENABLED" { o["state"] = .string("ENABLED") }
        o["targeting"] = nil
        if d.isBoolean {
            let off = variantName(for: .bool(false), in: &o, preferred: "off")
            if o["defaultVariant"]?.stringValue != off { o["defaultVariant"] = .string(off) }
        } else if d.defaultVariant == nil {
            throw .inexpressible(loc, "\(key) has no defaultVariant: with its targeting removed the application's code default would be served, which flagdeck cannot vouch is off. Give it a defaultVariant, then kill it")
        }
        return .object(o)
    }

    /// The name of the variant whose value is exactly `v`, adding one (named `preferred`,
    /// or `preferred-2`…) when there is none.
    static func variantName(for v: JSONValue, in o: inout JSONObject, preferred: String) -> String {
        var variants = o["variants"]?.objectValue ?? JSONObject()
        // Two variants may share a value (a split's `control` and the `default`): keep the name.
        if let same = variants[preferred], JSONTextEdit.identical(same, v) { return preferred }
        if let m = variants.members.first(where: { JSONTextEdit.identical($0.value, v) }) { return m.key }
        var name = preferred, n = 2
        while variants[name] != nil { name = "\(preferred)-\(n)"; n += 1 }
        variants[name] = v
        o["variants"] = .object(variants)
        return name
    }

    static func applying(_ desired: DesiredCell, to current: JSONValue?, key: String, evaluators: JSONObject?,
                         _ loc: FormatLocation) throws(FormatError) -> JSONValue {
        if desired.enabled, !desired.overrides.isEmpty {
            throw .inexpressible(loc, "overrides of \(key) cannot be written to flagd: JsonLogic targeting has nowhere to mark a branch as an override. Write the override as a rule instead")
        }
        if let current, let have = try? cell(key, current, evaluators: evaluators, loc), same(have, desired.cell) { return current }
        // The split lives on the flag in flagdeck, but the document only knows its own.
        let currentDef = current.flatMap { try? def(key, $0, loc) }
        let ownSplit = currentDef.map { Self.split(of: $0, evaluators: evaluators) } ?? []
        let flag = Flag(key: key, createdAt: .init(timeIntervalSince1970: 0), valueKind: desired.valueKind, variants: ownSplit)
        let state = FlagState(flagKey: key, env: EnvironmentID(account: "-", name: "-"), enabled: desired.enabled,
                              rolloutBasisPoints: desired.rolloutBasisPoints, rules: desired.rules, defaultValue: desired.defaultValue,
                              changedAt: .init(timeIntervalSince1970: 0), changedBy: "")
        let (generated, warnings) = FlagdMapping.flag(flag, state)
        if let w = warnings.first {
            throw .inexpressible(loc, w.replacingOccurrences(of: "; left out of the flagd export", with: "; change or remove that rule first"))
        }
        var o = current?.objectValue ?? JSONObject()
        if let current, currentDef == nil { _ = try def(key, current, loc) }  // throws the fragment's own error
        if o["state"]?.stringValue != "ENABLED" { o["state"] = .string("ENABLED") }
        // Map the generated variant names onto the flag's own variants, by value.
        var rename: [String: String] = [:]
        if o["variants"] == nil { o["variants"] = .object(JSONObject()) }
        for (name, v) in generated["variants"]?.objectValue?.members ?? [] {
            rename[name] = variantName(for: v, in: &o, preferred: name)
        }
        let dv = rename[generated["defaultVariant"]?.stringValue ?? ""] ?? "off"
        if o["defaultVariant"]?.stringValue != dv { o["defaultVariant"] = .string(dv) }
        if let t = generated["targeting"] {
            let renamed = renameVariants(t, rename)
            if !(o["targeting"].map { JSONTextEdit.identical($0, renamed) } ?? false) { o["targeting"] = renamed }
        } else {
            o["targeting"] = nil
        }
        return .object(o)
    }

    /// Same cell, ignoring rule names (flagd keeps none; reading names them `flagd rule N`).
    static func same(_ a: DocumentCell, _ b: DocumentCell) -> Bool {
        func unnamed(_ rules: String) -> JSONValue {
            .array(((try? JSONParser.parse(rules))?.arrayValue ?? []).map { r in
                .object(JSONObject([("when_match", r["when_match"] ?? .null), ("conditions", r["conditions"] ?? .null)]))
            })
        }
        guard a.enabled == b.enabled, a.valueKind == b.valueKind, a.overrides == b.overrides else { return false }
        if !a.enabled { return a.valueKind == .boolean || a.defaultValue == b.defaultValue }
        return a.rolloutBasisPoints == b.rolloutBasisPoints && JSONCompare.pyEqual(unnamed(a.rules), unnamed(b.rules))
            && JSONCompare.pyEqual((try? JSONParser.parse(a.defaultValue)) ?? .null, (try? JSONParser.parse(b.defaultValue)) ?? .null)
    }

    static func renameVariants(_ t: JSONValue, _ rename: [String: String]) -> JSONValue {
        guard case .object(let o) = t, o.count == 1, let (op, arg) = o.members.first.map({ ($0.key, $0.value) }) else { return t }
        switch (op, arg) {
        case ("fractional", .array(let parts)):
            return .object(JSONObject([("fractional", .array(parts.map { p in
                guard case .array(var pair) = p, let n = pair.first?.stringValue else { return p }
                pair[0] = .string(rename[n] ?? n)
                return .array(pair)
            }))]))
        case ("if", .array(let chain)):
            var out = chain
            var k = 1
            while k < chain.count {
                if let n = chain[k].stringValue { out[k] = .string(rename[n] ?? n) }
                k += 2
            }
            if chain.count % 2 == 1, let last = chain.last {
                out[chain.count - 1] = last.stringValue.map { .string(rename[$0] ?? $0) } ?? renameVariants(last, rename)
            }
            return .object(JSONObject([("if", .array(out))]))
        default:
            return t
        }
    }
}

/// flagd's `fractional` as openfeature-flagd-core 2.0.0 computes it (`custom_ops.py`):
/// `h = mmh3.hash(cbor2.dumps([flagKey, targetingKey], canonical=True), signed=False)`,
/// bucket `(h * totalWeight) >> 32`, first variant whose cumulative weight exceeds it.
/// Lets flagdeck say which contexts a flagd rollout serves, exactly as the provider does.
public enum FlagdFractional {
    public static func assign(flagKey: String, targetingKey: String, weights: [(String, Int)]) -> String? {
        let total = weights.reduce(0) { $0 + max($1.1, 0) }
        guard total > 0 else { return nil }
        var cbor: [UInt8] = [0x82]
        for s in [flagKey, targetingKey] { cbor += textHeader(s.utf8.count) + Array(s.utf8) }
        let h = UInt64(Murmur3.hash32(cbor))
        let bucket = Int((h * UInt64(total)) >> 32)
        var end = 0
        for (name, w) in weights {
            end += max(w, 0)
            if bucket < end { return name }
        }
        return nil
    }

    static func textHeader(_ n: Int) -> [UInt8] {
        switch n {
        case ..<24: [0x60 | UInt8(n)]
        case ..<256: [0x78, UInt8(n)]
        case ..<65_536: [0x79, UInt8(n >> 8), UInt8(n & 0xFF)]
        default: [0x7A, UInt8((n >> 24) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
        }
    }
}
