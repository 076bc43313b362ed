/// Where a cell change came from or went to, embedded in its audit event's `after`
/// snapshot as `"source":{…}`, so the log answers "which document, which version, was it
/// made outside flagdeck?" without a second table.
public struct SourceStamp: Sendable, Hashable {
    public var uri: String
    public var version: String?
    /// `external` for what sync found, `flagdeck` for what a push wrote.
    public var origin: String
    public var intent: String?
    public var recovered: Bool
    /// Driver facts (AppConfig deployment number, strategy, a stopped deployment…).
    public var details: [String: String]
    /// The flag is gone from the document (shown as absent, history kept).
    public var absent: Bool

    public init(uri: String, version: String?, origin: String, intent: String? = nil, recovered: Bool = false,
                details: [String: String] = [:], absent: Bool = false) {
        self.uri = uri
        self.version = version
        self.origin = origin
        self.intent = intent
        self.recovered = recovered
        self.details = details
        self.absent = absent
    }

    var json: String {
        var m: [(String, JSONValue)] = [("uri", .string(uri)), ("version", version.map { .string($0) } ?? .null),
                                        ("origin", .string(origin))]
        if let intent { m.append(("intent", .string(intent))) }
        if recovered { m.append(("recovered", .bool(true))) }
        if absent { m.append(("absent", .bool(true))) }
        // A driver's facts never shadow the stamp's own members (one key, one meaning).
        let own: Set<String> = ["uri", "version", "origin", "intent", "recovered", "absent"]
        for (k, v) in details.sorted(by: { $0.key < $1.key }) where !own.contains(k) { m.append((k, .string(v))) }
        return JSONWriter.compact(.object(JSONObject(m)))
    }
}

extension StateJSON {
    /// A cell snapshot with where it came from or went to. The cell's own members keep
    /// their hashed order; the stamp is appended as one more member.
    public static func encode(_ s: FlagState, source: SourceStamp?) -> String {
        let plain = encode(s)
        guard let source else { return plain }
        return String(plain.dropLast()) + ",\"source\":" + source.json + "}"
    }
}
