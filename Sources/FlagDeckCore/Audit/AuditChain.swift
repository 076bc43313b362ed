import Crypto
import Foundation

/// The hash chain's definition. Kept apart from storage so that any backend, the
/// verifier and an external auditor compute the very same bytes.
///
/// Canonical encoding: a version line, then each field as `name=<utf8 length>:<value>\n`
/// in a fixed order, with `-` as the length of an absent optional. Length prefixes make
/// the encoding unambiguous without any escaping rules to get wrong.
public enum AuditChain {
    public static let genesisHash = String(repeating: "0", count: 64)

    public static func canonicalBytes(seq: Int64, at: String, operator op: String, host: String,
                                      action: String, flag: String?, env: String?, before: String?,
                                      after: String?, reason: String, prevHash: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + (before?.utf8.count ?? 0) + (after?.utf8.count ?? 0))
        out.append(contentsOf: "flagdeck-audit-v1\n".utf8)
        func field(_ name: String, _ value: String?) {
            out.append(contentsOf: name.utf8)
            out.append(UInt8(ascii: "="))
            if let value {
                out.append(contentsOf: String(value.utf8.count).utf8)
                out.append(UInt8(ascii: ":"))
                out.append(contentsOf: value.utf8)
            } else {
                out.append(UInt8(ascii: "-"))
            }
            out.append(UInt8(ascii: "\n"))
        }
        field("seq", String(seq))
        field("at", at)
        field("operator", op)
        field("host", host)
        field("action", action)
        field("flag", flag)
        field("env", env)
        field("before", before)
        field("after", after)
        field("reason", reason)
        field("prev_hash", prevHash)
        return out
    }

    public static func hash(seq: Int64, at: String, operator op: String, host: String, action: String,
                            flag: String?, env: String?, before: String?, after: String?, reason: String,
                            prevHash: String) -> String {
        let bytes = canonicalBytes(seq: seq, at: at, operator: op, host: host, action: action, flag: flag,
                                   env: env, before: before, after: after, reason: reason, prevHash: prevHash)
        return hex(SHA256.hash(data: bytes))
    }

    public static func hash(of e: AuditEvent) -> String {
        hash(seq: e.seq, at: e.at, operator: e.operator, host: e.host, action: e.action, flag: e.flag,
             env: e.env, before: e.before, after: e.after, reason: e.reason, prevHash: e.prevHash)
    }

    /// Turns a draft into the stored event that follows `head`.
    public static func seal(_ d: AuditDraft, after head: AuditHead?) -> AuditEvent {
        let seq = (head?.seq ?? 0) + 1
        let prev = head?.hash ?? genesisHash
        let at = UTC.format(d.at)
        let h = hash(seq: seq, at: at, operator: d.actor.name, host: d.actor.host, action: d.action,
                     flag: d.flag, env: d.env, before: d.before, after: d.after, reason: d.reason, prevHash: prev)
        return AuditEvent(seq: seq, at: at, operator: d.actor.name, host: d.actor.host, action: d.action,
                          flag: d.flag, env: d.env, before: d.before, after: d.after, reason: d.reason,
                          prevHash: prev, hash: h)
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
