import Foundation

/// Changing a setting changes how every flag is judged, so it is an audited operation
/// like any flag change: validated, written with one `setting.set` event whose
/// before/after record the old and new values, and refused without a reason.
extension Operations {
    /// Sets `key` to `value`, or back to its default when `value` is nil. Returns the
    /// audit event. Only known keys are accepted (see `SettingKeys.all`).
    @discardableResult
    public func setSetting(_ key: String, to value: String?, reason: String) throws -> AuditEvent {
        let why = reason.trimmingWhitespace()
        guard !why.isEmpty else { throw FlagDeckError.reasonRequired(action: "change setting \(key)", env: nil) }
        let canonical = try value.map { v throws(FlagDeckError) in try SettingKeys.normalize(key: key, value: v) }
        if value == nil, !SettingKeys.all.contains(key) {
            throw FlagDeckError.unknownSetting(key, known: SettingKeys.all)
        }
        // Thresholds shape everyone's review, so the access policy applies as for any
        // change that spans environments; a refusal is itself audited.
        return try transaction(AuditAction.settingSet, flag: nil, env: nil, reason: why) { tx in
            try tx.authorizeAny(action: "change settings")
            let old = try tx.w.setting(key)
            guard old != canonical else {
                throw FlagDeckError.nothingToDo("setting \(key) is already \(canonical ?? "the default"); nothing written")
            }
            try tx.w.setSetting(key, canonical)
            return try tx.append(AuditAction.settingSet, flag: nil, env: nil, before: SettingJSON.encode(key: key, value: old),
                                 after: SettingJSON.encode(key: key, value: canonical), reason: why)
        }
    }
}

/// The audit snapshot of one setting: `{"key":"lifecycle.stable_window_days","value":"28"}`;
/// a null value means "unset, the default applies".
public enum SettingJSON {
    public static func encode(key: String, value: String?) -> String {
        "{\"key\":\(JSONText.quote(key)),\"value\":\(value.map(JSONText.quote) ?? "null")}"
    }
}
