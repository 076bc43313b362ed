import Foundation

/// Recomputes the chain from the first event. It streams, so a million events verify in
/// constant memory.
public enum AuditVerifier {
    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        /// One or more seq numbers are missing before this one.
        case gap(expected: Int64, found: Int64)
        /// The event's content no longer matches its own stored hash: it was edited.
        case editedContent(seq: Int64)
        /// The event does not link to the hash of the event before it.
        case hashMismatch(seq: Int64)
        /// `--expect HASH` was not found in the log.
        case expectedHashMissing(String)

        public var seq: Int64? {
            switch self {
            case .gap(_, let f): f
            case .editedContent(let s), .hashMismatch(let s): s
            case .expectedHashMissing: nil
            }
        }

        public var kind: String {
            switch self {
            case .gap: "gap"
            case .editedContent: "edited content"
            case .hashMismatch: "hash mismatch"
            case .expectedHashMissing: "expected hash missing"
            }
        }

        public var description: String {
            switch self {
            case .gap(let e, let f): "gap at seq \(f): expected seq \(e), so events \(e)...\(f - 1) are missing"
            case .editedContent(let s): "edited content at seq \(s): the stored fields no longer match the event's hash"
            case .hashMismatch(let s): "hash mismatch at seq \(s): prev_hash does not equal the hash of seq \(s - 1)"
            case .expectedHashMissing(let h): "the log does not contain the expected hash \(h): it was rewritten or truncated"
            }
        }
    }

    /// Not a broken chain, but worth a look: an event stamped earlier than the one before
    /// it by more than `clockStepTolerance`. Clocks step (NTP, a laptop waking), so a few
    /// seconds back is normal; hours back means a wrong clock or a backdated change.
    public struct Warning: Sendable, Equatable, CustomStringConvertible {
        public var seq: Int64
        public var at: String
        public var previousAt: String
        public var secondsEarlier: Double

        public var description: String {
            "seq \(seq) is stamped \(at), \(Age.compact(secondsEarlier)) earlier than seq \(seq - 1) (\(previousAt)): a wrong clock or a backdated change"
        }
    }

    /// How far back one event's time may be from its predecessor's before it is reported.
    public static let clockStepTolerance: TimeInterval = 300

    public struct Report: Sendable, Equatable {
        public var count: Int64
        public var head: AuditHead?
        public var problem: Problem?
        public var warnings: [Warning] = []
        public var ok: Bool { problem == nil }
    }

    /// Feed events in ascending seq order.
    public struct Running {
        var count: Int64 = 0
        var last: AuditHead?
        var lastAt: (text: String, date: Date)?
        var warnings: [Warning] = []
        var problem: Problem?
        var expect: String?
        var sawExpected = false

        public init(expect: String? = nil) { self.expect = expect?.lowercased() }

        /// Returns false once a problem is found, so callers can stop reading.
        public mutating func feed(_ e: AuditEvent) -> Bool {
            guard problem == nil else { return false }
            let expectedSeq = (last?.seq ?? 0) + 1
            if e.seq != expectedSeq { problem = .gap(expected: expectedSeq, found: e.seq); return false }
            if AuditChain.hash(of: e) != e.hash { problem = .editedContent(seq: e.seq); return false }
            if e.prevHash != (last?.hash ?? AuditChain.genesisHash) { problem = .hashMismatch(seq: e.seq); return false }
            if let expect, e.hash == expect { sawExpected = true }
            if let date = UTC.parseStored(e.at) {
                if let prev = lastAt, prev.date.timeIntervalSince(date) > clockStepTolerance {
                    warnings.append(Warning(seq: e.seq, at: e.at, previousAt: prev.text,
                                            secondsEarlier: prev.date.timeIntervalSince(date)))
                }
                lastAt = (e.at, date)
            }
            last = AuditHead(seq: e.seq, hash: e.hash)
            count += 1
            return true
        }

        public func finish() -> Report {
            var p = problem
            if p == nil, let expect, !sawExpected { p = .expectedHashMissing(expect) }
            return Report(count: count, head: last, problem: p, warnings: warnings)
        }
    }
}
