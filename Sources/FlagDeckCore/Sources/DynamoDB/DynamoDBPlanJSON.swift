import Foundation

/// The journal's text for plans and kill records. Compact (a step is one short array)
/// because a 30,000-job kill rewrites its plan once per batch, and stable (sorted keys)
/// so two equal plans are equal text.
extension DynamoDBBulkPlan: Codable {
    enum CodingKeys: String, CodingKey { case format, kind, uri, batchSize = "batch_size", steps, interruptions }

    static let format = "flagdeck.dynamodb.plan/1"

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let f = try c.decode(String.self, forKey: .format)
        guard f == Self.format else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: c, debugDescription: "unknown plan format \(f)")
        }
        kind = try c.decode(Kind.self, forKey: .kind)
        uri = try c.decode(String.self, forKey: .uri)
        batchSize = max(1, try c.decode(Int.self, forKey: .batchSize))
        interruptions = try c.decodeIfPresent([String].self, forKey: .interruptions) ?? []
        steps = try c.decode([[String?]].self, forKey: .steps).enumerated().map { (i, a) in
            func state(_ k: Int) throws -> DynamoDBJobState? {
                guard k < a.count, let name = a[k] else { return nil }
                guard let s = DynamoDBJobState(writable: name) else {
                    throw DecodingError.dataCorruptedError(forKey: .steps, in: c, debugDescription: "step \(i): unknown value \(name)")
                }
                return s
            }
            guard a.count >= 5, let job = a[0], let expect = try state(1), let set = try state(2),
                  let status = a[4].flatMap(Status.init(rawValue:)) else {
                throw DecodingError.dataCorruptedError(forKey: .steps, in: c,
                                                       debugDescription: "step \(i) is not [job, expect, set, restore, status, detail]")
            }
            return Step(job: job, expect: expect, set: set, restore: try state(3), status: status,
                        detail: a.count > 5 ? a[5] : nil)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.format, forKey: .format)
        try c.encode(kind, forKey: .kind)
        try c.encode(uri, forKey: .uri)
        try c.encode(batchSize, forKey: .batchSize)
        try c.encode(interruptions, forKey: .interruptions)
        try c.encode(steps.map { s -> [String?] in
            var a: [String?] = [s.job, s.expect.description, s.set.description, s.restore?.description, s.status.rawValue]
            if let d = s.detail { a.append(d) }
            return a
        }, forKey: .steps)
    }

    /// The plan as journal text.
    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, number or array of them: encoding cannot fail.
        return String(decoding: (try? e.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Reads journal text back; the error names what is wrong.
    public init(json: String) throws(DynamoDBJobsError) {
        do { self = try JSONDecoder().decode(Self.self, from: Data(json.utf8)) } catch {
            throw .badPlan("the journal's DynamoDB plan cannot be read (\(error)); nothing was written")
        }
    }
}

extension DynamoDBKillRecord: Codable {
    enum CodingKeys: String, CodingKey { case format, restore }
    static let format = "flagdeck.dynamodb.kill/1"

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard try c.decode(String.self, forKey: .format) == Self.format else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: c, debugDescription: "unknown kill record format")
        }
        var out: [String: DynamoDBJobState] = [:]
        for (job, name) in try c.decode([String: String].self, forKey: .restore) {
            guard let s = DynamoDBJobState(writable: name) else {
                throw DecodingError.dataCorruptedError(forKey: .restore, in: c, debugDescription: "job \(job): unknown value \(name)")
            }
            out[job] = s
        }
        restore = out
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.format, forKey: .format)
        try c.encode(restore.mapValues(\.description), forKey: .restore)
    }

    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? e.encode(self)) ?? Data(), as: UTF8.self)
    }

    public init(json: String) throws(DynamoDBJobsError) {
        do { self = try JSONDecoder().decode(Self.self, from: Data(json.utf8)) } catch {
            throw .badPlan("the recorded DynamoDB kill cannot be read (\(error)); unkill would not know which jobs to turn back on")
        }
    }
}
