import Foundation

/// What a document says one flagdeck cell is: the fields of `FlagState` a document can
/// express, in flagdeck's stored forms, plus the overrides it expresses. Sync compares
/// this with the inventory; a document never says "killed" (a kill is recorded in the
/// inventory, with the fragment it replaced).
public struct DocumentCell: Sendable, Equatable {
    public var enabled: Bool
    /// 0...10_000.
    public var rolloutBasisPoints: Int
    /// Stored rule array `[{"name", "when_match", "conditions"}]`, compact JSON.
    public var rules: String
    /// JSON text of the default value.
    public var defaultValue: String
    public var valueKind: ValueKind
    /// "when context key K equals V, serve X", in the order the document applies them.
    public var overrides: [DocumentOverride]
    /// AWS.AppConfig.FeatureFlags attribute values (compact JSON object), kept verbatim;
    /// nil for formats without attributes.
    public var attributes: String?

    public init(enabled: Bool, rolloutBasisPoints: Int, rules: String = "[]", defaultValue: String = "false",
                valueKind: ValueKind = .boolean, overrides: [DocumentOverride] = [], attributes: String? = nil) {
        self.enabled = enabled
        self.rolloutBasisPoints = rolloutBasisPoints
        self.rules = rules
        self.defaultValue = defaultValue
        self.valueKind = valueKind
        self.overrides = overrides
        self.attributes = attributes
    }

    init(_ d: PowertoolsMapping.CellDefinition, overrides: [DocumentOverride] = []) {
        self.init(enabled: d.enabled, rolloutBasisPoints: d.rolloutBasisPoints, rules: d.rules,
                  defaultValue: d.defaultValue, valueKind: d.valueKind, overrides: overrides)
    }

    /// The same cell as the import path's definition, for `ImportPlan` and `importedState`.
    public var definition: PowertoolsMapping.CellDefinition {
        .init(enabled: enabled, rolloutBasisPoints: rolloutBasisPoints, rules: rules, defaultValue: defaultValue, valueKind: valueKind)
    }

    /// The cell as a desired state (not killed), e.g. to rewrite a flag as it already is.
    public var desired: DesiredCell {
        DesiredCell(enabled: enabled, killed: false, rolloutBasisPoints: rolloutBasisPoints, rules: rules,
                    defaultValue: defaultValue, valueKind: valueKind, overrides: overrides)
    }
}

/// An override as documents express it: no id, author or expiry (those live in the
/// inventory); only overrides in force belong in a desired cell.
public struct DocumentOverride: Sendable, Hashable, CustomStringConvertible {
    public var contextKey: String
    public var matchValue: JSONValue
    /// JSON text of the value served.
    public var serve: String

    public init(contextKey: String, matchValue: JSONValue, serve: String) {
        self.contextKey = contextKey
        self.matchValue = matchValue
        self.serve = serve
    }

    public init(_ o: Override) {
        self.init(contextKey: o.contextKey, matchValue: o.matchValue, serve: o.serve)
    }

    public var description: String { "\(contextKey) = \(JSONWriter.compact(matchValue)) → \(serve)" }

    public static func == (a: DocumentOverride, b: DocumentOverride) -> Bool {
        JSONCompare.sameScalars(a.contextKey, b.contextKey) && JSONTextEdit.identical(a.matchValue, b.matchValue)
            && a.serve == b.serve
    }

    public func hash(into h: inout Hasher) { h.combine(Array(contextKey.utf8)); h.combine(serve) }
}

/// The cell state after a change — what `DocumentEdit.applying` must make the document say.
public struct DesiredCell: Sendable, Equatable {
    public var enabled: Bool
    public var killed: Bool
    public var rolloutBasisPoints: Int
    public var rules: String
    public var defaultValue: String
    public var valueKind: ValueKind
    public var overrides: [DocumentOverride]

    public init(enabled: Bool, killed: Bool = false, rolloutBasisPoints: Int, rules: String = "[]", defaultValue: String = "false",
                valueKind: ValueKind = .boolean, overrides: [DocumentOverride] = []) {
        self.enabled = enabled
        self.killed = killed
        self.rolloutBasisPoints = rolloutBasisPoints
        self.rules = rules
        self.defaultValue = defaultValue
        self.valueKind = valueKind
        self.overrides = overrides
    }

    /// A stored cell and its overrides; expired overrides are left out, since the
    /// document would keep serving them with no one to expire them.
    public init(state s: FlagState, valueKind: ValueKind, overrides: [Override] = [], now: Date = Date()) {
        self.init(enabled: s.enabled, killed: s.killed, rolloutBasisPoints: s.rolloutBasisPoints, rules: s.rules,
                  defaultValue: s.defaultValue, valueKind: valueKind,
                  overrides: overrides.filter { $0.flagKey == s.flagKey && $0.env == s.env && !$0.isExpired(at: now) }.map(DocumentOverride.init))
    }

    /// What a document can say about this state: no kill, and the fields it carries.
    var cell: DocumentCell {
        DocumentCell(enabled: enabled, rolloutBasisPoints: rolloutBasisPoints, rules: rules, defaultValue: defaultValue,
                     valueKind: valueKind, overrides: overrides)
    }
}

/// What a binding knows that the document does not say.
public struct DocumentContext: Sendable, Equatable {
    /// The application's name for this environment, matched against a features_config
    /// feature's `environments` list. Default: the flagdeck environment's name.
    public var environment: String

    public init(environment: String) {
        self.environment = environment
    }

    public init(env: EnvironmentID, appEnvironment: String? = nil) {
        environment = appEnvironment ?? env.name
    }
}
