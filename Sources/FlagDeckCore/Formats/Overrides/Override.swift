import Foundation

/// "In this (flag, environment), when context key K equals V, serve X" — e.g. one user
/// forced into a variant, or one job id with the flag on. Evaluated after killed and
/// disabled and before rules (see `CellEvaluator`). An expired override is ignored, not
/// deleted, so the audit log and `override list` still show what it was.
public struct Override: Sendable, Hashable {
    public var id: Int64
    public var flagKey: String
    public var env: EnvironmentID
    public var contextKey: String
    public var matchValue: JSONValue
    /// JSON text of the value served.
    public var serve: String
    public var expiresAt: Date?
    public var createdAt: Date
    public var createdBy: String

    public init(id: Int64 = 0, flagKey: String, env: EnvironmentID, contextKey: String, matchValue: JSONValue,
                serve: String, expiresAt: Date? = nil, createdAt: Date, createdBy: String) {
        self.id = id
        self.flagKey = flagKey
        self.env = env
        self.contextKey = contextKey
        self.matchValue = matchValue
        self.serve = serve
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    public func isExpired(at now: Date) -> Bool { expiresAt.map { now >= $0 } ?? false }

    /// Audit snapshot; fixed key order because it is hashed into the chain.
    public var json: String {
        "{\"id\":\(id),\"key\":\(JSONText.quote(contextKey)),\"equals\":\(JSONWriter.compact(matchValue)),"
            + "\"serve\":\(serve),\"expires\":\(expiresAt.map { JSONText.quote(UTC.format($0)) } ?? "null")}"
    }
}
