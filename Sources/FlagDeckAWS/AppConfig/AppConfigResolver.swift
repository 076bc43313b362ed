/// Operators name applications, environments and profiles; the API wants ids. These
/// list and match by id first, then by exact name, and when nothing matches they say
/// what does exist.
extension AppConfigClient {
    public func resolveApplication(_ idOrName: String) throws -> AppConfigApplication {
        let all = try listApplications()
        return try Self.match(idOrName, in: all, id: \.id, name: \.name, kind: "application", scope: nil, client: client)
    }

    public func resolveEnvironment(_ idOrName: String,
                                   in application: AppConfigApplication) throws -> AppConfigEnvironment {
        let all = try listEnvironments(application: application.id)
        return try Self.match(idOrName, in: all, id: \.id, name: \.name, kind: "environment",
                              scope: "application \(application.name)", client: client)
    }

    public func resolveConfigurationProfile(_ idOrName: String,
                                            in application: AppConfigApplication) throws -> AppConfigProfileSummary {
        let all = try listConfigurationProfiles(application: application.id)
        return try Self.match(idOrName, in: all, id: \.id, name: \.name, kind: "configuration profile",
                              scope: "application \(application.name)", client: client)
    }

    /// All three at once: `resolve(application: "checkout", environment: "prod", profile: "flags")`.
    public func resolve(application: String, environment: String, profile: String) throws -> AppConfigTarget {
        let app = try resolveApplication(application)
        return AppConfigTarget(application: app, environment: try resolveEnvironment(environment, in: app),
                               profile: try resolveConfigurationProfile(profile, in: app))
    }

    /// The matching rule, pure: an exact id wins; else exactly one exact name. Public so a
    /// caller that already holds a list (and needs it for more than the match) lists once.
    public static func match<T>(_ wanted: String, in items: [T], id: KeyPath<T, String>, name: KeyPath<T, String>, kind: String,
                         scope: String?, client: AWSClient) throws -> T {
        if let byId = items.first(where: { $0[keyPath: id] == wanted }) { return byId }
        let byName = items.filter { $0[keyPath: name] == wanted }
        let context = AWSErrorContext(profile: client.profileName, accountId: client.accountId, service: "appconfig",
                                      operation: nil, resource: scope)
        if byName.count == 1 { return byName[0] }
        if byName.count > 1 {
            throw AWSError.ambiguous(kind: kind, wanted: wanted, matches: byName.map { $0[keyPath: id] }, context: context)
        }
        let available = items.map { "\($0[keyPath: name]) (\($0[keyPath: id]))" }.sorted()
        throw AWSError.notFound(kind: kind, wanted: wanted, available: available, context: context)
    }
}
