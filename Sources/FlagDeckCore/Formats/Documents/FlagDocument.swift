/// One parsed flag document with its text kept verbatim. Everything flagdeck writes into a
/// bound document goes through `replacing`, which changes the bytes of one flag and keeps
/// every other byte — other flags, unknown fields, key order, indentation, number spelling.
///
/// Pure value: no I/O. Parsing is one linear pass (`JSONParser.parseWithSpans`), and a
/// replacement splices one span and re-parses the result, so a 50 MB document costs a few
/// linear passes, never a quadratic one.
public struct FlagDocument: Sendable {
    public let format: DocumentFormat
    /// The file (or profile) name errors are attributed to.
    public let file: String
    /// Exactly the bytes that were read (`bytes`, decoded; the parser refuses invalid UTF-8).
    public let text: String
    public let bytes: [UInt8]
    /// Flags in document order (for a hosted FeatureFlags document: `flags` order, then
    /// keys only present in `values`).
    public let keys: [String]
    /// The document's own layout, used for anything new written into it.
    public let layout: JSONLayout
    /// For Powertools: the member path `AppConfigStore(envelope=…)` would extract.
    public let envelope: [String]

    let rootSpan: JSONSpan
    /// How many levels of `rootSpan` record their members.
    let spanDepth: Int
    /// Flag keys by code points, for membership tests (features_config's `depends_on`).
    let keySet: Set<JSONParser.KeyBytes>
    /// Each flag container's span and its members' positions by key, aligned with
    /// `containerPaths`. Sync and import look up every flag of a document, so finding one
    /// must be a hash lookup: a scan of the members made a 5,000-flag sync quadratic.
    /// The first of duplicate keys wins, as `JSONSpan.member` does.
    let containers: [(span: JSONSpan, index: [JSONParser.KeyBytes: Int])?]

    init(format: DocumentFormat, file: String, bytes: [UInt8], envelope: [String], spans: JSONSpan? = nil,
         spanDepth: Int? = nil) throws(FormatError) {
        self.format = format
        self.file = file
        self.bytes = bytes
        self.envelope = format == .powertools ? envelope : []
        let depth = spanDepth ?? (format == .powertools ? envelope.count + 1 : (format.containers[0].count + 1))
        self.spanDepth = depth
        if let spans { rootSpan = spans } else {
            do { rootSpan = try JSONParser.validateWithSpans(bytes, spanDepth: depth) } catch { throw error.inFile(file) }
        }
        text = String(decoding: bytes, as: UTF8.self)
        layout = JSONLayout.detect(bytes, root: rootSpan)
        guard bytes[rootSpan.start] == UInt8(ascii: "{") else {
            throw .schema(FormatLocation(file: file, path: "$"), "a \(format.rawValue) document must be an object, found \(Self.typeName(bytes, rootSpan))")
        }
        var keys: [String] = []
        var seen = Set<JSONParser.KeyBytes>()
        var containers: [(span: JSONSpan, index: [JSONParser.KeyBytes: Int])?] = []
        for path in Self.containerPaths(format, envelope: self.envelope) {
            guard let c = Self.span(rootSpan, at: path) else {
                containers.append(nil)
                if format == .flagd && path == ["flags"] {
                    throw .schema(FormatLocation(file: file, path: "$"), "a flagd document needs a \"flags\" object")
                }
                if format == .powertools && !path.isEmpty {
                    throw .schema(FormatLocation(file: file, path: JSONPath.render(path.dropLast().map { .key($0) })),
                                  "envelope member \(JSONText.quote(path.last!)) not found")
                }
                continue
            }
            guard bytes[c.start] == UInt8(ascii: "{"), let ms = c.members else {
                throw .schema(FormatLocation(file: file, path: JSONPath.render(path.map { .key($0) })),
                              "flags must be an object of flags, found \(Self.typeName(bytes, c))")
            }
            var index: [JSONParser.KeyBytes: Int] = [:]
            index.reserveCapacity(ms.count)
            for (i, m) in ms.enumerated() {
                let k = JSONParser.KeyBytes(m.key)
                if index[k] == nil { index[k] = i }
                if seen.insert(k).inserted { keys.append(m.key) }
            }
            containers.append((c, index))
        }
        self.containers = containers
        if format == .appConfigFeatureFlags {
            guard let v = rootSpan.member("version"), (try? JSONParser.parse(Array(bytes[v.value.range])))?.stringValue != nil else {
                throw .schema(FormatLocation(file: file, path: "$.version"), "an AWS.AppConfig.FeatureFlags document needs \"version\": \"1\"")
            }
        }
        self.keys = keys
        keySet = seen
    }

