/// How a hosted version carries the push intent that wrote it, so that after a crash
/// between CreateHostedConfigurationVersion and the local commit the next open can find
/// the version again (`AppConfigSource.findWrite`).
///
/// The intent goes into two places. The description (AWS keeps it; an operator reading the
/// version history sees who did what and why), and the version label, because a label is
/// also what AppConfigData names in `Version-Label` and because some services keep labels
/// but not descriptions (ministack 1.5.33 drops descriptions). Both travel as HTTP headers,
/// so both are printable ASCII.
enum AppConfigIntentMarker {
    static let labelPrefix = "flagdeck-"
    static let killLabelPrefix = "flagdeck-kill-"
    /// AWS's limits (CreateHostedConfigurationVersion).
    static let maxLabel = 64
    static let maxDescription = 1024

    /// `flagdeck-kill-<intent>` or `flagdeck-<intent>`; nil when the id does not fit a label
    /// (then only the description carries it).
    static func versionLabel(intentID: String, urgent: Bool) -> String? {
        let label = (urgent ? killLabelPrefix : labelPrefix) + intentID
        guard label.utf8.count <= maxLabel, label.unicodeScalars.allSatisfy(isLabelSafe) else { return nil }
        return label
    }

    /// The intent a flagdeck label names, and whether it was a kill.
    static func intent(fromLabel label: String?) -> (id: String, urgent: Bool)? {
        guard let label else { return nil }
        if label.hasPrefix(killLabelPrefix) { return (String(label.dropFirst(killLabelPrefix.count)), true) }
        if label.hasPrefix(labelPrefix) { return (String(label.dropFirst(labelPrefix.count)), false) }
        return nil
    }

    /// Whether a version's label or description names `intentID`.
    static func carries(_ intentID: String, label: String?, description: String?) -> Bool {
        if let i = intent(fromLabel: label), i.id == intentID { return true }
        guard let description, !intentID.isEmpty else { return false }
        return description.contains(intentID)
    }

    /// The description to send: printable ASCII (other characters become `\uXXXX`, so
    /// nothing is lost), at most 1024 characters, and always naming the intent — a long
    /// reason is shortened, never the intent id.
    static func description(_ text: String, intentID: String) -> String {
        var body = escape(text)
        let suffix = body.contains(escape(intentID)) ? "" : " (intent \(escape(intentID)))"
        let room = maxDescription - suffix.count
        if body.count > room {
            // Keep the intent when the text carried it at its end (the usual spelling).
            let id = escape(intentID)
            if suffix.isEmpty, let r = body.range(of: "(intent " + id, options: .backwards) ?? body.range(of: id, options: .backwards) {
                let tail = String(body[r.lowerBound...])
                return String((String(body.prefix(max(0, maxDescription - tail.count - 4))) + "... " + tail).prefix(maxDescription))
            }
            body = String(body.prefix(max(0, room - 3))) + "..."
        }
        return body + suffix
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if (0x20...0x7E).contains(u.value) {
                out.unicodeScalars.append(u)
            } else if u.value <= 0xFFFF {
                out += "\\u" + hex(u.value, 4)
            } else {
                out += "\\U" + hex(u.value, 8)
            }
        }
        return out
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }

    private static func isLabelSafe(_ u: Unicode.Scalar) -> Bool { (0x21...0x7E).contains(u.value) }
}
