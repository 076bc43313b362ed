/// An environment's stable identity, written `ACCOUNT/ENV`.
///
/// The account comes first because operators think "which account am I in" before
/// "which stage", and because the grid groups columns by account.
public struct EnvironmentID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let account: String
    public let name: String

    public init(account: String, name: String) {
        self.account = account
        self.name = name
    }

    /// Parses `ACCOUNT/ENV`; a bare `ENV` is not an ID (see `EnvironmentResolver`).
    public init(parsing text: String) throws(FlagDeckError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .invalidEnvironmentName(text) }
        let account = String(parts[0]), name = String(parts[1])
        guard EnvironmentID.isValidComponent(account), EnvironmentID.isValidComponent(name) else {
            throw .invalidEnvironmentName(text)
        }
        self.init(account: account, name: name)
    }

    public var description: String { "\(account)/\(name)" }
    public var path: String { description }

    public static func < (a: EnvironmentID, b: EnvironmentID) -> Bool {
        (a.account, a.name) < (b.account, b.name)
    }

    /// Same alphabet as flag keys, so paths are safe as directory names on export.
    static func isValidComponent(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 100 && s.utf8.allSatisfy(FlagKey.isAllowedByte) && s != "." && s != ".."
    }
}