    /// The document after splices that only replaced flags' values: the same flags in the
    /// same order, so the key list, key set and per-container indexes carry over and only
    /// the spans and bytes are new. Building those indexes again (a hash per flag) was most
    /// of what a kill spent on a 1,000-flag document.
    private init(sameKeysAs old: FlagDocument, bytes: [UInt8], root: JSONSpan) {
        format = old.format
        file = old.file
        self.bytes = bytes
        envelope = old.envelope
        spanDepth = old.spanDepth
        rootSpan = root
        text = String(decoding: bytes, as: UTF8.self)
        layout = JSONLayout.detect(bytes, root: root)
        keys = old.keys
        keySet = old.keySet
        containers = zip(old.containers, old.containerPaths).map { c, path in
            c.flatMap { c in Self.span(root, at: path).map { ($0, c.index) } }
        }
    }

    /// Whether a splice leaves every flag where it was: it replaces the value of a member
    /// of a flag container, which is one flag's value.
    private func keepsKeys(_ sp: Splice) -> Bool {
        guard case .value(let path, _) = sp.kind else { return false }
        return containerPaths.contains(path)
    }

    static func typeName(_ b: [UInt8], _ s: JSONSpan) -> String {
        (try? JSONParser.parse(Array(b[s.range])))?.typeName ?? "something else"
    }

    static func containerPaths(_ format: DocumentFormat, envelope: [String]) -> [[String]] {
        format == .powertools ? [envelope] : format.containers
    }

    var containerPaths: [[String]] { Self.containerPaths(format, envelope: envelope) }

    static func span(_ root: JSONSpan, at path: [String]) -> JSONSpan? {
        var s = root
        for k in path { guard let next = s.member(k)?.value else { return nil }; s = next }
        return s
    }

    /// Where `key`'s member is in the flag container `c` (an index into `containerPaths`).
    func flagMember(_ key: String, container c: Int) -> (index: Int, member: JSONMemberSpan)? {
        guard c < containers.count, let (span, index) = containers[c], let i = index[JSONParser.KeyBytes(key)] else { return nil }
        return (i, span.members![i])
    }

    /// `Self.span(rootSpan, at:)`, with a flag's own member found through the index.
    func span(at path: [String]) -> JSONSpan? {
        if let key = path.last,
           let c = containerPaths.firstIndex(where: { $0.count == path.count - 1 && zip($0, path).allSatisfy { JSONCompare.sameScalars($0, $1) } }),
           containers[c] != nil {
            return flagMember(key, container: c)?.member.value
        }
        return Self.span(rootSpan, at: path)
    }

    /// The value at `path` (member names from the root), parsed from its bytes on demand.
    func member(_ path: [String]) -> JSONValue? {
        guard let s = span(at: path) else { return nil }
        return try? JSONParser.parse(Array(bytes[s.range]))
    }

    /// Whether `key` is one of the document's flags (by code points).
    public func contains(_ key: String) -> Bool { keySet.contains(JSONParser.KeyBytes(key)) }

    /// JSON path of a flag, for messages: `$.my_flag`, `$.flags.my_flag`.
    public func path(_ key: String) -> String { location(key).path }

