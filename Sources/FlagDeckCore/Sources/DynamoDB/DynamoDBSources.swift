import FlagDeckAWS
import Foundation

/// The opened jobs table of each DynamoDB binding, kept per process as `SourceDrivers`
/// keeps document drivers: opening one resolves credentials and describes the table,
/// which a dashboard syncing in the background must not redo on every pass.
public final class DynamoDBSources: @unchecked Sendable {
    private let lock = NSLock()
    private var opened: [String: DynamoDBJobsSource] = [:]
    /// How clients are made: the process's AWS environment (profiles, `AWS_ENDPOINT_URL`…)
    /// unless a caller (a test, the bench) points it elsewhere.
    public let configuration: AWSClientConfiguration

    public init(configuration: AWSClientConfiguration = AWSClientConfiguration()) {
        self.configuration = configuration
    }

    public static let shared = DynamoDBSources()

    public func source(for location: SourceURI.DynamoDBLocation) throws(DynamoDBJobsError) -> DynamoDBJobsSource {
        let key = SourceURI.dynamoDB(location).description
        if let s = lock.withLock({ opened[key] }) { return s }
        let made = try DynamoDBJobsSource.open(location, configuration: configuration)
        lock.withLock { opened[key] = made }
        return made
    }
}

extension SourceBinding {
    /// The table location of a DynamoDB binding; nil for documents.
    public var jobsLocation: SourceURI.DynamoDBLocation? {
        if case .dynamoDB(let d)? = try? SourceURI(parsing: uri) { return d }
        return nil
    }
}
