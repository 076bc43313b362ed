/// Where in which file something is wrong. `path` is a JSONPath-like string such as
/// `$.features.my_flag.rules["tenant id equals 345345435"].conditions[0].action`, which
/// is what an operator needs to find the spot in an editor without line numbers.
public struct FormatLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String?
    public var path: String
    public var line: Int?
    public var column: Int?

    public init(file: String? = nil, path: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String {
        var s = file ?? "<input>"
        if let line, let column { s += ":\(line):\(column)" }
        return s + ": at \(path)"
    }
}

/// Errors from reading, validating and writing the external formats. Each message names
/// the file and the JSON path so a bad file can be fixed without guessing; any of them
/// means nothing was imported.
public enum FormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Messages quote values from the file; a hostile file can hold a 10 MB string, and
    /// an error must stay readable on a terminal, so long text is cut in the middle.
    static func clip(_ s: String, max: Int = 240) -> String {
        guard s.utf8.count > max else { return s }
        return String(s.prefix(max / 2)) + "…[\(s.utf8.count) bytes]…" + String(s.suffix(max / 4))
    }

    /// Not JSON at all: bad syntax, truncation, invalid UTF-8, nesting too deep.
    case syntax(FormatLocation, String)
    case duplicateKey(FormatLocation, key: String, firstLine: Int, firstColumn: Int)
    /// Valid JSON that the format's schema refuses (the Powertools validator's rules).
    case schema(FormatLocation, String)
    case dependencyCycle(FormatLocation, [String])
    /// A change the document's format cannot say (a partial rollout in Powertools, an
    /// override in flagd…): refused, never approximated. The message says what to do instead.
    case inexpressible(FormatLocation, String)
    case io(path: String, String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .syntax(let l, let m): "\(l): invalid JSON: \(Self.clip(m))"
        case .duplicateKey(let l, let k, let fl, let fc):
            "\(l): duplicate key \(JSONText.quote(Self.clip(k))): first at line \(fl) column \(fc), again at line \(l.line ?? 0) column \(l.column ?? 0); a file must say each key once"
        case .schema(let l, let m): "\(l): \(Self.clip(m))"
        case .dependencyCycle(let l, let c): "\(l): dependency cycle: \(Self.clip(c.joined(separator: " -> ")))"
        case .inexpressible(let l, let m): "\(l): cannot write this change: \(Self.clip(m, max: 600))"
        case .io(let p, let m): "\(p): \(m)"
        case .invalidArgument(let m): Self.clip(m)
        }
    }

    public var location: FormatLocation? {
        switch self {
        case .syntax(let l, _), .duplicateKey(let l, _, _, _), .schema(let l, _), .dependencyCycle(let l, _), .inexpressible(let l, _): l
        default: nil
        }
    }

    /// The same error attributed to a file, once the caller knows which one it read.
    public func inFile(_ file: String) -> FormatError {
        func f(_ l: FormatLocation) -> FormatLocation { var l = l; l.file = file; return l }
        switch self {
        case .syntax(let l, let m): return .syntax(f(l), m)
        case .duplicateKey(let l, let k, let a, let b): return .duplicateKey(f(l), key: k, firstLine: a, firstColumn: b)
        case .schema(let l, let m): return .schema(f(l), m)
        case .dependencyCycle(let l, let c): return .dependencyCycle(f(l), c)
        case .inexpressible(let l, let m): return .inexpressible(f(l), m)
        default: return self
        }
    }

    /// One exit code for every bad input, distinct from conflicts (2).
    public var exitCode: Int32 { 1 }
}

/// Renders path components the way the error messages and tests expect.
public enum JSONPath {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public static func render(_ components: [Component]) -> String {
        var s = "$"
        for c in components {
            switch c {
            case .index(let i): s += "[\(i)]"
            case .key(let k):
                let k = FormatError.clip(k, max: 120)
                if isIdentifier(k) { s += "." + k } else { s += "[" + JSONText.quote(k) + "]" }
            }
        }
        return s
    }

    static func isIdentifier(_ k: String) -> Bool {
        guard let f = k.utf8.first, !(f >= 48 && f <= 57) else { return false }
        return k.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 || $0 == 45 }
    }
}
