/// Everything an import wants, read and validated before the database is touched, so a
/// bad file anywhere in the tree means nothing is written.
public struct ImportPlan: Sendable {
    public struct FlagMeta: Sendable, Equatable {
        public var key: String
        /// nil: leave an existing flag's value alone.
        public var description: String?
        public var owner: String?
        public var dependsOn: [String]?
        public var valueKind: ValueKind
    }

    public struct Cell: Sendable {
        public var flagKey: String
        public var env: EnvironmentID
        public var definition: PowertoolsMapping.CellDefinition
        /// `file: $.path`, for messages.
        public var source: String
    }

    public var environments: [EnvironmentID] = []
    public var flags: [FlagMeta] = []
    public var cells: [Cell] = []

    public init() {}

    mutating func addEnvironment(_ e: EnvironmentID) {
        if !environments.contains(e) { environments.append(e) }
    }

    mutating func addFlag(_ m: FlagMeta, source: String) throws(FormatError) {
        if let i = flags.firstIndex(where: { $0.key == m.key }) {
            guard flags[i].valueKind == m.valueKind else {
                throw .schema(FormatLocation(file: source, path: "$." + m.key),
                              "feature \(m.key) is \(m.valueKind.rawValue)-valued here but \(flags[i].valueKind.rawValue)-valued in another environment")
            }
            return
        }
        flags.append(m)
    }
}

/// One line of an import's diff.
public struct ImportChange: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case createEnvironment = "create env", createFlag = "create flag", updateFlag = "update flag", updateCell = "update" }
    public var kind: Kind
    public var flag: String?
    public var env: String?
    public var before: String?
    public var after: String?

    public var description: String {
        switch kind {
        case .createEnvironment: "+ env \(env ?? "")"
        case .createFlag: "+ flag \(flag ?? "")"
        case .updateFlag: "~ flag \(flag ?? ""): \(before ?? "") -> \(after ?? "")"
        case .updateCell: "~ \(flag ?? "") in \(env ?? ""): \(before ?? "") -> \(after ?? "")"
        }
    }
}
