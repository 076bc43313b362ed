import Foundation

/// The driver for each binding, made once and kept: an AppConfig driver holds its
/// AppConfigData session (the token that makes polls cheap), so a binding must not get a
/// fresh one per read.
public final class SourceDrivers: @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [String: any DocumentSource] = [:]

    /// Where AppConfig bindings get their accounts' clients (one per profile and region).
    let clients: AWSClientPool
    /// Where each environment's cells were last pushed (see `BindingHints`).
    let hints = BindingHints()

    public init(clients: AWSClientPool = .shared) {
        self.clients = clients
    }

    /// Shared by every `Operations` of the process.
    public static let shared = SourceDrivers()

    public func documentSource(for binding: SourceBinding) throws(SourceError) -> any DocumentSource {
        let uri = try SourceURI(parsing: binding.uri)
        return try documentSource(for: uri, options: binding.options)
    }

    public func documentSource(for uri: SourceURI, options: [String: String] = [:]) throws(SourceError) -> any DocumentSource {
        let key = uri.description
        if let d = lock.withLock({ documents[key] }) { return d }
        let made: any DocumentSource
        switch uri {
        case .file(let path): made = FileSource(path: path)
        case .appConfig:
            // The binding's kill strategy, strategy and size limit; the mechanism's own
            // options (format, app environment) share the map and are ignored there.
            made = try AppConfigSource(uri: uri, options: options, clients: clients)
        case .dynamoDB:
            throw .unsupported(source: key, detail: "a DynamoDB table holds per-item values, not a document")
        }
        lock.withLock { documents[key] = made }
        return made
    }
}
