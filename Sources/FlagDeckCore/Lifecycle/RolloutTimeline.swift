import Foundation

/// The served percentage of one flag over time, per environment, rebuilt from the
/// `after` snapshots of its audit events: the data behind the history screen's step
/// chart or sparkline. Disabled and killed serve 0 %, like everywhere in the lifecycle
/// analytics, so a kill shows as a drop to the floor.
public struct RolloutTimeline: Hashable, Sendable {
    /// One step: from `at` on, the environment served `basisPoints`.
    public struct Step: Hashable, Sendable {
        public var at: Date
        public var basisPoints: Int
        public init(at: Date, basisPoints: Int) {
            self.at = at
            self.basisPoints = basisPoints
        }
    }

    /// Steps per environment path (`ACCOUNT/ENV`), oldest first.
    public var steps: [String: [Step]]

    /// Builds from events in any order; events without an environment or without a
    /// state snapshot (flag edits, review marks) are ignored.
    public init<S: Sequence>(events: S) where S.Element == AuditEvent {
        var out: [String: [(Int64, Step)]] = [:]
        for e in events {
            guard let env = e.env, let after = e.after, let bp = Self.served(after) else { continue }
            out[env, default: []].append((e.seq, Step(at: e.date, basisPoints: bp)))
        }
        steps = out.mapValues { $0.sorted { $0.0 < $1.0 }.map(\.1) }
    }

    /// The value in force at `date`, or nil before the first recorded step.
    public func value(env: String, at date: Date) -> Int? {
        steps[env]?.last { $0.at <= date }?.basisPoints
    }

    /// `width` samples from `from` to `to` as block characters (▁ is 0 %, █ is 100 %), a
    /// space where nothing was recorded yet.
    public func sparkline(env: String, from: Date, to: Date, width: Int) -> String {
        guard width > 0 else { return "" }
        let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let span = max(0, to.timeIntervalSince(from))
        return String((0..<width).map { i -> Character in
            let t = from.addingTimeInterval(width == 1 ? span : span * Double(i) / Double(width - 1))
            guard let bp = value(env: env, at: t) else { return " " }
            return blocks[min(blocks.count - 1, bp * blocks.count / 10_001)]
        })
    }

    /// Served basis points from a cell snapshot (`StateJSON`), nil if it is not one.
    static func served(_ json: String) -> Int? {
        guard case .object(let o)? = try? JSONParser.parse(json),
              let enabled = o["enabled"]?.boolValue, let killed = o["killed"]?.boolValue else { return nil }
        let percent: Double
        switch o["rollout"] {
        case .int(let i)?: percent = Double(i)
        case .double(let d)?: percent = d
        default: return nil
        }
        return killed || !enabled ? 0 : Int((percent * 100).rounded())
    }
}
