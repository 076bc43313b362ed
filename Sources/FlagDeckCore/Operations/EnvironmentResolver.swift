/// Turns what an operator typed into an environment: `ACCOUNT/ENV` exactly, or a bare
/// `ENV` when exactly one account has it. Guessing between two prods would be dangerous,
/// so an ambiguous name is an error that lists the candidates.
public enum EnvironmentResolver {
    public static func resolve(_ text: String, in envs: [Environment]) throws(FlagDeckError) -> Environment {
        if text.utf8.contains(UInt8(ascii: "/")) {
            let id = try EnvironmentID(parsing: text)
            if let e = envs.first(where: { $0.id == id }) { return e }
            throw .unknownEnvironment(text, known: envs.map(\.id.path))
        }
        let matches = envs.filter { $0.id.name == text }
        switch matches.count {
        case 1: return matches[0]
        case 0: throw .unknownEnvironment(text, known: envs.map(\.id.path))
        default: throw .ambiguousEnvironment(text, matches: matches.map(\.id.path).sorted())
        }
    }

    /// The same rules against the store: one indexed lookup on the hot path, the full
    /// list only to word an error.
    public static func resolve(_ text: String, in r: any StoreReading) throws -> Environment {
        let matches: [Environment]
        if text.utf8.contains(UInt8(ascii: "/")) {
            matches = try r.environment(try EnvironmentID(parsing: text)).map { [$0] } ?? []
        } else {
            matches = try r.environments(named: text)
        }
        if matches.count == 1 { return matches[0] }
        return try resolve(text, in: matches.isEmpty ? try r.environments() : matches)
    }
}
