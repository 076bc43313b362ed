import FlagDeckAWS
import Foundation

/// A jobs table bound as one flag: `dynamodb://PROFILE@REGION/TABLE?key=job_id&attribute=is_feature_enabled&flag=FLAG`.
/// Each item is one job; its boolean attribute is that job's value of the flag, read by
/// the application per job (the seed's `toggle_feature`). Opening one checks the table
/// exists and that `key` alone names an item, so every later call can trust the shape.
///
/// Blocking and thread-safe like the AWS client beneath it; the scan and the bulk engine
/// run their calls on threads of their own.
public final class DynamoDBJobsSource: Sendable {
    public let location: SourceURI.DynamoDBLocation
    public let client: AWSClient
    public let table: DynamoDBTableDescription
    /// `S` or `N`: how a job id travels in a key.
    public let keyType: String

    /// The canonical URI, as stored in a binding.
    public var uri: String { SourceURI.dynamoDB(location).description }
    public var tableName: String { location.table }
    public var key: String { location.key }
    public var attribute: String { location.attribute }
    public var defaultValue: Bool { location.defaultValue }

    /// Builds the AWS client from the URI's profile and region (over `configuration`'s)
    /// and opens the table.
    public static func open(_ location: SourceURI.DynamoDBLocation,
                            configuration: AWSClientConfiguration = AWSClientConfiguration()) throws(DynamoDBJobsError)
        -> DynamoDBJobsSource {
        var c = configuration
        if let p = location.profile { c.profile = p }
        if let r = location.region { c.region = r }
        let client: AWSClient
        do { client = try AWSClient(c) } catch {
            throw .configuration(uri: SourceURI.dynamoDB(location).description, detail: "\(error)")
        }
        return try DynamoDBJobsSource(location: location, client: client)
    }

    /// Describes the table and validates the binding against it.
    public init(location: SourceURI.DynamoDBLocation, client: AWSClient) throws(DynamoDBJobsError) {
        let name = location.table
        guard !location.attribute.isEmpty else {
            throw .badAttribute(table: name, attribute: location.attribute, reason: "it is empty")
        }
        guard location.attribute != location.key else {
            throw .badAttribute(table: name, attribute: location.attribute, reason: "it is the table's key")
        }
        let t: DynamoDBTableDescription
        do { t = try client.dynamoDB.describeTable(name) } catch {
            if (error as? AWSError)?.code == "ResourceNotFoundException" {
                throw .tableNotFound(table: name, detail: "looked in region \(client.region)"
                                        + (client.accountId.map { ", account \($0)" } ?? "") + " with profile \(client.profileName)")
            }
            throw DynamoDBJobsError.from(error, table: name)
        }
        guard let pk = t.partitionKey else {
            throw .unreachable(table: name, detail: "DescribeTable returned no partition key")
        }
        if let sk = t.sortKey { throw .compositeKey(table: name, partitionKey: pk, sortKey: sk) }
        guard pk == location.key else { throw .keyNotPartitionKey(table: name, key: location.key, partitionKey: pk) }
        let type = t.attributeDefinitions?.first { $0.attributeName == pk }?.attributeType ?? "S"
        guard type == "S" || type == "N" else { throw .unsupportedKeyType(table: name, key: pk, type: type) }
        guard location.attribute != t.sortKey else {
            throw .badAttribute(table: name, attribute: location.attribute, reason: "it is the table's sort key")
        }
        self.location = location
        self.client = client
        self.table = t
        self.keyType = type
    }

    /// The item key for a job id.
    public func itemKey(_ job: String) throws(DynamoDBJobsError) -> DynamoDBItem {
        guard !job.isEmpty else { throw .invalidJobID(table: tableName, key: key, job: job, reason: "it is empty") }
        if keyType == "N" {
            guard Decimal(string: job) != nil, job.allSatisfy({ "0123456789.-+eE".contains($0) }) else {
                throw .invalidJobID(table: tableName, key: key, job: job, reason: "the key is a number")
            }
            return [key: .n(job)]
        }
        return [key: .s(job)]
    }

    /// The job id an item (or key) carries.
    func jobID(_ item: DynamoDBItem) -> String? {
        switch item[key] {
        case .s(let s)?: s
        case .n(let n)?: n
        default: nil
        }
    }

    /// `#k` and `#a`, so any attribute name (reserved words, dots, dashes) works.
    var names: [String: String] { ["#k": key, "#a": attribute] }

    func failure(_ error: Error) -> DynamoDBJobsError { DynamoDBJobsError.from(error, table: tableName) }
}
