/// The fragment each change writes, per format (see each format's `…Document` type for
/// what it writes and refuses, and `docs/formats.md`, "Documents flagdeck writes").
/// Pure functions from fragment to fragment; `FlagDocument.replacing` puts the result in
/// the document. Unkill is not here: it restores the exact fragment recorded at kill time.
public enum DocumentEdit {
    /// The fragment that makes `flagKey` off for every context. `current` is what the
    /// document holds now (for a hosted FeatureFlags document, the `{"flags", "values"}` pair).
    public static func killed(_ current: JSONValue?, format: DocumentFormat, flagKey: String,
                              in document: FlagDocument? = nil) throws(FormatError) -> JSONValue {
        let loc = location(document, flagKey, format)
        switch format {
        case .powertools:
            guard let current else { throw missing(loc, flagKey) }
            return try PowertoolsDocument.killed(flagKey, current, loc)
        case .featuresConfig:
            guard let current else { throw missing(loc, flagKey) }
            return try FeaturesConfigDocument.killed(flagKey, current, doc: { document?.contains($0) ?? ($0 == flagKey) }, file: loc.file)
        case .flagd:
            guard let current else { throw missing(loc, flagKey) }
            return try FlagdDocument.killed(flagKey, current, loc)
        case .appConfigFeatureFlags:
            guard let current else { throw missing(loc, flagKey) }
            return try AppConfigFeatureFlagsDocument.killed(flagKey, pair: current, loc)
        case .appConfigFeatureFlagsServed:
            throw readOnly(loc)
        }
    }

    /// The fragment that makes the document say `desired` for `flagKey`, starting from
    /// `current` (nil: the flag is new) and changing only what differs: a fragment that
    /// already says `desired` comes back unchanged, and unknown members are kept. A killed
    /// desired state is the kill of what the unkilled state would write. Anything the
    /// format cannot express is refused with `FormatError.inexpressible`.
    public static func applying(_ desired: DesiredCell, to current: JSONValue?, format: DocumentFormat, flagKey: String,
                                context: DocumentContext, in document: FlagDocument? = nil) throws(FormatError) -> JSONValue {
        let loc = location(document, flagKey, format)
        var live = desired
        live.killed = false
        let written: JSONValue
        switch format {
        case .powertools:
            written = try PowertoolsDocument.applying(live, to: current, key: flagKey, loc)
        case .featuresConfig:
            written = try FeaturesConfigDocument.applying(live, to: current, key: flagKey, doc: { document?.contains($0) ?? ($0 == flagKey) },
                                                          context: context, loc: loc)
        case .flagd:
            written = try FlagdDocument.applying(live, to: current, key: flagKey, evaluators: document?.member(["$evaluators"])?.objectValue, loc)
        case .appConfigFeatureFlags:
            written = try AppConfigFeatureFlagsDocument.applying(live, to: current, key: flagKey, loc)
        case .appConfigFeatureFlagsServed:
            throw readOnly(loc)
        }
        return desired.killed ? try killed(written, format: format, flagKey: flagKey, in: document) : written
    }

    static func location(_ d: FlagDocument?, _ key: String, _ format: DocumentFormat) -> FormatLocation {
        if let d { return d.location(key) }
        let container = format == .appConfigFeatureFlags ? ["values"] : (format.containers.first ?? [])
        return FormatLocation(path: JSONPath.render(container.map { .key($0) } + [.key(key)]))
    }

    static func missing(_ loc: FormatLocation, _ key: String) -> FormatError {
        .schema(loc, "\(key) is not in this document, so there is nothing to kill; push it first")
    }

    static func readOnly(_ loc: FormatLocation) -> FormatError {
        .inexpressible(loc, "this is the served (flattened) form of an AWS.AppConfig.FeatureFlags profile, which AppConfig does not accept back; edit the hosted document (version, flags, values) instead")
    }
}

extension FlagDocument {
    /// What the document says `key`'s cell is.
    public func cell(_ key: String, context: DocumentContext) throws(FormatError) -> DocumentCell {
        let loc = location(key)
        guard let f = fragment(key) else { throw .schema(loc, "\(key) is not in this document") }
        switch format {
        case .powertools: return try PowertoolsDocument.cell(key, f, loc)
        case .featuresConfig:
            return try FeaturesConfigDocument.cell(key, f, doc: contains, context: context, file: file)
        case .flagd: return try FlagdDocument.cell(key, f, evaluators: member(["$evaluators"])?.objectValue, loc)
        case .appConfigFeatureFlags:
            return try AppConfigFeatureFlagsDocument.cell(key, pair: f, FormatLocation(file: file, path: JSONPath.render([.key("values"), .key(key)])))
        case .appConfigFeatureFlagsServed:
            let o = try AppConfigFeatureFlagsDocument.values(key, f, loc, where: "")
            return AppConfigFeatureFlagsDocument.cell(key, values: o)
        }
    }

    /// The document with `key` killed (off for every context); record `fragment(key)` first,
    /// it is what unkill puts back with `replacing`.
    public func killing(_ key: String) throws(FormatError) -> FlagDocument {
        try replacing(key, with: DocumentEdit.killed(fragment(key), format: format, flagKey: key, in: self))
    }

    /// Whether the document already says `desired` for `key`: writing it would leave the
    /// fragment as it is. Two spellings of one cell (flagd's `defaultVariant: "on"` and the
    /// inventory's 100 % with a `false` default) are the same cell to the application.
    public func alreadySays(_ desired: DesiredCell, for key: String, context: DocumentContext) -> Bool {
        guard let f = fragment(key),
              let written = try? DocumentEdit.applying(desired, to: f, format: format, flagKey: key, context: context, in: self)
        else { return false }
        return JSONTextEdit.identical(written, f)
    }

    /// The document saying `desired` for `key` (see `DocumentEdit.applying`).
    public func applying(_ desired: DesiredCell, to key: String, context: DocumentContext) throws(FormatError) -> FlagDocument {
        try replacing(key, with: DocumentEdit.applying(desired, to: fragment(key), format: format, flagKey: key,
                                                       context: context, in: self))
    }
}