    /// Where `key` is, for messages (a hosted FeatureFlags flag: its `values` member, which edits change).
    public func location(_ key: String, _ more: [JSONPath.Component] = []) -> FormatLocation {
        let container = format == .appConfigFeatureFlags ? ["values"] : (containerPaths.first ?? [])
        return FormatLocation(file: file, path: JSONPath.render(container.map { .key($0) } + [.key(key)] + more))
    }

    /// One flag's JSON. For a hosted FeatureFlags document it is `{"flags": …, "values": …}`
    /// holding the flag's member of each (absent members left out), since a flag lives in both.
    public func fragment(_ key: String) -> JSONValue? {
        if format == .appConfigFeatureFlags {
            var m: [(String, JSONValue)] = []
            for path in containerPaths { if let v = member(path + [key]) { m.append((path[0], v)) } }
            return m.isEmpty ? nil : .object(JSONObject(m))
        }
        return member(containerPaths[0] + [key])
    }

    /// Canonical compact JSON of one flag's fragment: what the inventory records as "last
    /// seen", so a later push can tell whether someone changed that flag outside flagdeck.
    /// Spelling differences that mean the same JSON (`1e3` vs `1000.0`, spacing) do not count.
    public func fingerprint(_ key: String) -> String? {
        fragment(key).map(JSONWriter.compact)
    }

    /// The exact text of `key`'s fragment as it stands in the document (for a hosted
    /// FeatureFlags document, `{"flags": TEXT, "values": TEXT}` around the two exact texts).
    /// Record this at kill time: `replacing(key, withText:)` puts it back byte for byte.
    public func fragmentText(_ key: String) -> String? {
        if format == .appConfigFeatureFlags {
            var parts: [String] = []
            for (c, path) in containerPaths.enumerated() {
                if let (_, m) = flagMember(key, container: c) { parts.append(JSONText.quote(path[0]) + ": " + JSONLayout.text(bytes, m.value.range)) }
            }
            return parts.isEmpty ? nil : "{" + parts.joined(separator: ", ") + "}"
        }
        guard let (_, m) = flagMember(key, container: 0) else { return nil }
        return JSONLayout.text(bytes, m.value.range)
    }

    /// Like `replacing(_:with:)`, but where the flag is present its value becomes exactly
    /// `text` (as `fragmentText` gave it), so an unkill restores the pre-kill bytes.
    public func replacing(_ key: String, withText text: String) throws(FormatError) -> FlagDocument {
        let tb = Array(text.utf8)
        let (value, span): (JSONValue, JSONSpan)
        do { (value, span) = try JSONParser.parseWithSpans(tb, spanDepth: 1) } catch { throw error.inFile(file + " (fragment of \(key))") }
        var splices: [Splice] = []
        if format == .appConfigFeatureFlags {
            guard case .object(let pair) = value, pair.keys.allSatisfy({ $0 == "flags" || $0 == "values" }) else {
                throw .invalidArgument("\(file): \(path(key)): a FeatureFlags fragment is {\"flags\": …, \"values\": …}")
            }
            for (c, p) in containerPaths.enumerated() {
                if let (i, member) = flagMember(key, container: c), let m = span.member(p[0]) {
                    splices.append(Splice(range: member.value.range, text: JSONLayout.text(tb, m.value.range), kind: .value(p, i)))
                } else if let sp = try edit(p + [key], pair[p[0]]) {
                    splices.append(sp)
                }
            }
        } else if let (i, member) = flagMember(key, container: 0) {
            let exact = JSONLayout.text(tb, span.range)
            splices.append(Splice(range: member.value.range, text: exact, kind: .value(containerPaths[0], i)))
        } else {
            return try replacing(key, with: value)
        }
        return try applying(splices, key: key, expect: value)
    }

    /// The whole document as a value. Parsed on each call (the document itself keeps only
    /// bytes and spans, so that a 50 MB document costs one validating pass, not a tree).
    public var value: JSONValue { (try? JSONParser.parse(bytes)) ?? .null }

