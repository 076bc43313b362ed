import FlagDeckCore
import Foundation

/// One line of `sample-data/history.jsonl`: who did what, how long before build time.
public struct HistoryEntry: Sendable, Hashable {
    public enum Operation: String, Sendable, Hashable {
        case initialize = "init"
        case environment = "env"
        case create, edit, enable, disable, rollout, kill, unkill
    }

    /// Metadata changes an `edit` line may carry; nil members are left alone.
    public struct FlagEdit: Sendable, Hashable {
        public var owner: String??
        public var description: String?
        public var tags: [String]?
        public var expiresIn: TimeInterval??
        public var type: FlagType?
    }

    public var line: Int
    /// Seconds before build time.
    public var ago: TimeInterval
    public var by: String
    public var op: Operation
    public var flag: String?
    /// `ACCOUNT/ENV`, or `*` for every environment (kill and unkill only).
    public var env: String?
    /// Percentage text as written ("25", "12.5"), parsed by `Percent`.
    public var percent: String?
    public var reason: String
    public var edit: FlagEdit

    /// Parses one JSON object line; throws with the line number on any problem.
    static func parse(_ text: String, line: Int) throws -> HistoryEntry {
        let where_ = "history.jsonl line \(line)"
        guard let o = (try? JSONParser.parse(text))?.objectValue else {
            throw SampleDataError(where_, "not a JSON object")
        }
        func str(_ k: String) throws -> String? {
            guard let v = o[k], v != .null else { return nil }
            guard let s = v.stringValue else { throw SampleDataError(where_, "\"\(k)\" must be a string") }
            return s
        }
        guard let opText = try str("op"), let op = Operation(rawValue: opText) else {
            throw SampleDataError(where_, "missing or unknown \"op\" (\(o["op"].map(JSONWriter.compact) ?? "none"))")
        }
        guard let agoText = try str("ago") else { throw SampleDataError(where_, "missing \"ago\"") }
        let ago: TimeInterval
        do { ago = try RelativeTime.seconds(agoText) } catch { throw SampleDataError(where_, "bad \"ago\": \(agoText)") }
        guard let by = try str("by"), !by.isEmpty else { throw SampleDataError(where_, "missing \"by\"") }
        var percent: String?
        if let p = o["percent"] {
            // The number's text as written ("12.5"), which `Percent` parses exactly.
            switch p {
            case .int, .double: percent = JSONWriter.compact(p)
            default: throw SampleDataError(where_, "\"percent\" must be a number")
            }
        }
        var edit = FlagEdit()
        if o.contains("owner") { edit.owner = .some(try str("owner")) }
        edit.description = try str("description")
        if let tags = try SampleData.strings(o["tags"], where_, "tags") { edit.tags = tags }
        if o.contains("expires") {
            do { edit.expiresIn = .some(try str("expires").map { try RelativeTime.seconds($0) }) }
            catch { throw SampleDataError(where_, "bad \"expires\"") }
        }
        if let t = try str("type") {
            do { edit.type = try FlagType(parsing: t) } catch { throw SampleDataError(where_, "\(error)") }
        }
        let entry = HistoryEntry(line: line, ago: ago, by: by, op: op, flag: try str("flag"), env: try str("env"),
                                 percent: percent, reason: try str("reason") ?? "", edit: edit)
        switch op {
        case .initialize: break
        case .environment:
            guard entry.env != nil else { throw SampleDataError(where_, "\"env\" is required") }
        case .create, .edit:
            guard entry.flag != nil else { throw SampleDataError(where_, "\"flag\" is required") }
        case .enable, .disable, .kill, .unkill:
            guard entry.flag != nil, entry.env != nil else { throw SampleDataError(where_, "\"flag\" and \"env\" are required") }
        case .rollout:
            guard entry.flag != nil, entry.env != nil, percent != nil else {
                throw SampleDataError(where_, "\"flag\", \"env\" and \"percent\" are required")
            }
        }
        return entry
    }
}
