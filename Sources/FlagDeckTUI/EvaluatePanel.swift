import FlagDeckCore
import Foundation

/// "What would this user get?" answered inside the detail screen: pick an environment,
/// type a context, see the value and the step that decided it (killed, disabled, an
/// override, a rule, the bucket against the percentage, the default). Evaluation reads the
/// store exactly as `flagdeck evaluate` does, so the panel and the CLI cannot disagree.
public struct EvaluatePanel: Sendable {
    public let flag: String
    public let environments: [EnvironmentID]
    public private(set) var envIndex: Int
    public private(set) var context = TextField("{\"targetingKey\": \"user-1\"}")
    /// The last outcome: value and explanation, or why there is none.
    public private(set) var outcome: (value: String, explanation: String)?
    public private(set) var problem: String?

    public init(flag: String, environments: [EnvironmentID], start: String?) {
        self.flag = flag
        self.environments = environments
        envIndex = environments.firstIndex { $0.path == start } ?? 0
    }

    public var env: EnvironmentID? { environments.indices.contains(envIndex) ? environments[envIndex] : nil }

    public enum Outcome: Sendable { case pending, close }

    public mutating func handle(_ key: Key, services: ScreenServices) -> Outcome {
        switch key {
        case .escape: return .close
        case .tab:
            guard !environments.isEmpty else { return .pending }
            envIndex = (envIndex + 1) % environments.count
            evaluate(services: services)
        case .enter: evaluate(services: services)
        default:
            _ = context.edit(key)
        }
        return .pending
    }

    mutating func evaluate(services: ScreenServices) {
        outcome = nil
        problem = nil
        guard let env else { problem = "no environments"; return }
        let ctx: JSONObject
        do {
            guard case .object(let o) = try JSONParser.parse(context.text) else {
                problem = "the context must be a JSON object, e.g. {\"targetingKey\": \"user-1\"}"
                return
            }
            ctx = o
        } catch {
            problem = "bad JSON: \(error.description)"
            return
        }
        do {
            let inventory = try services.store.read { try Inventory($0, env: env) }
            guard let r = inventory.evaluate(flag, context: ctx, now: services.now) else {
                problem = "\(flag) has no state in \(env.path)"
                return
            }
            outcome = (JSONWriter.compact(r.value), r.explanation)
        } catch {
            problem = DashboardApp.message(error)
        }
    }

    /// The panel's lines, drawn at the bottom of the detail screen.
    public func lines(width: Int) -> [(String, ThemeRole)] {
        var out: [(String, ThemeRole)] = [
            (" EVALUATE \(flag) in \(env?.path ?? "-")   (Tab: next environment)", .header),
            (" context: " + context.display(width: max(10, width - 12), focused: true), .dialog),
        ]
        if let outcome {
            out.append((" value: \(outcome.value)", .on))
            out.append((" because: \(outcome.explanation)", .dialog))
        } else if let problem {
            out.append((" " + problem, .danger))
        } else {
            out.append((" Enter evaluates; Esc closes the panel", .dialog))
        }
        return out
    }
}