    /// New document text with only `key`'s value replaced (or inserted at the end if
    /// absent), preserving every other byte. Parts of the fragment that did not change keep
    /// their bytes too; new parts are laid out in the document's own style. The result is
    /// re-parsed, so what is returned is always a valid document of the same format.
    public func replacing(_ key: String, with fragment: JSONValue) throws(FormatError) -> FlagDocument {
        if let current = self.fragment(key), JSONTextEdit.identical(current, fragment) { return self }
        var splices: [Splice] = []
        if format == .appConfigFeatureFlags {
            guard case .object(let pair) = fragment, pair.keys.allSatisfy({ $0 == "flags" || $0 == "values" }) else {
                throw .invalidArgument("\(file): \(path(key)): a FeatureFlags fragment is {\"flags\": …, \"values\": …}, got \(FormatError.clip(JSONWriter.compact(fragment)))")
            }
            for p in containerPaths {
                if let sp = try edit(p + [key], pair[p[0]]) { splices.append(sp) }
            }
        } else if let sp = try edit(containerPaths[0] + [key], fragment) {
            splices.append(sp)
        }
        return try applying(splices, key: key, expect: fragment)
    }

    /// Puts the splices in (latest first, so earlier offsets stay valid), updates the spans
    /// in step instead of parsing the document again — only the new text is parsed — and
    /// checks that `key` now reads `expect`.
    private func applying(_ splices: [Splice], key: String, expect: JSONValue) throws(FormatError) -> FlagDocument {
        var out = bytes
        var root = rootSpan
        for sp in splices.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            let new = Array(sp.text.utf8)
            out.replaceSubrange(sp.range, with: new)
            root = try sp.apply(to: root, delta: new.count - sp.range.count, bytes: out, depth: spanDepth, file: file)
        }
        let next = splices.allSatisfy(keepsKeys)
            ? FlagDocument(sameKeysAs: self, bytes: out, root: root)
            : try FlagDocument(format: format, file: file, bytes: out, envelope: envelope, spans: root, spanDepth: spanDepth)
        guard let written = next.fragment(key), JSONTextEdit.identical(written, expect) else {
            throw .invalidArgument("\(file): \(path(key)): internal error: the rewritten document does not read back the fragment written")
        }
        return next
    }

    /// One splice: the bytes to put in place of a range so that `path` reads `value` (nil: absent).
    private func edit(_ path: [String], _ value: JSONValue?) throws(FormatError) -> Splice? {
        var container = rootSpan
        for (depth, k) in path.enumerated() {
            let last = depth == path.count - 1
            guard let ms = container.members, bytes[container.start] == UInt8(ascii: "{") else {
                throw .schema(FormatLocation(file: file, path: JSONPath.render(path.prefix(depth).map { .key($0) })),
                              "expected an object here, found \(Self.typeName(bytes, container))")
            }
            guard let i = ms.firstIndex(where: { JSONCompare.sameScalars($0.key, k) }) else {
                guard var v = value else { return nil }
                for rest in path[(depth + 1)...].reversed() { v = .object(JSONObject([(rest, v)])) }
                return insertion(into: container, at: Array(path.prefix(depth)), key: k, value: v)
            }
            let member = ms[i]
            if last {
                guard let value else { return removal(from: container, at: Array(path.prefix(depth)), index: i) }
                return Splice(range: member.value.range, text: try rewrite(member, new: value, container: container),
                              kind: .value(Array(path.prefix(depth)), i))
            }
            container = member.value
        }
        return nil
    }

    /// A member's value rewritten, keeping the bytes of its unchanged parts.
    private func rewrite(_ m: JSONMemberSpan, new: JSONValue, container: JSONSpan) throws(FormatError) -> String {
        // Only the fragment is parsed again, recording everything; offsets then refer to the document.
        let old: JSONValue, span: JSONSpan
        do {
            let (v, sp) = try JSONParser.parseWithSpans(Array(bytes[m.value.range]), spanDepth: .max)
            (old, span) = (v, sp.shifted(by: m.value.start))
        } catch {
            throw error.inFile(file)
        }
        let containerMultiline = JSONLayout.isMultiline(bytes, container) ?? false
        let indent = containerMultiline ? JSONLayout.lineIndent(bytes, at: m.keyStart) : ""
        var l = layout
        if let u = JSONLayout.indentUnit(bytes, container: container) { l.unit = u }
        // The fragment's own layout decides; failing that, its siblings' (one per line or one line each).
        let siblingMultiline = container.members?.lazy.compactMap { JSONLayout.looksMultiline(self.bytes, $0.value) }.first
        return JSONTextEdit.rewrite(bytes, old: old, span: span, new: new, layout: l, indent: indent,
                                    multiline: containerMultiline && (siblingMultiline ?? true))
    }

    private func insertion(into c: JSONSpan, at path: [String], key: String, value: JSONValue) -> Splice {
        let ms = c.members ?? []
        var l = JSONTextEdit.local(bytes, c, layout)
        guard let lastMember = ms.last else {
            // An empty container: write it anew, one member per line if the document is.
            let ml = bytes[rootSpan.range].contains(0x0A)
            let indent = JSONLayout.lineIndent(bytes, at: c.start)
            return Splice(range: c.range, text: JSONWriter.render(.object(JSONObject([(key, value)])), layout: l, multiline: ml, indent: indent),
                          kind: .container(path))
        }
        let ml = JSONLayout.isMultiline(bytes, c) ?? false
        var seps: [String] = []
        if ms.count > 1 { seps.append(JSONLayout.text(bytes, ms[ms.count - 2].value.end..<lastMember.keyStart)) }
        let sep = JSONTextEdit.typicalSeparator(bytes, c, firstStart: ms[0].keyStart, separators: seps, layout: l)
        let indent = ml ? (JSONLayout.memberIndent(bytes, c) ?? "") : ""
        if !ml { l.unit = layout.unit }
        let valueMultiline = ml && (JSONLayout.looksMultiline(bytes, lastMember.value) ?? true)
        let kv = JSONLayout.text(bytes, lastMember.keyEnd..<lastMember.value.start)
        let quoted = JSONText.quote(key)
        let head = sep + quoted + (kv.isEmpty || kv.contains("\n") ? l.keySeparator : kv)
        let text = head + JSONWriter.render(value, layout: l, multiline: valueMultiline, indent: indent)
        return Splice(range: lastMember.value.end..<lastMember.value.end, text: text,
                      kind: .insert(path, key: key, keyOffset: sep.utf8.count, keyEnd: sep.utf8.count + quoted.utf8.count, valueOffset: head.utf8.count))
    }

    private func removal(from c: JSONSpan, at path: [String], index i: Int) -> Splice {
        let ms = c.members!
        if ms.count == 1 { return Splice(range: c.range, text: "{}", kind: .container(path)) }
        if i == 0 { return Splice(range: ms[0].keyStart..<ms[1].keyStart, text: "", kind: .remove(path, i)) }
        return Splice(range: ms[i - 1].value.end..<ms[i].value.end, text: "", kind: .remove(path, i))
    }
}

/// Entry points: parse a document (detecting its format from its content when not given).
public enum FlagDocuments {
    public static func parse(_ bytes: [UInt8], format: DocumentFormat?, file: String,
                             envelope: [String] = []) throws(FormatError) -> FlagDocument {
        guard let format else {
            // One validating pass deep enough to tell the formats apart, reused for the document.
            let spans: JSONSpan
            do { spans = try JSONParser.validateWithSpans(bytes, spanDepth: 3) } catch { throw error.inFile(file) }
            let f = try detectFormat(bytes, spans: spans, file: file)
            return try FlagDocument(format: f, file: file, bytes: bytes, envelope: envelope, spans: spans, spanDepth: 3)
        }
        return try FlagDocument(format: format, file: file, bytes: bytes, envelope: envelope)
    }

    public static func parse(_ text: String, format: DocumentFormat?, file: String,
                             envelope: [String] = []) throws(FormatError) -> FlagDocument {
        try parse(Array(text.utf8), format: format, file: file, envelope: envelope)
    }
}
