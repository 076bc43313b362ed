import FlagDeckCore
import Foundation

/// The three reads of a whole-grid load (two halves of the cells, and the rest),
/// collected from the threads that run them.
final class LoadParts: @unchecked Sendable {
    enum Part {
        case cells(CellTable, seq: Int64)
        /// The lifecycle context is built on the reading thread: the assembly after the
        /// threads join is the part of the load nothing runs beside.
        case flags([Flag], policy: AccessPolicy, lifecycle: LifecycleContext, seq: Int64)
    }

    private let lock = NSLock()
    private var parts: [Int: Result<Part, any Error>] = [:]

    func run(_ n: Int, _ body: () throws -> Part) {
        let r = Result { try body() }
        lock.withLock { parts[n] = r }
    }

    func assemble(location: String) throws -> GridData {
        let all = lock.withLock { parts }
        guard case .cells(var cells, let s0)? = try all[0]?.get(),
              case .flags(let flags, let policy, let lifecycle, let s1)? = try all[1]?.get(),
              case .cells(let rest, let s2)? = try all[2]?.get() else {
            throw FlagDeckError.internalInvariant("a part of the grid load is missing")
        }
        cells.absorb(rest)
        return GridData(location: location, cells: cells, flags: flags, policy: policy, lifecycle: lifecycle,
                        complete: true, flagCount: flags.count, seq: min(s0, s1, s2))
    }

    /// Lets go of the parts on another thread: freeing 10,000 rows' tables is work the
    /// first full frame need not wait for.
    func releaseElsewhere() {
        let held = lock.withLock { () -> [Int: Result<Part, any Error>] in
            defer { parts = [:] }
            return parts
        }
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(held) {} }
    }
}
