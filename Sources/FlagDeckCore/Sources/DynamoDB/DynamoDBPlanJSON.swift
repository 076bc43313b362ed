import Foundation

/// The journal's text for plans and kill records, on the formats' JSON model. Compact (a
/// step is one short array) because a 30,000-job kill rewrites its plan once per batch,
/// and stable (fixed member order, restore jobs sorted) so two equal plans are equal text.
extension DynamoDBBulkPlan {
    static let format = "flagdeck.dynamodb.plan/1"

    /// The plan as journal text.
    public var json: String {
        let rows: [JSONValue] = steps.map { s in
            var a: [JSONValue] = [.string(s.job), .string(s.expect.description), .string(s.set.description),
                                  .optional(s.restore?.description), .string(s.status.rawValue)]
            if let d = s.detail { a.append(.string(d)) }
            return .array(a)
        }
        return JSONWriter.compact(.object([
            ("batch_size", .int(Int64(batchSize))), ("format", .string(Self.format)),
            ("interruptions", .array(interruptions.map(JSONValue.string))), ("kind", .string(kind.rawValue)),
            ("steps", .array(rows)), ("uri", .string(uri)),
        ]))
    }

    /// Reads journal text back; the error names what is wrong.
    public init(json: String) throws(DynamoDBJobsError) {
        func bad(_ why: String) -> DynamoDBJobsError {
            .badPlan("the journal's DynamoDB plan cannot be read (\(why)); nothing was written")
        }
        let o = try DynamoDBJournalText.object(json, bad)
        guard let f = o["format"]?.stringValue else { throw bad("no format") }
        guard f == Self.format else { throw bad("unknown plan format \(f)") }
        guard let k = o["kind"]?.stringValue, let kind = Kind(rawValue: k) else { throw bad("kind is missing or unknown") }
        guard let uri = o["uri"]?.stringValue else { throw bad("uri is missing") }
        guard case .int(let size)? = o["batch_size"] else { throw bad("batch_size is missing or not an integer") }
        var interruptions: [String] = []
        for v in o["interruptions"]?.arrayValue ?? [] {
            guard let s = v.stringValue else { throw bad("interruptions must be strings") }
            interruptions.append(s)
        }
        guard let rows = o["steps"]?.arrayValue else { throw bad("steps is missing") }
        var steps: [Step] = []
        steps.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            guard let a = row.arrayValue, a.count >= 5, a.allSatisfy({ $0.stringValue != nil || $0 == .null }) else {
                throw bad("step \(i) is not [job, expect, set, restore, status, detail]")
            }
            func state(_ k: Int) throws(DynamoDBJobsError) -> DynamoDBJobState? {
                guard let name = a[k].stringValue else { return nil }
                guard let s = DynamoDBJobState(writable: name) else { throw bad("step \(i): unknown value \(name)") }
                return s
            }
            guard let job = a[0].stringValue, let expect = try state(1), let set = try state(2),
                  let status = a[4].stringValue.flatMap(Status.init(rawValue:)) else {
                throw bad("step \(i) is not [job, expect, set, restore, status, detail]")
            }
            steps.append(Step(job: job, expect: expect, set: set, restore: try state(3), status: status,
                              detail: a.count > 5 ? a[5].stringValue : nil))
        }
        self.init(kind: kind, uri: uri, steps: steps, batchSize: max(1, Int(size)), interruptions: interruptions)
    }
}

extension DynamoDBKillRecord {
    static let format = "flagdeck.dynamodb.kill/1"

    public var json: String {
        let jobs = restore.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value.description)) }
        return JSONWriter.compact(.object([("format", .string(Self.format)), ("restore", .object(JSONObject(jobs)))]))
    }

    public init(json: String) throws(DynamoDBJobsError) {
        func bad(_ why: String) -> DynamoDBJobsError {
            .badPlan("the recorded DynamoDB kill cannot be read (\(why)); unkill would not know which jobs to turn back on")
        }
        let o = try DynamoDBJournalText.object(json, bad)
        guard o["format"]?.stringValue == Self.format else { throw bad("unknown kill record format") }
        guard let jobs = o["restore"]?.objectValue else { throw bad("restore is missing") }
        var out: [String: DynamoDBJobState] = [:]
        for (job, value) in jobs.members {
            guard let name = value.stringValue, let s = DynamoDBJobState(writable: name) else {
                throw bad("job \(job): unknown value \(value)")
            }
            out[job] = s
        }
        self.init(restore: out)
    }
}

/// Journal text back to an object; `bad` words the error for what was being read.
enum DynamoDBJournalText {
    static func object(_ json: String, _ bad: (String) -> DynamoDBJobsError) throws(DynamoDBJobsError) -> JSONObject {
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(json) } catch { throw bad(error.description) }
        guard let o = parsed.objectValue else { throw bad("not a JSON object") }
        return o
    }
}
