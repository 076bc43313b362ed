import Foundation

/// What a push intent's `plan` records, so the next open can tell whether a write that was
/// under way when the process died reached its source, and finish recording it exactly.
struct PushPlan: Sendable {
    /// The source version the change was computed on.
    var base: String
    /// The flag's fingerprint in the source once the change is there.
    var afterFingerprint: String?
    /// What a kill replaced, for unkill to restore byte for byte.
    var preKill: String?
    /// The cell the change leads to.
    var next: FlagState
    /// The process making the change, so recovery on this host never settles an intent
    /// whose push is still running.
    var pid: Int32 = getpid()
    /// Set when the push carries an override rather than a change of the cell.
    var overrideEdit: OverrideEdit?

    var json: String {
        JSONWriter.compact(.object(JSONObject([
            ("base", .string(base)),
            ("after_fingerprint", afterFingerprint.map { .string($0) } ?? .null),
            ("pre_kill", preKill.map { .string($0) } ?? .null),
            ("enabled", .bool(next.enabled)), ("killed", .bool(next.killed)),
            ("rollout_bp", .int(Int64(next.rolloutBasisPoints))),
            ("rules", .string(next.rules)), ("default", .string(next.defaultValue)),
            ("pid", .int(Int64(pid))),
            ("override", overrideEdit?.json ?? .null),
        ])))
    }

    /// Reads a plan back onto the intent's cell (flag, environment) as it is now.
    init?(json text: String, onto current: FlagState) {
        guard case .object(let o)? = try? JSONParser.parse(text), let base = o["base"]?.stringValue,
              let enabled = o["enabled"]?.boolValue, let killed = o["killed"]?.boolValue,
              case .int(let bp)? = o["rollout_bp"], let rules = o["rules"]?.stringValue,
              let def = o["default"]?.stringValue else { return nil }
        self.base = base
        afterFingerprint = o["after_fingerprint"]?.stringValue
        preKill = o["pre_kill"]?.stringValue
        if case .int(let p)? = o["pid"] { pid = Int32(truncatingIfNeeded: p) } else { pid = 0 }
        if let e = o["override"], e != .null {
            guard let edit = OverrideEdit(json: e) else { return nil }
            overrideEdit = edit
        }
        var n = current
        n.enabled = enabled
        n.killed = killed
        n.rolloutBasisPoints = Int(bp)
        n.rules = rules
        n.defaultValue = def
        next = n
    }

    init(base: String, afterFingerprint: String?, preKill: String?, next: FlagState) {
        self.base = base
        self.afterFingerprint = afterFingerprint
        self.preKill = preKill
        self.next = next
    }
}
