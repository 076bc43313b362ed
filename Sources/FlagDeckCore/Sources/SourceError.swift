/// What can go wrong between flagdeck and the place a flag really lives, worded for the
/// operator: which binding, which document, what to do.
public enum SourceError: Error, Equatable, Sendable, CustomStringConvertible {
    case badURI(String, String)
    /// Reading or writing failed (permission, missing file, full disk, network…).
    case unreachable(source: String, detail: String)
    /// The document does not parse; it is never overwritten. `detail` names line and column.
    case unparseable(source: String, detail: String)
    /// Someone wrote the source after flagdeck read it (compare-and-swap lost).
    case changedSince(source: String, expected: String, found: String)
    /// The flag's value there is not what the inventory last saw: changed outside flagdeck.
    case changedOutside(source: String, flag: String, seen: String, now: String)
    /// The source cannot express the change (e.g. a partial rollout in Powertools JSON).
    case unsupported(source: String, detail: String)
    case tooLarge(source: String, bytes: Int, limit: Int)
    case bindingConflict(String)

    public var description: String {
        switch self {
        case .badURI(let uri, let why): "bad source URI \(uri): \(why)"
        case .unreachable(let s, let d): "\(s): \(d)"
        case .unparseable(let s, let d): "\(s) cannot be parsed (\(d)); it was not changed"
        case .changedSince(let s, let e, let f): "\(s) changed while flagdeck was writing it (read \(e), now \(f)); nothing written"
        case .changedOutside(let s, let flag, let seen, let now):
            "\(flag) was changed in \(s) outside flagdeck (last seen \(seen), now \(now)); nothing written. Run `flagdeck sync` to record it, then retry"
        case .unsupported(let s, let d): "\(s): \(d)"
        case .tooLarge(let s, let n, let limit): "\(s) is \(n) bytes, over the \(limit)-byte limit; it was not read"
        case .bindingConflict(let d): d
        }
    }

    /// Conflicts exit 2 like any other stale write; everything else 1.
    public var exitCode: Int32 {
        switch self {
        case .changedSince, .changedOutside: 2
        default: 1
        }
    }
}
