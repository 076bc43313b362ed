import Foundation

/// What the inventory last saw of a DynamoDB-bound flag beyond its per-job overrides,
/// kept as the flag's `SourceFlagRecord.seen`: how many items the table had, which jobs
/// hold a non-boolean (their overrides carry only what the application makes of them),
/// and the scan's version. The per-job values themselves are the cell's overrides on the
/// table's key: one row per job whose attribute is present; an item without the
/// attribute has no override and serves the default.
struct JobsSeen: Sendable, Equatable {
    var version: String?
    var items: Int
    /// job → the value as `DynamoDBJobState.description` (`S(yes)`, `N(1)`…).
    var nonBoolean: [String: String]

    static let format = "flagdeck.dynamodb.seen/1"

    var json: String {
        JSONWriter.compact(.object(JSONObject([
            ("format", .string(Self.format)), ("version", version.map { .string($0) } ?? .null),
            ("items", .int(Int64(items))),
            ("non_boolean", .object(JSONObject(nonBoolean.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))),
        ])))
    }

    init(version: String?, items: Int, nonBoolean: [String: String]) {
        self.version = version
        self.items = items
        self.nonBoolean = nonBoolean
    }

    init(_ snapshot: DynamoDBJobsSnapshot) {
        self.init(version: snapshot.version, items: snapshot.count,
                  nonBoolean: Dictionary(uniqueKeysWithValues: snapshot.nonBoolean.map { ($0.job, $0.value.description) }))
    }

    init?(json text: String?) {
        guard let text, case .object(let o)? = try? JSONParser.parse(text), o["format"]?.stringValue == Self.format,
              case .int(let n)? = o["items"] else { return nil }
        version = o["version"]?.stringValue
        items = Int(n)
        var nb: [String: String] = [:]
        for (k, v) in o["non_boolean"]?.objectValue?.members ?? [] { nb[k] = v.stringValue ?? JSONWriter.compact(v) }
        nonBoolean = nb
    }
}
